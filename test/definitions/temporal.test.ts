/**
 * Hot reload on a real Temporal dev server: runs in flight keep the definition they resolved
 * at start (recorded in history), new starts use the file as it is now, and histories from
 * both versions replay against the bundled workflow without reading any file.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker as ThreadWorker } from 'node:worker_threads';
import type { Client } from '@temporalio/client';
import { Worker, type Worker as TemporalWorker } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import { DefinitionStore, nextDefinitionEvent, type DefinitionEvent } from '../../interpreter/definitions/index.ts';
import { bundleInterpreterWorkflow } from '../../interpreter/temporal/bundle.ts';
import { createInterpreterWorker, WORKFLOW_MODULE } from '../../interpreter/temporal/interpreter-worker.ts';
import { ensureSearchAttributes } from '../../interpreter/temporal/search-attributes.ts';
import { TemporalRunClient, type TemporalRunHandle } from '../../interpreter/temporal/temporal-run-client.ts';
import { RunFailedError } from '../../interpreter/runtime/runtime-errors.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';
import { handlers, hashOf, runbookYaml, sleep, tempRunbooksDir, until } from './fixtures.ts';
import { resolvedDefinitions, stepTrace } from './history.ts';

/**
 * The quiet period. A writer that stalls longer than this in the middle of an in-place save can
 * be read half-way (documented); a generous one keeps scheduler stalls of a loaded CI machine
 * from looking like that in the hammer below.
 */
const SETTLE = 150;
let dir: string;
let removeDir: () => Promise<void>;
let store: DefinitionStore;
let client: Client;
let runs: TemporalRunClient;
let worker: TemporalWorker;
let running: Promise<void>;
const histories: { workflowId: string; history: temporal.api.history.v1.IHistory; label: string }[] = [];

const V1 = runbookYaml('demo', ['a', 'b', 'c'], { review: true, title: 'Demo v1' });
const V2 = runbookYaml('demo', ['a', 'c', 'b'], { review: true, title: 'Demo v2' });

before(async () => {
  ({ dir, remove: removeDir } = await tempRunbooksDir('runbook-hot-'));
  await writeFile(join(dir, 'demo.yaml'), V1);
  await writeFile(join(dir, 'steady.yaml'), runbookYaml('steady', ['x', 'y']));
  await writeFile(join(dir, 'hammer.yaml'), hammerVersions[0]);
  store = await DefinitionStore.open({ dir, handlers, settleMs: SETTLE });
  const env = await getTestTemporal();
  const connection = await env.connection();
  await ensureSearchAttributes(connection, env.namespace);
  client = await env.client();
  const taskQueue = env.taskQueue('hot-reload');
  runs = new TemporalRunClient(client, taskQueue);
  worker = await createInterpreterWorker({ connection: await env.nativeConnection(), namespace: env.namespace, taskQueue, handlers, definitions: store });
  running = worker.run();
});

after(async () => {
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running?.catch(() => undefined);
  await store?.close();
  await closeTestTemporal();
  await removeDir?.();
});

async function historyOf(run: TemporalRunHandle, label: string) {
  const history = await client.workflow.getHandle(run.runId).fetchHistory();
  histories.push({ workflowId: run.runId, history, label });
  return history;
}

async function waitForReview(run: TemporalRunHandle): Promise<void> {
  await until(async () => (await run.currentPendingAction())?.step === 'check', 20_000, `${run.runId} to wait on its review`);
}

