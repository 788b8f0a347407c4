/** The routes of interpreter/server/console-api.ts, one typed function each. */
import { getJson, postBytes, postJson, seg } from './api-client.ts';
import type {
  ActionRequest, DocumentKeyValue, DocumentVersionsResponse, GraphResponse, InboxResponse, MeResponse, OkResponse, RunbooksResponse,
  RunDocumentsResponse, RunPageResponse, RunsResponse, SignalRequest, StartRequest, StartResponse, UploadResponse,
} from './types.ts';

export interface InboxQuery {
  readonly runbook?: string;
  readonly step?: string;
  readonly action?: string;
  readonly q?: string;
}

const query = (params: Readonly<Record<string, string | undefined>>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
};

/** A document key as the query `key.entity=acme-uk&key.period=2025-01` (the document page's URL uses the same). */
export const documentKeyQuery = (key: Readonly<Record<string, DocumentKeyValue>>): string =>
  new URLSearchParams(Object.entries(key).map(([field, value]): [string, string] => [`key.${field}`, String(value)])).toString();

export const api = {
  me: (): Promise<MeResponse> => getJson('/api/me'),
  runbooks: (signal?: AbortSignal): Promise<RunbooksResponse> => getJson('/api/runbooks', signal),
  inbox: (filters: InboxQuery, signal?: AbortSignal): Promise<InboxResponse> => getJson(`/api/inbox${query({ ...filters })}`, signal),
  runs: (filters: { status?: string; runbook?: string; limit?: number }, signal?: AbortSignal): Promise<RunsResponse> =>
    getJson(`/api/runs${query({ status: filters.status, runbook: filters.runbook, limit: filters.limit?.toString() })}`, signal),
  run: (runId: string, signal?: AbortSignal): Promise<RunPageResponse> => getJson(`/api/runs/${seg(runId)}`, signal),
  runGraph: (runId: string, signal?: AbortSignal): Promise<GraphResponse> => getJson(`/api/runs/${seg(runId)}/graph`, signal),
  runbookGraph: (slug: string, signal?: AbortSignal): Promise<GraphResponse> => getJson(`/api/runbooks/${seg(slug)}/graph`, signal),
  runEventsUrl: (runId: string): string => `/api/runs/${seg(runId)}/events`,
  runDocuments: (runId: string, signal?: AbortSignal): Promise<RunDocumentsResponse> => getJson(`/api/runs/${seg(runId)}/documents`, signal),
  /** Every version of one key of `document`, oldest first. */
  documentVersions: (document: string, key: Readonly<Record<string, DocumentKeyValue>>, signal?: AbortSignal): Promise<DocumentVersionsResponse> =>
    getJson(`/api/documents/${seg(document)}/versions?${documentKeyQuery(key)}`, signal),
  start: (request: StartRequest): Promise<StartResponse> => postJson('/api/runs', request),
  act: (runId: string, request: ActionRequest): Promise<OkResponse> => postJson(`/api/runs/${seg(runId)}/action`, request),
  signal: (runId: string, request: SignalRequest): Promise<OkResponse> => postJson(`/api/runs/${seg(runId)}/signal`, request),
  cancel: (runId: string): Promise<OkResponse> => postJson(`/api/runs/${seg(runId)}/cancel`, {}),
  upload: (runId: string, filename: string, file: Blob): Promise<UploadResponse> =>
    postBytes(`/api/runs/${seg(runId)}/uploads${query({ filename })}`, file),
};
