/**
 * `display_hint.type: review_extraction`: the extracted trial balance (`payload.trial_balance`, the
 * output of documents.extract: `rows` of `{account, name, debit, credit}` and summary `fields`) as an
 * editable table. Changed and added lines become `corrections.lines` (each replaces the extracted
 * line with the same account, or is added) and are sent as `corrected`.
 */
import { useId, useMemo, useState } from 'react';
import { Plus, Undo2 } from 'lucide-react';
import type { ApiError } from '../../shared/api/index.ts';
import { PayloadView } from '../../shared/ui/payload-view.tsx';
import { GenericReview } from './generic-review.tsx';
import type { HintComponentProps } from './hint-component.ts';
import { OutcomeBar } from './outcome-bar.tsx';
import { useActionSender } from './use-action-sender.ts';

interface Line {
  readonly account: string;
  readonly name: string;
  readonly debit: string;
  readonly credit: string;
  readonly added?: boolean;
}

interface Extraction {
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  readonly fields: Readonly<Record<string, unknown>>;
}

const record = (value: unknown): Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

function extractionOf(payload: unknown): Extraction | null {
  const tb = record(record(payload).trial_balance);
  if (!Array.isArray(tb.rows)) return null;
  return { rows: (tb.rows as unknown[]).map(record), fields: record(tb.fields) };
}

const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
const linesOf = (extraction: Extraction): Line[] =>
  extraction.rows.map((row) => ({ account: text(row.account), name: text(row.name), debit: text(row.debit), credit: text(row.credit) }));
const sameLine = (a: Line, b: Line | undefined): boolean =>
  b !== undefined && a.account === b.account && a.name === b.name && Number(a.debit) === Number(b.debit) && Number(a.credit) === Number(b.credit);
const PAGE_ROWS = 200;
const money = (n: number): string => n.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function correctionsOf(lines: readonly Line[], original: readonly Line[]): { lines: object[] } | ApiError {
  const changed = lines.filter((line, i) => line.added || !sameLine(line, original[i]));
  if (changed.length === 0) return { code: 'NO_CORRECTIONS', message: 'edit a line (or add one) before submitting corrections' };
  const out: object[] = [];
  for (const line of changed) {
    const debit = Number(line.debit || 0);
    const credit = Number(line.credit || 0);
    if (!line.account.trim()) return { code: 'CORRECTIONS_INVALID', message: 'every line needs an account' };
    if (!Number.isFinite(debit) || !Number.isFinite(credit) || debit < 0 || credit < 0) {
      return { code: 'CORRECTIONS_INVALID', message: `account ${line.account}: debit and credit must be numbers of at least 0` };
    }
    out.push({ account: line.account.trim(), ...(line.name ? { name: line.name } : {}), debit, credit });
  }
  return { lines: out };
}

