/**
 * The Temporal backend's live watch without a server (a fake run client): one poll per run and
 * version however many pages watch, backing off while nothing changes, back to the short interval
 * at once after this console acts on the run, and stopped when the last page leaves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { UiState, UserAction } from '../../interpreter/index.ts';
import type { TemporalRunClient } from '../../interpreter/temporal/index.ts';
import { TemporalBackend } from '../../interpreter/server/temporal-backend.ts';

/** A run whose state query is counted; an action bumps its version (as the Update does before it returns). */
function fakeRun(): { client: TemporalRunClient; queries(): number; bump(): void } {
  let version = 1;
  let queries = 0;
  const state = (): UiState => ({ run_id: 'r1', runbook: 'demo', status: 'waiting', version }) as unknown as UiState;
  const handle = {
    currentUiState: async (): Promise<UiState> => {
      queries += 1;
      return state();
    },
    userAction: async (_action: UserAction): Promise<void> => {
      version += 1;
    },
    signal: async (): Promise<void> => {
      version += 1;
    },
    cancel: async (): Promise<void> => undefined,
  };
  const client = { get: () => handle } as unknown as TemporalRunClient;
  return { client, queries: () => queries, bump: () => void (version += 1) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('an action of this console wakes a backed-off poll at once', async () => {
  const run = fakeRun();
  const backend = new TemporalBackend({ client: run.client, catalog: [], namespace: 'test', pollMs: { first: 10, max: 60_000 } });
  const page = new AbortController();
  const watching = backend.watch('r1', 1, page.signal);
  // Long enough to back off well beyond a second per poll.
  await sleep(1_200);
  const before = run.queries();
  const acted = Date.now();
  await backend.act('r1', { step: 'review', action: 'approved' } as UserAction);
  const next = await watching;
  const latency = Date.now() - acted;
  assert.equal(next?.version, 2);
  assert.ok(latency < 200, `the page sees the action within one query (${latency} ms)`);
  assert.ok(before < 25, `the poll backed off while nothing changed (${before} queries in 1.2 s)`);
});

test('pages watching the same run share one poll; it stops when the last one leaves', async () => {
  const run = fakeRun();
  const backend = new TemporalBackend({ client: run.client, catalog: [], namespace: 'test', pollMs: { first: 20, max: 20 } });
  const pages = [new AbortController(), new AbortController(), new AbortController()];
  const watches = pages.map((page) => backend.watch('r1', 1, page.signal));
  await sleep(210);
  const shared = run.queries();
  assert.ok(shared >= 5 && shared <= 13, `one poll for three pages (${shared} queries in 210 ms at 20 ms)`);
  for (const page of pages) page.abort();
  assert.deepEqual(await Promise.all(watches), [null, null, null]);
  const after = run.queries();
  await sleep(100);
  assert.ok(run.queries() <= after + 1, 'nobody watches: no more queries');
});

test('a change by another client arrives with the polling', async () => {
  const run = fakeRun();
  const backend = new TemporalBackend({ client: run.client, catalog: [], namespace: 'test', pollMs: { first: 10, max: 50 } });
  const watching = backend.watch('r1', 1, new AbortController().signal);
  await sleep(100);
  run.bump();
  const next = await watching;
  assert.equal(next?.version, 2);
});

test('the inbox is one visibility query shared by requests, answered at once while refreshed, and dropped after an action', async () => {
  let lists = 0;
  let release: (() => void) | undefined;
  const entry = { run_id: 'r1' } as unknown as import('../../interpreter/index.ts').InboxEntry;
  const run = fakeRun();
  const client = {
    get: run.client.get,
    listInbox: async () => {
      lists += 1;
      if (lists === 2) await new Promise<void>((resolve) => (release = resolve));
      return [entry];
    },
  } as unknown as TemporalRunClient;
  const backend = new TemporalBackend({ client, catalog: [], namespace: 'test', inboxMs: { reuse: 50, stale: 10_000 } });
  const [a, b] = await Promise.all([backend.inbox(), backend.inbox()]);
  assert.equal(lists, 1, 'concurrent requests share one query');
  assert.deepEqual([a, b], [[entry], [entry]]);
  assert.equal((await backend.inbox()).length, 1);
  assert.equal(lists, 1, 'reused within `reuse`');
  await sleep(80);
  // Past `reuse`: answered at once from the snapshot while one query refreshes it (held open here).
  const answered = await backend.inbox();
  assert.deepEqual(answered, [entry]);
  assert.equal(lists, 2);
  release?.();
  await sleep(10);
  // An action of this console drops the snapshot: the next request waits for a fresh query.
  await backend.act('r1', { step: 'review', action: 'approved' } as UserAction);
  await backend.inbox();
  assert.equal(lists, 3);
});
