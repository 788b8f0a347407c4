/**
 * Committing a trial balance to the ledger, exactly once per step execution:
 * the commit id derives from `info.idempotencyKey`, so a retried or replayed
 * call finds its earlier commit and returns it instead of writing a second one.
 */
import { z } from 'zod';
import { defineHandler, WorkflowError } from '../../interpreter/handlers/index.ts';
import { FileStore, stableId } from '../store/index.ts';
import { Entity, LedgerLine, Period, readPeriod, totalsOf, Totals } from './records.ts';

const CommitRecord = z.object({
  commit_id: z.string(),
  entity: Entity,
  period: Period,
  idempotency_key: z.string(),
  run_id: z.string(),
  lines: z.array(LedgerLine),
  totals: Totals,
  corrected: z.number().int(),
  source_documents: z.array(z.string()),
});
type CommitRecord = z.output<typeof CommitRecord>;

const commitsFolder = (entity: string, period: string): string[] => ['ledger', entity, 'commits', period];

/** The commits recorded for a period, oldest id first (for close_period and tests). */
export async function listCommits(entity: string, period: string): Promise<CommitRecord[]> {
  const store = new FileStore();
  const folder = commitsFolder(entity, period);
  const records = await Promise.all((await store.list(folder)).map((id) => store.read([...folder, id], CommitRecord)));
  return records.filter((record): record is CommitRecord => record !== undefined);
}

/** Replaces lines by account with the corrected ones; corrections for unknown accounts are added. */
function applyCorrections(lines: readonly LedgerLine[], corrections: readonly LedgerLine[]): LedgerLine[] {
  const byAccount = new Map(corrections.map((line) => [line.account, line]));
  const out = lines.map((line) => byAccount.get(line.account) ?? line);
  const known = new Set(lines.map((line) => line.account));
  return [...out, ...corrections.filter((line) => !known.has(line.account))];
}

export const commitTrialBalance = defineHandler({
  name: 'ledger.commit_trial_balance',
  description: 'Commits a balanced trial balance to an open period; idempotent per step execution.',
  input: z.strictObject({
    entity: Entity,
    period: Period,
    lines: z.array(LedgerLine).min(1),
    corrections: z.array(LedgerLine).nullish().meta({ description: 'Reviewer edits: replace the line with the same account, or add one.' }),
    extracted_period: z.string().nullish().meta({ description: 'The period read from the document; must equal `period` when given.' }),
    source_documents: z.array(z.string()).default([]),
  }),
  output: z.object({
    commit_id: z.string(),
    entity: Entity,
    period: Period,
    line_count: z.number().int(),
    totals: Totals,
    corrected: z.number().int(),
  }),
  async run(input, { info, logger }) {
    const { entity, period } = input;
    const state = await readPeriod(new FileStore(), entity, period);
    if (state?.status !== 'open') {
      const type = state ? 'PERIOD_CLOSED' : 'PERIOD_NOT_OPEN';
      throw new WorkflowError(`Cannot commit to ${entity} ${period}: the period is ${state ? 'closed' : 'not open'}`, { type, nonRetryable: true });
    }
    if (input.extracted_period != null && input.extracted_period !== period) {
      throw new WorkflowError(`Period ${period} missing from extraction (document is for ${input.extracted_period})`, {
        type: 'EXTRACTION_INPUT_INVALID',
        nonRetryable: true,
      });
    }
    const corrections = input.corrections ?? [];
    const lines = applyCorrections(input.lines, corrections);
    const totals = totalsOf(lines);
    if (!totals.balanced) {
      throw new WorkflowError(`Trial balance does not balance: debits ${totals.debit} ≠ credits ${totals.credit}`, { type: 'TB_UNBALANCED', nonRetryable: true });
    }
    const commitId = stableId('tb', info.idempotencyKey);
    const record: CommitRecord = {
      commit_id: commitId,
      entity,
      period,
      idempotency_key: info.idempotencyKey,
      run_id: info.runId,
      lines,
      totals,
      corrected: corrections.length,
      source_documents: input.source_documents,
    };
    const store = new FileStore();
    const key = [...commitsFolder(entity, period), commitId];
    const created = await store.create(key, record);
    const committed = created ? record : await store.read(key, CommitRecord);
    if (!committed) throw new WorkflowError(`Commit ${commitId} vanished while being read`, { type: 'STORE_INCONSISTENT' });
    logger.info(created ? 'trial balance committed' : 'trial balance already committed for this key; returning it', { commitId, entity, period });
    return {
      commit_id: committed.commit_id,
      entity,
      period,
      line_count: committed.lines.length,
      totals: committed.totals,
      corrected: committed.corrected,
    };
  },
});
