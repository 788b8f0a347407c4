/**
 * Opening and closing accounting periods. Both are idempotent: opening an open
 * period or closing a closed one returns the current state, so retries and
 * go-backs are harmless.
 */
import { z } from 'zod';
import { defineHandler, WorkflowError } from '../../interpreter/handlers/index.ts';
import { dataDir, FileStore } from '../store/index.ts';
import { Entity, Period, periodKey, readPeriod } from './records.ts';
import { listCommits } from './trial-balance.ts';

const PeriodRef = z.strictObject({ entity: Entity, period: Period });

export const openPeriod = defineHandler({
  name: 'ledger.open_period',
  description: 'Opens an accounting period for postings. Fails with PERIOD_CLOSED if it was already closed.',
  input: PeriodRef,
  output: z.object({ entity: Entity, period: Period, status: z.literal('open') }),
  async run({ entity, period }, { info, logger }) {
    const store = new FileStore();
    const existing = await readPeriod(store, entity, period);
    if (existing?.status === 'closed') {
      throw new WorkflowError(`Period ${period} of ${entity} is already closed (the example ledger keeps its state in ${dataDir()})`, {
        type: 'PERIOD_CLOSED',
        nonRetryable: true,
      });
    }
    if (!existing) {
      await store.write(periodKey(entity, period), { entity, period, status: 'open', opened_by_run: info.runId });
      logger.info('period opened', { entity, period });
    }
    return { entity, period, status: 'open' as const };
  },
});

export const closePeriod = defineHandler({
  name: 'ledger.close_period',
  description: 'Closes an open period; the result counts the trial balances committed to it.',
  input: PeriodRef,
  output: z.object({ entity: Entity, period: Period, status: z.literal('closed'), commits: z.number().int().min(0) }),
  async run({ entity, period }, { info, logger }) {
    const store = new FileStore();
    const existing = await readPeriod(store, entity, period);
    if (!existing) {
      throw new WorkflowError(`Period ${period} of ${entity} was never opened`, { type: 'PERIOD_NOT_OPEN', nonRetryable: true });
    }
    if (existing.status === 'open') {
      await store.write(periodKey(entity, period), { ...existing, status: 'closed', closed_by_run: info.runId });
      logger.info('period closed', { entity, period });
    }
    const commits = (await listCommits(entity, period)).length;
    return { entity, period, status: 'closed' as const, commits };
  },
});