test('(a) a run started on version 1 finishes in version 1 order after the file changes; a new start uses version 2', async () => {
  const first = await runs.start('demo', {});
  await waitForReview(first);
  assert.deepEqual((await first.currentSteps()).map((s) => s.id), ['a', 'check', 'b', 'c']);
  const described = await client.workflow.getHandle(first.runId).describe();
  assert.deepEqual(described.searchAttributes.RunbookDefinitionHash, [hashOf(V1)], 'a waiting run carries its definition hash');

  const loaded = nextDefinitionEvent(store, (e) => e.type === 'loaded' && e.slug === 'demo');
  await writeFile(join(dir, 'demo.yaml'), V2);
  assert.equal((await loaded).hash, hashOf(V2));
  assert.deepEqual(store.resolve('demo')?.runbook.steps.map((s) => s.id), ['a', 'check', 'c', 'b']);

  await first.userAction({ action: 'approved' });
  const output = (await first.result()) as Record<string, { value?: string }>;
  assert.deepEqual(Object.keys(output).filter((k) => k !== 'check'), ['a', 'b', 'c']);
  const firstHistory = await historyOf(first, 'version 1');
  assert.deepEqual(stepTrace(firstHistory), ['a', 'b', 'c'], 'ran in version 1 order');
  assert.deepEqual(resolvedDefinitions(firstHistory).map((d) => d.hash), [hashOf(V1)], 'pinned version 1 in history');
  assert.deepEqual((await first.currentSteps()).map((s) => s.id), ['a', 'check', 'b', 'c']);

  const second = await runs.start('demo', {});
  await waitForReview(second);
  await second.userAction({ action: 'approved' });
  await second.result();
  const secondHistory = await historyOf(second, 'version 2');
  assert.deepEqual(stepTrace(secondHistory), ['a', 'c', 'b'], 'ran in version 2 order');
  assert.deepEqual(resolvedDefinitions(secondHistory).map((d) => d.hash), [hashOf(V2)]);
});

test('(b) an invalid file is rejected with its diagnostics and the last valid version still starts', async () => {
  const before = store.entry('steady')!;
  const rejected = nextDefinitionEvent(store, (e) => e.type === 'rejected');
  await writeFile(join(dir, 'steady.yaml'), 'slug: steady\ntitle: Steady\nsteps:\n  - id: x\n    title: X\n    call: { handler: util.echo, args: { value: "{% $steps.y.value %}" } }\n  - id: y\n    title: Y\n    call: { handler: util.echo, args: { value: y } }\n');
  const event = (await rejected) as Extract<DefinitionEvent, { type: 'rejected' }>;
  assert.equal(event.slug, 'steady');
  assert.equal(event.kept?.hash, before.hash);
  const error = event.diagnostics.find((d) => d.severity === 'error')!;
  assert.equal(error.file, join(dir, 'steady.yaml'));
  assert.equal(error.line, 6, JSON.stringify(error));
  assert.equal(store.snapshot().definitions.find((d) => d.slug === 'steady')?.lastRejected?.outstanding, true);

  const run = await runs.start('steady', {});
  await run.result();
  const history = await historyOf(run, 'steady, last valid version');
  assert.deepEqual(resolvedDefinitions(history).map((d) => d.hash), [before.hash]);
  assert.deepEqual(stepTrace(history), ['x', 'y']);
});

test('(b) a deleted file stops new starts of its slug (RUNBOOK_UNKNOWN)', async () => {
  await writeFile(join(dir, 'gone.yaml'), runbookYaml('gone', ['x']));
  await until(() => store.resolve('gone') !== undefined, 5000, 'gone to load');
  const removed = nextDefinitionEvent(store, (e) => e.type === 'removed' && e.slug === 'gone');
  await rm(join(dir, 'gone.yaml'));
  await removed;
  const run = await runs.start('gone', {});
  await assert.rejects(run.result(), (error: unknown) => error instanceof RunFailedError && error.failure.type === 'RUNBOOK_UNKNOWN');
});

/** Versions of `hammer`, all valid, each a different step order. */
const hammerVersions = [['p', 'q', 'r', 's'], ['s', 'r', 'q', 'p'], ['q', 'p', 's', 'r'], ['r', 's', 'p', 'q']].map((order, i) =>
  runbookYaml('hammer', order, { title: `Hammer v${i}` }),
);

/**
 * Saves in another thread (as an editor is another process): in place (truncate, first part,
 * the rest) split where the first part alone would be a valid runbook, or a temp file renamed
 * over. Gaps between saves are random, some longer than the quiet period so versions do load.
 */
const WRITER = `
const { workerData, parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { file, versions, saves } = workerData;
const nap = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
let last = 0;
for (let i = 0; i < saves; i++) {
  const v = i % versions.length;
  const text = Buffer.from(versions[v]);
  if (i % 2 === 0) {
    const split = text.indexOf('  - id: ', text.indexOf('  - id: ', text.indexOf('steps:')) + 1);
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, text, 0, split, 0);
    nap(i % 5);
    fs.writeSync(fd, text, split, text.length - split, split);
    fs.closeSync(fd);
  } else {
    const temp = file.replace(/[^/]+$/, '.hammer.yaml.' + i + '.tmp');
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
  }
  last = v;
  nap(i % 5 === 4 ? 400 : (i * 13) % 20);
}
parentPort.postMessage(last);
`;

