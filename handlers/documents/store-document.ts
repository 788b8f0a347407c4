/**
 * Filing a classified, extracted document under its entity and period: the
 * committed document context a later run (or `previous()`) can load.
 */
import { z } from 'zod';
import { defineHandler } from '../../interpreter/handlers/index.ts';
import { FileStore } from '../store/index.ts';
import { DocumentSchema, loadDocument } from './uploads.ts';

export const storeDocument = defineHandler({
  name: 'documents.store',
  description: 'Files a document with its category and extraction under documents/<entity>/<period>/; overwriting is idempotent.',
  input: z.strictObject({
    document_id: z.string().min(1),
    category: DocumentSchema,
    extraction: z.looseObject({ fields: z.record(z.string(), z.unknown()), rows: z.array(z.unknown()) }),
  }),
  output: z.object({ document_id: z.string(), category: DocumentSchema, location: z.string(), row_count: z.number().int() }),
  async run({ document_id, category, extraction }, { info, logger }) {
    const store = new FileStore();
    const { record } = await loadDocument(store, document_id);
    const key = ['documents', record.entity, record.period, 'stored', document_id];
    const { content: _content, ...descriptor } = record;
    await store.write(key, { ...descriptor, category, fields: extraction.fields, rows: extraction.rows, stored_by_run: info.runId });
    logger.info('document stored', { documentId: document_id, category });
    return { document_id, category, location: `${key.join('/')}.json`, row_count: extraction.rows.length };
  },
});
