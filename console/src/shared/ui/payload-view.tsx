/**
 * Any JSON value, readable: arrays of records as tables, objects as key/value lists, scalars as
 * text; with the raw JSON one click away. Long tables show their first rows and a button for the rest.
 */
import { useId, useState } from 'react';
import { humanize } from '../format.ts';

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
type Record_ = { readonly [key: string]: Json };

const isRecord = (value: unknown): value is Record_ => typeof value === 'object' && value !== null && !Array.isArray(value);
const isScalar = (value: unknown): boolean => value === null || ['string', 'number', 'boolean'].includes(typeof value);

const ROWS_SHOWN = 50;

function Scalar({ value }: { readonly value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  if (typeof value === 'boolean') return <span>{value ? 'yes' : 'no'}</span>;
  if (typeof value === 'number') return <span className="num">{value.toLocaleString(undefined, { maximumFractionDigits: 6 })}</span>;
  return <span className="text-value">{String(value)}</span>;
}

function RecordTable({ rows, caption }: { readonly rows: readonly Record_[]; readonly caption?: string }) {
  const [all, setAll] = useState(false);
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const shown = all ? rows : rows.slice(0, ROWS_SHOWN);
  return (
    <div className="table-wrap">
      <table className="data-table">
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>{columns.map((column) => <th key={column} scope="col">{humanize(column)}</th>)}</tr>
        </thead>
        <tbody>
          {shown.map((row, i) => (
            <tr key={i}>
              {columns.map((column) => (
                <td key={column} className={typeof row[column] === 'number' ? 'num' : undefined}>
                  <Value value={row[column] ?? null} depth={3} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > ROWS_SHOWN ? (
        <button type="button" className="button-link" onClick={() => setAll(!all)}>
          {all ? `Show the first ${ROWS_SHOWN} rows` : `Show all ${rows.length} rows`}
        </button>
      ) : null}
    </div>
  );
}

function Value({ value, depth }: { readonly value: unknown; readonly depth: number }) {
  if (isScalar(value) || value === undefined) return <Scalar value={value} />;
  if (depth > 4) return <code className="inline-json">{JSON.stringify(value)}</code>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">none</span>;
    if (value.every(isRecord)) return <RecordTable rows={value} />;
    if (value.every(isScalar)) return <span>{value.map((v) => (v === null ? '—' : String(v))).join(', ')}</span>;
    return (
      <ol className="value-list">
        {value.map((item, i) => <li key={i}><Value value={item} depth={depth + 1} /></li>)}
      </ol>
    );
  }
  if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return <span className="muted">empty</span>;
    return (
      <dl className="kv">
        {entries.map(([key, item]) => (
          <div key={key} className="kv-row">
            <dt>{humanize(key)}</dt>
            <dd><Value value={item} depth={depth + 1} /></dd>
          </div>
        ))}
      </dl>
    );
  }
  return <Scalar value={String(value)} />;
}

/** The value, readable, with a toggle to its JSON. */
export function PayloadView({ value, testId, label }: { readonly value: unknown; readonly testId?: string; readonly label?: string }) {
  const [raw, setRaw] = useState(false);
  const id = useId();
  return (
    <div className="payload" data-testid={testId}>
      <div className="payload-tools">
        <button type="button" className="button-link" aria-controls={id} aria-pressed={raw} onClick={() => setRaw(!raw)}>
          {raw ? 'Show as table' : 'Show JSON'}
        </button>
      </div>
      <div id={id} aria-label={label} role={label ? 'group' : undefined}>
        {raw ? <pre className="json">{JSON.stringify(value, null, 2)}</pre> : <Value value={value} depth={0} />}
      </div>
    </div>
  );
}

export type { Json };
