/**
 * The project's handlers: what the example runbooks (and the tests) call.
 * The local ledger and document services keep their state as JSON files under
 * `RUNBOOK_DATA_DIR` (default `.runbook-data/`); see docs/handlers.md.
 */
import type { AnyHandler } from '../interpreter/handlers/index.ts';
import { ledgerHandlers } from './ledger/index.ts';
import { documentHandlers } from './documents/index.ts';
import { utilHandlers } from './util/index.ts';

export { ledgerHandlers, documentHandlers, utilHandlers };
export { listCommits } from './ledger/index.ts';
export { dataDir } from './store/index.ts';

/** Every handler, for `loadHandlerRegistry('handlers')`. */
export const handlers: AnyHandler[] = [...ledgerHandlers, ...documentHandlers, ...utilHandlers];
