/**
 * Registered uploads: a document descriptor (entity, period, source, schema,
 * filename) with its content inline or as a file under the data directory.
 * Registration is idempotent: the id derives from the descriptor and the content hash.
 */
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineHandler, WorkflowError } from '../../interpreter/handlers/index.ts';
import { FileStore, stableId } from '../store/index.ts';
import { Entity, Period } from '../ledger/records.ts';
import { invalidInput } from './csv.ts';

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
});
export type DocumentRecord = z.output<typeof DocumentRecord>;

const uploadKey = (id: string): string[] => ['documents', 'uploads', id];

/** Reads a file given relative to the data directory; refuses paths that leave it. */
export async function readDataFile(store: FileStore, path: string): Promise<string> {
  const file = store.resolveInside(path);
  if (!file) throw invalidInput(`path "${path}" must be relative and inside the data directory`);
  try {
    return await readFile(file, 'utf8');
  } catch {
    // Retryable: an upload may still be landing.
    throw new WorkflowError(`document file "${path}" not found under ${store.root}`, { type: 'DOCUMENT_NOT_FOUND' });
  }
}

/** A registered document and its content. */
export async function loadDocument(store: FileStore, documentId: string): Promise<{ record: DocumentRecord; content: string }> {
  const record = /^[a-z]+-[0-9a-f]{16}$/.test(documentId) ? await store.read(uploadKey(documentId), DocumentRecord) : undefined;
  if (!record) throw new WorkflowError(`no registered document ${documentId}`, { type: 'DOCUMENT_NOT_FOUND', nonRetryable: true });
  const content = record.content ?? (await readDataFile(store, record.path ?? ''));
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
    })
    .refine((input) => (input.content == null) !== (input.path == null), { message: 'give exactly one of content or path' }),
  output: DocumentRecord.omit({ content: true, path: true }),
  async run(input, { logger }) {
    const store = new FileStore();
    const content = input.content ?? (await readDataFile(store, input.path ?? ''));
    const sha256 = createHash('sha256').update(content).digest('hex');
    const documentId = stableId('doc', input.entity, input.period, input.source, input.schema, input.filename, sha256);
    const { entity, period, source, schema, filename } = input;
    const summary = { document_id: documentId, entity, period, source, schema, filename, bytes: Buffer.byteLength(content), sha256 };
    const record: DocumentRecord = { ...summary, ...(input.content != null ? { content: input.content } : { path: input.path ?? '' }) };
    if (await store.create(uploadKey(documentId), record)) logger.info('document registered', { documentId, filename });
    return summary;
  },
});
