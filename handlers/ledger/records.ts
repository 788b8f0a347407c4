/**
 * The local ledger's record shapes and money arithmetic, shared by its handlers.
 * Amounts are numbers with at most two decimals; sums are done in cents so
 * 0.1 + 0.2 balances against 0.3.
 */
import { z } from 'zod';
import { FileStore } from '../store/index.ts';

export const Entity = z.string().regex(/^[a-z0-9][a-z0-9-]*$/).meta({ description: 'Entity slug, e.g. acme-uk.' });
export const Period = z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/).meta({ description: 'Accounting period YYYY-MM.' });
const Amount = z.number().finite().min(0);

/** One ledger line: debit or credit on an account. */
export const LedgerLine = z.object({
  account: z.string().min(1),
  name: z.string().optional(),
  debit: Amount.default(0),
  credit: Amount.default(0),
  memo: z.string().optional(),
});
export type LedgerLine = z.output<typeof LedgerLine>;

export const PeriodRecord = z.object({
  entity: Entity,
  period: Period,
  status: z.enum(['open', 'closed']),
  opened_by_run: z.string(),
  closed_by_run: z.string().optional(),
});
export type PeriodRecord = z.output<typeof PeriodRecord>;

export const Totals = z.object({ debit: z.number(), credit: z.number(), balanced: z.boolean() });
export type Totals = z.output<typeof Totals>;

const cents = (amount: number): number => Math.round(amount * 100);

/** Debit and credit totals of some lines, and whether they balance to the cent. */
export function totalsOf(lines: readonly LedgerLine[]): Totals {
  const debit = lines.reduce((sum, line) => sum + cents(line.debit), 0);
  const credit = lines.reduce((sum, line) => sum + cents(line.credit), 0);
  return { debit: debit / 100, credit: credit / 100, balanced: debit === credit };
}

export const periodKey = (entity: string, period: string): string[] => ['ledger', entity, 'periods', period];

/** The period's record, or undefined if it was never opened. */
export function readPeriod(store: FileStore, entity: string, period: string): Promise<PeriodRecord | undefined> {
  return store.read(periodKey(entity, period), PeriodRecord);
}
