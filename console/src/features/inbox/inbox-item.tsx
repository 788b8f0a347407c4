/** One waiting run (or a roll-up of fan-out children) in the inbox. */
import { useId, useState } from 'react';
import type { InboxEntry, InboxItem } from '../../shared/api/index.ts';
import { formatDateTime } from '../../shared/format.ts';
import { Link } from '../../shared/router.tsx';
import { IdentityList } from '../../shared/ui/identity-list.tsx';
import { Elapsed, RelativeTime } from '../../shared/ui/times.tsx';

const runPath = (runId: string): string => `/runs/${encodeURIComponent(runId)}`;

function Deadline({ deadline }: { readonly deadline: string | null }) {
  if (!deadline) return null;
  const overdue = Date.parse(deadline) < Date.now();
  return (
    <span className={overdue ? 'deadline deadline-overdue' : 'deadline'}>
      {overdue ? 'Deadline passed ' : 'Due '}
      <RelativeTime iso={deadline} />
      <span className="sr-only"> ({formatDateTime(deadline)})</span>
    </span>
  );
}

function ChildRow({ child }: { readonly child: InboxEntry }) {
  return (
    <li className="rollup-child">
      <Link to={runPath(child.run_id)}>{child.title}{child.parent ? ` #${child.parent.index + 1}` : ''}</Link>
      <IdentityList identity={child.identity} />
      <span className="muted">waiting <Elapsed iso={child.waiting_since} /></span>
    </li>
  );
}

/** A roll-up shows what its children share (entity, period), not the first child's own fields. */
function sharedIdentity(children: readonly InboxEntry[]): Record<string, unknown> {
  const [first, ...rest] = children;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first.identity).filter(([key, value]) => rest.every((child) => JSON.stringify(child.identity[key]) === JSON.stringify(value))));
}

/** The longest wait among the children. */
function earliest(children: readonly InboxEntry[]): string | null {
  const times = children.map((child) => child.waiting_since).filter((t): t is string => t !== null).sort();
  return times[0] ?? null;
}

export function InboxItemCard({ item }: { readonly item: InboxItem }) {
  const [open, setOpen] = useState(false);
  const childrenId = useId();
  const headingId = useId();
  const rollup = item.rollup;
  const identity = rollup ? sharedIdentity(rollup.children) : item.identity;
  const since = rollup ? earliest(rollup.children) ?? item.waiting_since : item.waiting_since;
  return (
    <li className="inbox-item" data-testid="inbox-item" data-run-id={item.run_id} aria-labelledby={headingId}>
      <div className="inbox-item-main">
        <p className="inbox-runbook">{item.title}</p>
        <h3 id={headingId} className="inbox-step">
          <Link to={runPath(item.run_id)}>{item.step_title}</Link>
        </h3>
        {item.reason ? <p className="inbox-reason">{item.reason}</p> : null}
        <IdentityList identity={identity} />
        {rollup ? (
          <div className="rollup">
            <p className="rollup-label" data-testid="inbox-rollup">{rollup.label}</p>
            {item.parent ? <Link to={runPath(item.parent.run_id)} className="rollup-parent">Open the parent run</Link> : null}
            <button type="button" className="button-link" aria-expanded={open} aria-controls={childrenId} onClick={() => setOpen(!open)}>
              {open ? 'Hide' : 'Show'} the {rollup.waiting} waiting
            </button>
            <ul id={childrenId} className="rollup-children" hidden={!open}>
              {rollup.children.map((child) => <ChildRow key={child.run_id} child={child} />)}
            </ul>
          </div>
        ) : null}
      </div>
      <div className="inbox-item-side">
        <span className="waited">{rollup ? 'Longest waiting ' : 'Waiting '}<Elapsed iso={since} /></span>
        <Deadline deadline={item.deadline} />
        {item.started_by ? <span className="muted">Started by {item.started_by}</span> : null}
      </div>
    </li>
  );
}
