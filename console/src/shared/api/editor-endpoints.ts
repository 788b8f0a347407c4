/** The editor's routes of interpreter/server/console-api.ts (role `editor`), one typed function each. */
import { getJson, postJson, seg } from './api-client.ts';
import type {
  EditOperation, EditorAnalysis, EditorApplyResponse, EditorDocument, EditorFilesResponse, EditorSaveResponse, ServedHashResponse,
} from './types.ts';

const base = (slug: string): string => `/api/editor/runbooks/${seg(slug)}`;

export const editorApi = {
  files: (signal?: AbortSignal): Promise<EditorFilesResponse> => getJson('/api/editor/runbooks', signal),
  open: (slug: string, signal?: AbortSignal): Promise<EditorDocument> => getJson(base(slug), signal),
  analyze: (slug: string, text: string): Promise<EditorAnalysis> => postJson(`${base(slug)}/analyze`, { text }),
  /** 409 `EDIT_*` when the operation cannot apply (the text is unchanged). */
  apply: (slug: string, text: string, operation: EditOperation): Promise<EditorApplyResponse> => postJson(`${base(slug)}/apply`, { text, operation }),
  /** 422 `RUNBOOK_INVALID` (details: `diagnostics`), 409 `FILE_CHANGED` (details: `current_text`, `current_hash`). */
  save: (slug: string, text: string, baseHash: string): Promise<EditorSaveResponse> => postJson(`${base(slug)}/save`, { text, base_hash: baseHash }),
  served: (slug: string, signal?: AbortSignal): Promise<ServedHashResponse> => getJson(`${base(slug)}/served`, signal),
};
