/**
 * Uploads by reference: the file a person picks goes to the handler the upload step names in its
 * `display_hint.store_with` (e.g. `documents.upload`), whose result (e.g. `{ document_id }`) the
 * browser then puts into the signal's payload, so the run's history holds the id, not the bytes.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowError, type HandlerLogger, type HandlerRegistry, type PendingAction } from '../index.ts';
import { ApiFailure } from './api-failure.ts';

export interface UploadedFile {
  readonly filename: string;
  readonly content: Buffer;
}

const quiet: HandlerLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The handler a waiting upload step stores files with; ApiFailure 409 when the run does not wait for an upload. */
export function storeHandlerOf(pending: PendingAction | null): string {
  const hint = pending?.display_hint;
  const handler = isRecord(hint) ? hint.store_with : undefined;
  if (!pending || pending.kind !== 'signal' || typeof handler !== 'string' || handler === '') {
    throw new ApiFailure(409, 'UPLOAD_NOT_EXPECTED', pending ? `step "${pending.step}" does not take uploads (its display_hint names no store_with handler)` : 'the run waits for no upload now');
  }
  return handler;
}

/** Calls handler `name` of `registry` with `{ filename, content }` (the file as UTF-8 text), its contracts checked. */
export async function storeWithHandler(registry: HandlerRegistry | undefined, name: string, file: UploadedFile, runId: string): Promise<Readonly<Record<string, unknown>>> {
  const handler = registry?.get(name);
  if (!handler) throw new ApiFailure(422, 'HANDLER_UNKNOWN', `the console has no handler "${name}" to store the upload with (is the project's handlers entry configured?)`);
  const input = handler.input.safeParse({ filename: file.filename, content: file.content.toString('utf8') });
  if (!input.success) throw new ApiFailure(422, 'UPLOAD_INVALID', `${name} refuses the file: ${input.error.issues.map((issue) => issue.message).join('; ')}`);
  const callId = `console-upload-${randomUUID()}`;
  const info = { runId, runbook: 'console', stepId: 'upload', attempt: 1, iteration: 0, idempotencyKey: `${callId}:upload:0` };
  let result: unknown;
  try {
    result = await handler.run(input.data, { info, logger: quiet, abortSignal: new AbortController().signal });
  } catch (error) {
    if (error instanceof WorkflowError) throw new ApiFailure(422, error.type ?? 'UPLOAD_REFUSED', error.message);
    throw error;
  }
  const output = handler.output.safeParse(result);
  if (!output.success || !isRecord(output.data)) throw new ApiFailure(500, 'HANDLER_OUTPUT_INVALID', `${name} returned something other than its declared output`);
  return output.data;
}
