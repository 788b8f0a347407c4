/**
 * Stored uploads: a document's bytes kept in the store under a content-derived id, so runs
 * carry the id (`{ document_id }` in a signal or an input), never the bytes. `runbook call
 * documents.upload --args @FILE` stores one from the command line and prints its id.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineHandler, WorkflowError } from '../../interpreter/handlers/index.ts';
import { FileStore, stableId } from '../store/index.ts';
import { invalidInput } from './csv.ts';
import { readDataFile } from './data-file.ts';

/** The id of a stored upload: `upl-` and 16 hex digits. */
export const UploadId = z.string().regex(/^upl-[0-9a-f]{16}$/).meta({ description: 'A stored upload (documents.upload), e.g. upl-3f1a0c9e5b7d2a41.' });

const StoredUpload = z.object({ document_id: UploadId, filename: z.string(), bytes: z.number().int(), sha256: z.string(), content: z.string() });
const uploadKey = (id: string): string[] => ['documents', 'blobs', id];

/** A stored upload's content; DOCUMENT_NOT_FOUND (not retried) when there is none with that id. */
export async function loadUpload(store: FileStore, id: string): Promise<z.output<typeof StoredUpload>> {
  const found = UploadId.safeParse(id).success ? await store.read(uploadKey(id), StoredUpload) : undefined;
  if (!found) throw new WorkflowError(`no stored upload ${id} (store it first: runbook call documents.upload)`, { type: 'DOCUMENT_NOT_FOUND', nonRetryable: true });
  return found;
}

export const uploadDocument = defineHandler({
  name: 'documents.upload',
  description: 'Stores a document (inline content or a file under the data directory) and returns its id; with document_id, checks a stored one.',
  input: z
    .strictObject({
      filename: z.string().min(1).nullish(),
      content: z.string().nullish(),
      path: z.string().min(1).nullish(),
      document_id: UploadId.nullish(),
    })
    .refine((input) => [input.content, input.path, input.document_id].filter((v) => v != null).length === 1, { message: 'give exactly one of content, path or document_id' })
    .refine((input) => input.document_id != null || input.filename != null, { message: 'filename is required with content or path', path: ['filename'] }),
  output: z.object({ document_id: UploadId, filename: z.string(), bytes: z.number().int(), sha256: z.string() }),
  async run(input, { logger }) {
    const store = new FileStore();
    if (input.document_id != null) {
      const { content: _content, ...summary } = await loadUpload(store, input.document_id);
      return summary;
    }
    const content = input.content ?? (await readDataFile(store, input.path ?? ''));
    if (input.filename == null) throw invalidInput('filename is required');
    const sha256 = createHash('sha256').update(content).digest('hex');
    const summary = { document_id: stableId('upl', input.filename, sha256), filename: input.filename, bytes: Buffer.byteLength(content), sha256 };
    if (await store.create(uploadKey(summary.document_id), { ...summary, content })) logger.info('document uploaded', { documentId: summary.document_id, bytes: summary.bytes });
    return summary;
  },
});
