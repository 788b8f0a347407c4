/**
 * Registered uploads: a document descriptor (entity, period, source, schema,
 * filename) with its content inline, as a file under the data directory, or by
 * reference to a stored upload (documents.upload). Registration is idempotent: the
 * id derives from the descriptor and the content hash, however the content came.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineHandler, WorkflowError } from '../../interpreter/handlers/index.ts';
import { FileStore, stableId } from '../store/index.ts';
import { Entity, Period } from '../ledger/records.ts';
import { readDataFile } from './data-file.ts';
import { loadUpload, UploadId } from './upload-document.ts';

export { readDataFile };

export const DocumentSchema = z.enum(['trial_balance', 'bank_statement', 'table']).meta({ description: 'What the document is expected to contain.' });

export const DocumentRecord = z.object({
  document_id: z.string(),
  entity: Entity,
  period: Period,
  source: z.string(),
  schema: DocumentSchema,
  filename: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
  content: z.string().optional(),
  path: z.string().optional(),
  /** The stored upload holding the content (documents.upload): the record does not copy it. */
  upload: UploadId.optional(),
});
export type DocumentRecord = z.output<typeof DocumentRecord>;

const uploadKey = (id: string): string[] => ['documents', 'uploads', id];

/** A registered document and its content. */
export async function loadDocument(store: FileStore, documentId: string): Promise<{ record: DocumentRecord; content: string }> {
  const record = /^[a-z]+-[0-9a-f]{16}$/.test(documentId) ? await store.read(uploadKey(documentId), DocumentRecord) : undefined;
  if (!record) throw new WorkflowError(`no registered document ${documentId}`, { type: 'DOCUMENT_NOT_FOUND', nonRetryable: true });
  const content = record.content ?? (record.upload ? (await loadUpload(store, record.upload)).content : await readDataFile(store, record.path ?? ''));
  return { record, content };
}

export const registerUpload = defineHandler({
  name: 'documents.register_upload',
  description: 'Registers an uploaded document (inline content or a path under the data directory) and returns its id.',
  input: z
    .strictObject({
      entity: Entity,
      period: Period,
      source: z.string().min(1).meta({ description: 'Where it came from, e.g. upload, email, bank_feed.' }),
      schema: DocumentSchema,
      filename: z.string().min(1),
      content: z.string().nullish(),
      path: z.string().min(1).nullish(),
      document_id: UploadId.nullish().meta({ description: 'A stored upload (documents.upload) instead of content or path: large documents travel by id.' }),
    })
    .refine((input) => [input.content, input.path, input.document_id].filter((v) => v != null).length === 1, { message: 'give exactly one of content, path or document_id' }),
  output: DocumentRecord.omit({ content: true, path: true, upload: true }),
  async run(input, { logger }) {
    const store = new FileStore();
    const content = input.document_id != null ? (await loadUpload(store, input.document_id)).content : (input.content ?? (await readDataFile(store, input.path ?? '')));
    const sha256 = createHash('sha256').update(content).digest('hex');
    const documentId = stableId('doc', input.entity, input.period, input.source, input.schema, input.filename, sha256);
    const { entity, period, source, schema, filename } = input;
    const summary = { document_id: documentId, entity, period, source, schema, filename, bytes: Buffer.byteLength(content), sha256 };
    const from = input.document_id != null ? { upload: input.document_id } : input.content != null ? { content: input.content } : { path: input.path ?? '' };
    const record: DocumentRecord = { ...summary, ...from };
    if (await store.create(uploadKey(documentId), record)) logger.info('document registered', { documentId, filename });
    return summary;
  },
});
