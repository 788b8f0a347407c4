/**
 * A small, strict CSV reader for the document fakes: RFC 4180 quoting, a header
 * row, and leading `# key: value` metadata lines (e.g. `# period: 2025-01`).
 * Every malformed input is a non-retryable EXTRACTION_INPUT_INVALID naming the line.
 */
import { WorkflowError } from '../../interpreter/handlers/index.ts';

export interface CsvTable {
  readonly meta: Readonly<Record<string, string>>;
  readonly header: readonly string[];
  /** Data rows with their 1-based line numbers, for error messages. */
  readonly rows: readonly { readonly line: number; readonly cells: readonly string[] }[];
}

export function invalidInput(message: string): WorkflowError {
  return new WorkflowError(message, { type: 'EXTRACTION_INPUT_INVALID', nonRetryable: true });
}

/** Splits one CSV line into cells; quotes may contain commas and doubled quotes. */
function splitLine(text: string, line: number): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  if (quoted) throw invalidInput(`line ${line}: unterminated quoted cell`);
  cells.push(cell.trim());
  return cells;
}

/** Parses CSV text with a header row. */
export function parseCsv(content: string): CsvTable {
  const meta: Record<string, string> = {};
  const rows: { line: number; cells: string[] }[] = [];
  let header: string[] | undefined;
  content.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const text = raw.trim();
    if (text === '') return;
    if (text.startsWith('#')) {
      const match = /^#\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.*)$/.exec(text);
      if (match && !header) meta[match[1].toLowerCase()] = match[2].trim();
      return;
    }
    const cells = splitLine(text, line);
    if (!header) {
      header = cells.map((cell) => cell.toLowerCase());
      const duplicate = header.find((name, i) => header!.indexOf(name) !== i);
      if (duplicate !== undefined) throw invalidInput(`line ${line}: column "${duplicate}" appears twice`);
      return;
    }
    if (cells.length !== header.length) throw invalidInput(`line ${line}: expected ${header.length} cells, found ${cells.length}`);
    rows.push({ line, cells });
  });
  if (!header) throw invalidInput('the document has no header row');
  return { meta, header, rows };
}

/** Checks the header has these columns. */
export function requireColumns(table: CsvTable, columns: readonly string[]): void {
  const missing = columns.filter((column) => !table.header.includes(column));
  if (missing.length > 0) throw invalidInput(`missing column(s) ${missing.join(', ')}; found ${table.header.join(', ')}`);
}

/** A cell by column name. */
export function cellOf(table: CsvTable, cells: readonly string[], column: string): string {
  const at = table.header.indexOf(column);
  return at < 0 ? '' : cells[at];
}

/** An amount like `1,234.50`, `-20` or empty (0); anything else is invalid input. */
export function parseAmount(text: string, line: number, column: string): number {
  const plain = text.replace(/,/g, '');
  if (plain === '') return 0;
  if (!/^-?[0-9]+(\.[0-9]{1,2})?$/.test(plain)) throw invalidInput(`line ${line}: ${column} "${text}" is not an amount`);
  return Number(plain);
}
