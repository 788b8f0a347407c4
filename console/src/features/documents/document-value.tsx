/**
 * A committed document's value, readable: an array of records as a table, an object of scalars as a
 * table of its fields (nested objects flattened to paths such as Totals › Debit, the paths the
 * changes name), anything else as formatted JSON; the JSON one click away.
 */
import { useId, useState } from 'react';
import { humanize } from '../../shared/format.ts';

type Scalar = string | number | boolean | null;
type Row = Readonly<Record<string, unknown>>;

const MAX_FIELDS = 200;
const MAX_ROWS = 200;

const isRecord = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);
const isScalar = (value: unknown): value is Scalar => value === null || ['string', 'number', 'boolean'].includes(typeof value);

/** `totals.debit` → `Totals › Debit`, `lines[2].credit` → `Lines › #3 › Credit`: a change's path as people read it. */
export function pathLabel(path: string): string {
  if (path === '') return 'The whole value';
  const parts = [...path.matchAll(/\[("(?:[^"\\]|\\.)*")\]|\[(\d+)\]|([^.[\]]+)/g)].map(([, quoted, index, name]) => {
    if (quoted !== undefined) return String(JSON.parse(quoted));
    if (index !== undefined) return `#${Number(index) + 1}`;
    return humanize(name ?? '');
  });
  return parts.join(' › ');
}

/** A scalar as text: numbers grouped, booleans as yes/no, null as a dash. */
export function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return value.toLocaleString(undefined, { maximumFractionDigits: 6 });
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The leaves of an object of objects and scalars as [path, value] rows, or null when it holds anything else (or too much). */
function fieldRows(value: Row): Array<[string, Scalar]> | null {
  const rows: Array<[string, Scalar]> = [];
  const walk = (prefix: string, object: Row): boolean => {
    for (const [key, item] of Object.entries(object)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (isScalar(item)) rows.push([path, item]);
      else if (isRecord(item) && Object.keys(item).length > 0) {
        if (!walk(path, item)) return false;
      } else return false;
      if (rows.length > MAX_FIELDS) return false;
    }
    return true;
  };
  return walk('', value) && rows.length > 0 ? rows : null;
}

function FieldTable({ rows, caption }: { readonly rows: ReadonlyArray<[string, Scalar]>; readonly caption: string }) {
  return (
    <div className="table-wrap">
      <table className="data-table document-fields">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr><th scope="col">Field</th><th scope="col" className="num">Value</th></tr>
        </thead>
        <tbody>
          {rows.map(([path, item]) => (
            <tr key={path} data-path={path}>
              <th scope="row">{pathLabel(path)}</th>
              <td>{scalarText(item)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RecordTable({ rows, caption }: { readonly rows: readonly Row[]; readonly caption: string }) {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>{columns.map((column) => <th key={column} scope="col">{humanize(column)}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              {columns.map((column) => (
                <td key={column} className={typeof row[column] === 'number' ? 'num' : undefined}>{scalarText(row[column])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** How a value reads best; `json` when no table fits it. */
function readableOf(value: unknown): { kind: 'records'; rows: Row[] } | { kind: 'fields'; rows: Array<[string, Scalar]> } | { kind: 'scalar' } | { kind: 'json' } {
  if (Array.isArray(value) && value.length > 0 && value.length <= MAX_ROWS && value.every((row) => isRecord(row) && Object.values(row).every(isScalar))) {
    return { kind: 'records', rows: value as Row[] };
  }
  const fields = isRecord(value) ? fieldRows(value) : null;
  if (fields) return { kind: 'fields', rows: fields };
  return isScalar(value) ? { kind: 'scalar' } : { kind: 'json' };
}

const Json = ({ value }: { readonly value: unknown }) => <pre className="json" tabIndex={0}>{JSON.stringify(value, null, 2)}</pre>;

/** The value with a toggle to its JSON (when it reads as a table); `caption` names its table for screen readers. */
export function DocumentValue({ value, caption, testId }: { readonly value: unknown; readonly caption: string; readonly testId?: string }) {
  const [raw, setRaw] = useState(false);
  const id = useId();
  const readable = readableOf(value);
  let shown;
  if (raw || readable.kind === 'json') shown = <Json value={value} />;
  else if (readable.kind === 'records') shown = <RecordTable rows={readable.rows} caption={caption} />;
  else if (readable.kind === 'fields') shown = <FieldTable rows={readable.rows} caption={caption} />;
  else shown = <p className="document-scalar">{scalarText(value)}</p>;
  return (
    <div className="payload document-value" data-testid={testId} data-shown={raw ? 'json' : readable.kind}>
      {readable.kind === 'records' || readable.kind === 'fields' ? (
        <div className="payload-tools">
          <button type="button" className="button-link" aria-controls={id} aria-pressed={raw} onClick={() => setRaw(!raw)}>
            {raw ? 'Show as table' : 'Show JSON'}
          </button>
        </div>
      ) : null}
      <div id={id}>{shown}</div>
    </div>
  );
}
