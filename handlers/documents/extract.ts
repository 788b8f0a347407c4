/**
 * Deterministic "extraction": turns a CSV document into typed rows and summary
 * fields, per document schema. Same bytes in, same extraction out, on every runtime.
 */
import { z } from 'zod';
import { defineHandler } from '../../interpreter/handlers/index.ts';
import { FileStore } from '../store/index.ts';
import { cellOf, invalidInput, parseAmount, parseCsv, requireColumns, type CsvTable } from './csv.ts';
import { DocumentSchema, loadDocument, readDataFile } from './uploads.ts';

type Cell = string | number;
type Field = string | number | boolean;
interface Extracted {
  rows: Record<string, Cell>[];
  fields: Record<string, Field>;
}

const cents = (n: number): number => Math.round(n * 100);

function extractTrialBalance(table: CsvTable): Extracted {
  requireColumns(table, ['account', 'debit', 'credit']);
  const rows = table.rows.map(({ line, cells }) => {
    const account = cellOf(table, cells, 'account');
    if (account === '') throw invalidInput(`line ${line}: account is empty`);
    const debit = parseAmount(cellOf(table, cells, 'debit'), line, 'debit');
    const credit = parseAmount(cellOf(table, cells, 'credit'), line, 'credit');
    if (debit < 0 || credit < 0) throw invalidInput(`line ${line}: debit and credit must not be negative`);
    return { account, name: cellOf(table, cells, 'name'), debit, credit };
  });
  if (rows.length === 0) throw invalidInput('the trial balance has no lines');
  const debit = rows.reduce((sum, row) => sum + cents(row.debit), 0);
  const credit = rows.reduce((sum, row) => sum + cents(row.credit), 0);
  return { rows, fields: { ...table.meta, total_debit: debit / 100, total_credit: credit / 100, balanced: debit === credit } };
}

function extractBankStatement(table: CsvTable): Extracted {
  requireColumns(table, ['date', 'description', 'amount']);
  const rows = table.rows.map(({ line, cells }) => {
    const date = cellOf(table, cells, 'date');
    if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(date)) throw invalidInput(`line ${line}: date "${date}" is not YYYY-MM-DD`);
    return { date, description: cellOf(table, cells, 'description'), amount: parseAmount(cellOf(table, cells, 'amount'), line, 'amount') };
  });
  const inflow = rows.reduce((sum, row) => sum + Math.max(0, cents(row.amount)), 0);
  const outflow = rows.reduce((sum, row) => sum + Math.max(0, -cents(row.amount)), 0);
  return { rows, fields: { ...table.meta, total_in: inflow / 100, total_out: outflow / 100, net: (inflow - outflow) / 100 } };
}

function extractTable(table: CsvTable): Extracted {
  const rows = table.rows.map(({ cells }) => Object.fromEntries(table.header.map((column, i) => [column, cells[i]])));
  return { rows, fields: { ...table.meta } };
}

const EXTRACTORS: Record<z.output<typeof DocumentSchema>, (table: CsvTable) => Extracted> = {
  trial_balance: extractTrialBalance,
  bank_statement: extractBankStatement,
  table: extractTable,
};

export const extractDocument = defineHandler({
  name: 'documents.extract',
  description: 'Extracts typed rows and summary fields from a registered document, or from inline content or a data-dir path.',
  input: z
    .strictObject({
      document_id: z.string().min(1).nullish(),
      content: z.string().nullish(),
      path: z.string().min(1).nullish(),
      schema: DocumentSchema.nullish().meta({ description: 'Required without document_id; overrides the registered schema with it.' }),
    })
    .refine((input) => [input.document_id, input.content, input.path].filter((v) => v != null).length === 1, {
      message: 'give exactly one of document_id, content or path',
    })
    .refine((input) => input.document_id != null || input.schema != null, { message: 'schema is required without document_id', path: ['schema'] }),
  output: z.object({
    document_id: z.string().nullable(),
    schema: DocumentSchema,
    columns: z.array(z.string()),
    fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    rows: z.array(z.record(z.string(), z.union([z.string(), z.number()]))),
    row_count: z.number().int(),
  }),
  async run(input, { logger }) {
    const store = new FileStore();
    let content: string;
    let schema = input.schema ?? undefined;
    if (input.document_id != null) {
      const loaded = await loadDocument(store, input.document_id);
      content = loaded.content;
      schema ??= loaded.record.schema;
    } else {
      content = input.content ?? (await readDataFile(store, input.path ?? ''));
    }
    if (schema === undefined) throw invalidInput('schema is required');
    const table = parseCsv(content);
    const { rows, fields } = EXTRACTORS[schema](table);
    logger.info('document extracted', { documentId: input.document_id, schema, rows: rows.length });
    return { document_id: input.document_id ?? null, schema, columns: [...table.header], fields, rows, row_count: rows.length };
  },
});
