/**
 * How the test run's Temporal dev server is started (scripts/run-tests.mjs, and
 * getTestTemporal() when a test file runs on its own).
 */
import type { DevServerOptions } from '../../interpreter/temporal/dev-server.ts';
import { DEV_SERVER_SEARCH_ATTRIBUTES } from '../../interpreter/temporal/search-attributes.ts';

export const TEST_DEV_SERVER_OPTIONS: DevServerOptions = {
  // The interpreter workflow upserts RunbookStep/RunbookStatus: the namespace must know them before any run.
  searchAttributes: DEV_SERVER_SEARCH_ATTRIBUTES,
  dynamicConfig: {
    // Timers, activity timeouts and retry backoffs fire on time (the default lets them run up to 1 s
    // late), so cases with sub-second durations see the same timing as in-process.
    'history.timerProcessorMaxTimeShift': '10ms',
  },
};