test('(c) rapid in-place and rename-over saves never serve a partial file, to the store or to Temporal starts', async (t) => {
  const valid = new Set(hammerVersions.map(hashOf));
  const file = join(dir, 'hammer.yaml');
  const served = new Map<string, number>();
  const events: DefinitionEvent[] = [];
  const off = store.onChange((event) => event.file === file && events.push(event));
  let stop = false;
  const resolving = (async () => {
    while (!stop) {
      const found = store.resolve('hammer');
      assert.ok(found, 'hammer is always served');
      served.set(found.hash, (served.get(found.hash) ?? 0) + 1);
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const starting = (async () => {
    const started: TemporalRunHandle[] = [];
    while (!stop) {
      started.push(await runs.start('hammer', {}));
      await sleep(40);
    }
    return started;
  })();

  const writer = new ThreadWorker(WRITER, { eval: true, workerData: { file, versions: hammerVersions, saves: 80 } });
  const lastVersion = await new Promise<number>((resolve, reject) => {
    writer.once('message', resolve);
    writer.once('error', reject);
  });
  await store.idle();
  await sleep(SETTLE * 3);
  await store.idle();
  stop = true;
  await resolving;
  const started = await starting;
  off();

  for (const hash of served.keys()) assert.ok(valid.has(hash), `served ${hash}, not one of the complete versions`);
  for (const event of events) if (event.type === 'loaded') assert.ok(valid.has(event.hash), `loaded a partial file ${event.hash}`);
  assert.equal(store.resolve('hammer')?.hash, hashOf(hammerVersions[lastVersion]), 'settled on the last save');
  assert.ok(events.filter((e) => e.type === 'loaded').length >= 3, `several versions loaded during the hammer (${events.length} events)`);

  const pinned = new Set<string>();
  for (const run of started) {
    const output = (await run.result()) as Record<string, unknown>;
    const history = await client.workflow.getHandle(run.runId).fetchHistory();
    const [definition] = resolvedDefinitions(history);
    assert.ok(valid.has(definition.hash), `run ${run.runId} pinned a partial file`);
    const order = definition.runbook.steps.map((s) => s.id);
    assert.deepEqual(stepTrace(history), order, 'ran the steps of the version it pinned');
    assert.deepEqual(Object.keys(output), order);
    if (!pinned.has(definition.hash)) histories.push({ workflowId: run.runId, history, label: `hammer ${definition.runbook.title}` });
    pinned.add(definition.hash);
  }
  assert.ok(started.length >= 5, `${started.length} runs started during the hammer`);
  const loads = events.filter((e) => e.type === 'loaded').length;
  const rejections = events.filter((e) => e.type === 'rejected').length;
  for (const e of events) if (e.type === 'rejected') t.diagnostic(`rejected: ${e.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`).join('; ')}`);
  t.diagnostic(`80 saves: ${loads} loads, ${rejections} rejections, ${[...served.values()].reduce((a, b) => a + b, 0)} resolves over ${served.size} versions, ${started.length} runs pinning ${pinned.size} versions`);
});

test('(d) recorded histories of both versions replay cleanly against the bundled workflow, with no definitions at hand', async () => {
  assert.ok(histories.some((h) => h.label === 'version 1') && histories.some((h) => h.label === 'version 2'));
  // The files are gone: replay reads the definitions from the recorded markers, never from disk.
  await rm(join(dir, 'demo.yaml'));
  await rm(join(dir, 'steady.yaml'));
  const workflowBundle = await bundleInterpreterWorkflow(WORKFLOW_MODULE);
  const results = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle }, histories.map(({ workflowId, history }) => ({ workflowId, history })))) {
    results.push(result);
  }
  assert.equal(results.length, histories.length);
  for (const result of results) assert.equal(result.error, undefined, `${result.workflowId}: ${String(result.error)}`);
});