export function ReviewExtraction(props: HintComponentProps) {
  const { runId, pending } = props;
  const sender = useActionSender(runId, pending);
  const extraction = useMemo(() => extractionOf(pending.payload), [pending.payload]);
  const original = useMemo(() => (extraction ? linesOf(extraction) : []), [extraction]);
  const [lines, setLines] = useState<Line[]>(original);
  const [find, setFind] = useState('');
  const [shown, setShown] = useState(PAGE_ROWS);
  const findId = useId();
  const mayCorrect = (pending.outcomes ?? ['corrected']).includes('corrected');
  if (!extraction) return <GenericReview {...props} />;
  const edited = lines.filter((line, i) => line.added || !sameLine(line, original[i])).length;
  const totals = lines.reduce((sum, line) => ({ debit: sum.debit + (Number(line.debit) || 0), credit: sum.credit + (Number(line.credit) || 0) }), { debit: 0, credit: 0 });
  const balanced = Math.round(totals.debit * 100) === Math.round(totals.credit * 100);
  const update = (index: number, field: keyof Line, value: string): void =>
    setLines((current) => current.map((line, i) => (i === index ? { ...line, [field]: value } : line)));
  // Long balances: find a line by account or name, and render a page of rows at a time.
  const needle = find.trim().toLowerCase();
  const matching = lines.map((line, i) => ({ line, i })).filter(({ line }) => !needle || line.account.toLowerCase().includes(needle) || line.name.toLowerCase().includes(needle));
  const visible = matching.slice(0, shown);
  const others = Object.fromEntries(Object.entries(record(pending.payload)).filter(([key]) => key !== 'trial_balance'));
  const correct = (): void => {
    const corrections = correctionsOf(lines, original);
    if ('code' in corrections) sender.setError(corrections);
    else void sender.send('corrected', corrections);
  };
  return (
    <div className="review">
      <h3 className="subheading">Extracted trial balance</h3>
      <dl className="kv kv-inline">
        {Object.entries(extraction.fields).map(([key, value]) => (
          <div key={key} className="kv-row"><dt>{key.replace(/_/g, ' ')}</dt><dd className={typeof value === 'number' ? 'num' : undefined}>{typeof value === 'boolean' ? (value ? 'yes' : 'no') : typeof value === 'number' ? money(value) : text(value)}</dd></div>
        ))}
      </dl>
      {lines.length > 20 ? (
        <div className="line-tools">
          <div className="field">
            <label htmlFor={findId}>Find a line</label>
            <input id={findId} type="search" value={find} onChange={(e) => setFind(e.target.value)} placeholder="Account or name" data-testid="line-find" />
          </div>
          <span className="muted small" role="status">{matching.length === lines.length ? `${lines.length} lines` : `${matching.length} of ${lines.length} lines`}</span>
        </div>
      ) : null}
      <div className="table-wrap">
        <table className="data-table edit-table" data-testid="review-lines">
          <caption className="sr-only">Trial balance lines{mayCorrect && props.page.can.act ? ', editable' : ''}</caption>
          <thead>
            <tr><th scope="col">Account</th><th scope="col">Name</th><th scope="col" className="num">Debit</th><th scope="col" className="num">Credit</th></tr>
          </thead>
          <tbody>
            {visible.map(({ line, i }) => {
              const changed = line.added || !sameLine(line, original[i]);
              const readOnly = !mayCorrect || !props.page.can.act;
              return (
                <tr key={i} className={changed ? 'row-changed' : undefined} data-testid={`line-${i}`} data-changed={changed || undefined}>
                  <td>
                    {line.added && !readOnly
                      ? <input aria-label={`Account of line ${i + 1}`} value={line.account} onChange={(e) => update(i, 'account', e.target.value)} data-testid={`line-${i}-account`} />
                      : <span className="mono">{line.account}</span>}
                  </td>
                  <td><input aria-label={`Name of account ${line.account || i + 1}`} value={line.name} readOnly={readOnly} onChange={(e) => update(i, 'name', e.target.value)} data-testid={`line-${i}-name`} /></td>
                  <td className="num"><input aria-label={`Debit of account ${line.account || i + 1}`} inputMode="decimal" className="num" value={line.debit} readOnly={readOnly} onChange={(e) => update(i, 'debit', e.target.value)} data-testid={`line-${i}-debit`} /></td>
                  <td className="num"><input aria-label={`Credit of account ${line.account || i + 1}`} inputMode="decimal" className="num" value={line.credit} readOnly={readOnly} onChange={(e) => update(i, 'credit', e.target.value)} data-testid={`line-${i}-credit`} /></td>
                </tr>
              );
            })}
          </tbody>
          {matching.length > visible.length ? (
            <tbody>
              <tr><td colSpan={4}><button type="button" className="button-link" onClick={() => setShown(shown + PAGE_ROWS * 5)}>Show {Math.min(PAGE_ROWS * 5, matching.length - visible.length)} more of {matching.length - visible.length} lines</button></td></tr>
            </tbody>
          ) : null}
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>Total {balanced ? <span className="badge badge-completed">balanced</span> : <span className="badge badge-failed">unbalanced</span>}</th>
              <td className="num" data-testid="total-debit">{money(totals.debit)}</td>
              <td className="num" data-testid="total-credit">{money(totals.credit)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      {mayCorrect && props.page.can.act ? (
        <div className="button-row">
          <button type="button" className="button button-quiet" onClick={() => { setFind(''); setShown(Math.max(shown, lines.length + 1)); setLines([...lines, { account: '', name: '', debit: '0', credit: '0', added: true }]); }} data-testid="line-add">
            <Plus size={16} aria-hidden="true" /> Add a line
          </button>
          {edited > 0 ? (
            <button type="button" className="button button-quiet" onClick={() => setLines(original)} data-testid="line-discard">
              <Undo2 size={16} aria-hidden="true" /> Discard edits
            </button>
          ) : null}
          <span className="muted" role="status">{edited === 0 ? 'No edits' : edited === 1 ? '1 line edited' : `${edited} lines edited`}</span>
        </div>
      ) : null}
      {Object.keys(others).length > 0 ? (
        <>
          <h3 className="subheading">Also under review</h3>
          <PayloadView value={others} />
        </>
      ) : null}
      {props.page.can.act ? (
        <OutcomeBar pending={pending} sender={sender} onCorrect={mayCorrect ? correct : undefined}
          approveBlocked={edited > 0 ? 'You have edited lines: submit them as corrections, or discard the edits to approve as extracted.' : null} />
      ) : null}
    </div>
  );
}
