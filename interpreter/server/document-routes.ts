/**
 * The committed-document routes (viewer role, ./document-api.ts): what a run committed, and every
 * version of one document key with what changed between them. The store is the one the workers
 * commit into (the config's `documents.url`, else the state directory's SQLite file), opened on first
 * use and never closed here: its owner (the CLI) closes it. Both backends answer alike: only the
 * run's existence and lifetime come from the backend.
 */
import type { FastifyInstance } from 'fastify';
import type { CommittedDocument, DocumentStore, KeyValue, UiState } from '../index.ts';
import { ApiFailure } from './api-failure.ts';
import type { ConsoleBackend } from './console-backend.ts';
import type { DocumentVersionsResponse, DocumentVersionView, RunDocumentsResponse } from './document-api.ts';
import { changesBetween } from './document-changes.ts';

/** What the console reads of a document store. */
export type DocumentReader = Pick<DocumentStore, 'find' | 'versions' | 'committedBy'>;
/** A reader, or how to open one on first use. */
export type DocumentReaderSource = DocumentReader | (() => Promise<DocumentReader>);

const IDENTIFIER = /^[a-z][a-z0-9_]*$/;
const KEY_PARAM = 'key.';
const runParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 400 } } } as const;
const nameParams = { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 200 } } } as const;

export function viewOf(document: CommittedDocument): DocumentVersionView {
  return {
    document: document.document,
    key: document.key,
    version: document.version,
    value: document.value,
    committed_at: document.committed_at,
    run_id: document.run_id,
    runbook: document.runbook,
    step: document.step_id,
    iteration: document.iteration,
    actor: document.actor,
    definition_hash: document.definition_hash,
  };
}

/**
 * Whether `document` was committed during this run's lifetime: a run id can be used again by a later run
 * (on Temporal once the earlier one closed; `runbook run` numbers its runs), and the store keys commits by it.
 */
function committedDuring(document: CommittedDocument, state: UiState): boolean {
  const at = Date.parse(document.committed_at);
  const started = state.started_at ? Date.parse(state.started_at) : Number.NaN;
  const ended = state.ended_at ? Date.parse(state.ended_at) : Number.NaN;
  if (Number.isNaN(at)) return true;
  return !(at < started) && !(at > ended);
}

/** The key of `?key.entity=acme&key.period=2025-01`, typed like `typedLike` (the document's latest key) where it has the field. */
function keyOf(query: Readonly<Record<string, unknown>>, typedLike: Readonly<Record<string, KeyValue>>): Record<string, KeyValue> {
  const key: Record<string, KeyValue> = {};
  const example = 'give the key as key.<field>=<value>, e.g. ?key.entity=acme-uk&key.period=2025-01';
  for (const [param, raw] of Object.entries(query)) {
    if (!param.startsWith(KEY_PARAM)) throw new ApiFailure(400, 'DOCUMENT_KEY_INVALID', `unexpected parameter "${param}": ${example}`);
    const field = param.slice(KEY_PARAM.length);
    if (!IDENTIFIER.test(field)) throw new ApiFailure(400, 'DOCUMENT_KEY_INVALID', `key field "${field}" is not a lower_snake_case identifier`);
    if (typeof raw !== 'string') throw new ApiFailure(400, 'DOCUMENT_KEY_INVALID', `key field "${field}" is given more than once`);
    key[field] = typedValue(raw, typedLike[field]);
  }
  if (Object.keys(key).length === 0) throw new ApiFailure(400, 'DOCUMENT_KEY_INVALID', `no key: ${example}`);
  return key;
}

/** A query string's text as the type the document's keys have for that field (text when it does not read as one). */
function typedValue(raw: string, like: KeyValue | undefined): KeyValue {
  if (typeof like === 'number' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  if (typeof like === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

const sameFields = (a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean =>
  Object.keys(a).sort().join(',') === Object.keys(b).sort().join(',');

/** Opens `source` once (again after a failure), mapping what goes wrong to a 503 the browser may see. */
function readerOpener(source: DocumentReaderSource | undefined): () => Promise<DocumentReader> {
  let opened: Promise<DocumentReader> | undefined;
  return async () => {
    if (!source) throw new ApiFailure(503, 'DOCUMENTS_UNAVAILABLE', 'this console has no document store');
    if (typeof source !== 'function') return source;
    opened ??= source().catch((error: unknown) => {
      opened = undefined;
      throw storeFailure(error);
    });
    return opened;
  };
}

/** A store's failure: its cause to the console's log (it may name a host), a fixed message to the browser. */
function storeFailure(error: unknown): ApiFailure {
  process.stderr.write(`runbook console: the document store failed: ${error instanceof Error ? error.message : String(error)}\n`);
  return new ApiFailure(503, 'DOCUMENT_STORE_FAILED', 'the document store cannot be read now; the console\'s log says why');
}

async function reading<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw error instanceof ApiFailure ? error : storeFailure(error);
  }
}

export function registerDocumentRoutes(app: FastifyInstance, backend: ConsoleBackend, source: DocumentReaderSource | undefined): void {
  const reader = readerOpener(source);

  app.get<{ Params: { id: string } }>('/api/runs/:id/documents', { schema: { params: runParams } }, async (request): Promise<RunDocumentsResponse> => {
    // First the run (404 RUN_NOT_FOUND for an unknown one, whatever the store holds).
    const { state } = await backend.getRun(request.params.id);
    const store = await reader();
    const committed = (await reading(() => store.committedBy(state.run_id))).filter((document) => committedDuring(document, state));
    const documents = await reading(() =>
      Promise.all(committed.map(async (document) => ({ ...viewOf(document), versions: (await store.versions(document.document, document.key)).length }))),
    );
    return { run_id: state.run_id, documents };
  });

  app.get<{ Params: { name: string }; Querystring: Record<string, unknown> }>('/api/documents/:name/versions', { schema: { params: nameParams } }, async (request): Promise<DocumentVersionsResponse> => {
    const { name } = request.params;
    if (!IDENTIFIER.test(name)) throw new ApiFailure(400, 'DOCUMENT_NAME_INVALID', `document names are lower_snake_case identifiers (e.g. closing_trial_balance), not "${name}"`);
    const store = await reader();
    const latest = await reading(() => store.find({ document: name, where: {} }));
    const key = keyOf(request.query, latest?.key ?? {});
    if (!latest) throw new ApiFailure(404, 'DOCUMENT_UNKNOWN', `nothing was committed as document "${name}"`);
    const versions = await reading(() => store.versions(name, key));
    if (versions.length === 0) {
      const fields = Object.keys(latest.key).join(', ');
      if (!sameFields(key, latest.key)) throw new ApiFailure(400, 'DOCUMENT_KEY_INVALID', `document "${name}" is keyed by ${fields}, not ${Object.keys(key).join(', ')}`);
      throw new ApiFailure(404, 'DOCUMENT_KEY_NOT_FOUND', `no version of document "${name}" has the key ${JSON.stringify(key)}`);
    }
    return {
      document: name,
      key: versions[0]!.key,
      versions: versions.map((version, index) => {
        const previous = index > 0 ? versions[index - 1] : undefined;
        const diff = previous ? changesBetween(previous.value, version.value) : null;
        return { ...viewOf(version), changes: diff?.changes ?? null, changes_truncated: diff?.truncated ?? false };
      }),
    };
  });
}
