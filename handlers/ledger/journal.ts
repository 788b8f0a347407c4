/**
 * Journal proposals: a proposed journal is stored as a draft, reviewed by a
 * person, then posted, possibly with the reviewer's corrected lines.
 * Both handlers are idempotent: the draft id derives from `info.idempotencyKey`,
 * and posting a posted journal returns it unchanged.
 */
import { z } from 'zod';
import { defineHandler, WorkflowError } from '../../interpreter/handlers/index.ts';
import { FileStore, stableId } from '../store/index.ts';
import { Entity, LedgerLine, Period, readPeriod, totalsOf, Totals } from './records.ts';

const JournalKind = z.enum(['accrual', 'prepayment', 'reclass', 'adjustment']);

const JournalRecord = z.object({
  journal_id: z.string(),
  entity: Entity,
  period: Period,
  kind: JournalKind,
  memo: z.string(),
  lines: z.array(LedgerLine),
  totals: Totals,
  status: z.enum(['proposed', 'posted']),
  approved_by: z.string().optional(),
});
type JournalRecord = z.output<typeof JournalRecord>;

const journalKey = (id: string): string[] => ['ledger', 'journals', id];

function assertBalanced(lines: readonly LedgerLine[]): Totals {
  const totals = totalsOf(lines);
  if (!totals.balanced) {
    throw new WorkflowError(`Journal does not balance: debits ${totals.debit} ≠ credits ${totals.credit}`, { type: 'JOURNAL_UNBALANCED', nonRetryable: true });
  }
  return totals;
}

export const proposeJournal = defineHandler({
  name: 'ledger.propose_journal',
  description: 'Stores a balanced draft journal for review. Fails with PERIOD_CLOSED or JOURNAL_UNBALANCED.',
  input: z.strictObject({
    entity: Entity,
    period: Period,
    kind: JournalKind.default('adjustment'),
    memo: z.string().min(1),
    lines: z.array(LedgerLine).min(2),
  }),
  output: JournalRecord,
  async run(input, { info, logger }) {
    const store = new FileStore();
    if ((await readPeriod(store, input.entity, input.period))?.status === 'closed') {
      throw new WorkflowError(`Period ${input.period} of ${input.entity} is closed`, { type: 'PERIOD_CLOSED', nonRetryable: true });
    }
    const totals = assertBalanced(input.lines);
    const journalId = stableId('jnl', info.idempotencyKey);
    const existing = await store.read(journalKey(journalId), JournalRecord);
    if (existing) return existing;
    const record: JournalRecord = { journal_id: journalId, ...input, totals, status: 'proposed' };
    await store.write(journalKey(journalId), record);
    logger.info('journal proposed', { journalId, total: totals.debit });
    return record;
  },
});

export const postJournal = defineHandler({
  name: 'ledger.post_journal',
  description: 'Posts a proposed journal to its open period, optionally with corrected lines or memo.',
  input: z.strictObject({
    journal_id: z.string().min(1),
    lines: z.array(LedgerLine).min(2).nullish().meta({ description: 'Corrected lines replacing the proposal\'s.' }),
    memo: z.string().min(1).nullish(),
    approved_by: z.string().nullish(),
  }),
  output: z.object({
    journal_id: z.string(),
    entity: Entity,
    period: Period,
    status: z.literal('posted'),
    line_count: z.number().int(),
    totals: Totals,
  }),
  async run(input, { logger }) {
    const store = new FileStore();
    const journal = await store.read(journalKey(input.journal_id), JournalRecord);
    if (!journal) throw new WorkflowError(`No journal ${input.journal_id}`, { type: 'JOURNAL_NOT_FOUND', nonRetryable: true });
    let posted = journal;
    if (journal.status === 'proposed') {
      const state = await readPeriod(store, journal.entity, journal.period);
      if (state?.status !== 'open') {
        const type = state ? 'PERIOD_CLOSED' : 'PERIOD_NOT_OPEN';
        throw new WorkflowError(`Cannot post to ${journal.entity} ${journal.period}: the period is ${state ? 'closed' : 'not open'}`, { type, nonRetryable: true });
      }
      const lines = input.lines ?? journal.lines;
      const totals = assertBalanced(lines);
      posted = { ...journal, lines, totals, memo: input.memo ?? journal.memo, status: 'posted', approved_by: input.approved_by ?? undefined };
      await store.write(journalKey(journal.journal_id), posted);
      logger.info('journal posted', { journalId: journal.journal_id, corrected: input.lines != null });
    }
    return {
      journal_id: posted.journal_id,
      entity: posted.entity,
      period: posted.period,
      status: 'posted' as const,
      line_count: posted.lines.length,
      totals: posted.totals,
    };
  },
});
