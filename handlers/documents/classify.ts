/**
 * Rule-based classification of a registered document by its columns and filename.
 * With `expected`, a mismatch is a non-retryable DOCUMENT_MISCLASSIFIED a runbook can route on.
 */
import { z } from 'zod';
import { defineHandler, WorkflowError } from '../../interpreter/handlers/index.ts';
import { FileStore } from '../store/index.ts';
import { parseCsv } from './csv.ts';
import { DocumentSchema, loadDocument } from './uploads.ts';

type Category = z.output<typeof DocumentSchema>;

/** First rule that matches wins; `table` is the fallback. */
const RULES: readonly { rule: string; category: Category; confidence: number; test(columns: readonly string[], filename: string): boolean }[] = [
  {
    rule: 'columns:account+debit+credit',
    category: 'trial_balance',
    confidence: 0.95,
    test: (columns) => ['account', 'debit', 'credit'].every((c) => columns.includes(c)),
  },
  {
    rule: 'columns:date+amount',
    category: 'bank_statement',
    confidence: 0.9,
    test: (columns) => columns.includes('date') && columns.includes('amount'),
  },
  {
    rule: 'filename:trial_balance',
    category: 'trial_balance',
    confidence: 0.6,
    test: (_, filename) => /(^|[^a-z])(tb|trial[-_ ]?balance)([^a-z]|$)/i.test(filename),
  },
  { rule: 'filename:statement', category: 'bank_statement', confidence: 0.6, test: (_, filename) => /statement/i.test(filename) },
];

export const classifyDocument = defineHandler({
  name: 'documents.classify',
  description: 'Classifies a registered document; fails with DOCUMENT_MISCLASSIFIED when it is not the expected kind.',
  input: z.strictObject({
    document_id: z.string().min(1),
    expected: DocumentSchema.nullish().meta({ description: 'The kind the runbook expects; a different classification fails.' }),
  }),
  output: z.object({ document_id: z.string(), category: DocumentSchema, confidence: z.number().min(0).max(1), rule: z.string() }),
  async run({ document_id, expected }, { logger }) {
    const { record, content } = await loadDocument(new FileStore(), document_id);
    const columns = parseCsv(content).header;
    const match = RULES.find((rule) => rule.test(columns, record.filename));
    const result = match
      ? { document_id, category: match.category, confidence: match.confidence, rule: match.rule }
      : { document_id, category: 'table' as const, confidence: 0.5, rule: 'fallback' };
    if (expected != null && result.category !== expected) {
      throw new WorkflowError(`${record.filename} looks like a ${result.category} (${result.rule}), not a ${expected}`, {
        type: 'DOCUMENT_MISCLASSIFIED',
        nonRetryable: true,
      });
    }
    logger.info('document classified', { documentId: document_id, category: result.category });
    return result;
  },
});
