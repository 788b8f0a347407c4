import type { AnyHandler } from '../../interpreter/handlers/index.ts';
import { openPeriod, closePeriod } from './periods.ts';
import { commitTrialBalance } from './trial-balance.ts';
import { proposeJournal, postJournal } from './journal.ts';

export { openPeriod, closePeriod, commitTrialBalance, proposeJournal, postJournal };
export { listCommits } from './trial-balance.ts';

/** The local ledger's handlers. */
export const ledgerHandlers: AnyHandler[] = [openPeriod, closePeriod, commitTrialBalance, proposeJournal, postJournal];
