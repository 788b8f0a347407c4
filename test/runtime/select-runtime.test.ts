import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { currentRuntimeSelection, resetRuntimeSelection, selectRuntime, setRuntime } from '../../interpreter/runtime/select-runtime.ts';

let lines: string[] = [];
const log = (line: string) => lines.push(line);

beforeEach(() => {
  resetRuntimeSelection();
  lines = [];
});

test('without TEMPORAL_ADDRESS the local runtime is selected and one INFO line says so', async () => {
  const selection = await selectRuntime({}, { log });
  assert.equal(selection.kind, 'local');
  assert.deepEqual(lines, ['runbook: LocalRuntime active (no TEMPORAL_ADDRESS; running in-process)']);
});

test('with TEMPORAL_ADDRESS and a loadable client the Temporal runtime is selected', async () => {
  const selection = await selectRuntime({ TEMPORAL_ADDRESS: '127.0.0.1:7233' }, { log });
  assert.equal(selection.kind, 'temporal');
  assert.deepEqual(lines, ['runbook: TemporalRuntime active (TEMPORAL_ADDRESS=127.0.0.1:7233)']);
});

test('with TEMPORAL_ADDRESS but no loadable client the local runtime is selected and the line says why', async () => {
  const selection = await selectRuntime(
    { TEMPORAL_ADDRESS: '127.0.0.1:7233' },
    { log, loadTemporalClient: () => Promise.reject(new Error("Cannot find package '@temporalio/client'")) },
  );
  assert.equal(selection.kind, 'local');
  assert.match(selection.reason, /@temporalio\/client/);
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^runbook: LocalRuntime active \(/);
});

test('an empty TEMPORAL_ADDRESS counts as unset', async () => {
  assert.equal((await selectRuntime({ TEMPORAL_ADDRESS: '  ' }, { log })).kind, 'local');
});

test('the selection is cached: later calls neither detect nor log again', async () => {
  let loads = 0;
  const loadTemporalClient = async () => {
    loads += 1;
  };
  const first = await selectRuntime({ TEMPORAL_ADDRESS: 'temporal:7233' }, { log, loadTemporalClient });
  const second = await selectRuntime({}, { log, loadTemporalClient });
  assert.equal(second, first);
  assert.equal(loads, 1);
  assert.equal(lines.length, 1);
});

test('concurrent first selections log once', async () => {
  await Promise.all([selectRuntime({}, { log }), selectRuntime({}, { log }), selectRuntime({}, { log })]);
  assert.equal(lines.length, 1);
});

test('setRuntime forces a runtime that selectRuntime then returns', async () => {
  setRuntime('temporal', { log });
  const selection = await selectRuntime({}, { log });
  assert.equal(selection.kind, 'temporal');
  assert.equal(currentRuntimeSelection()?.kind, 'temporal');
  assert.deepEqual(lines, ['runbook: TemporalRuntime active (chosen by the caller)']);
});

test("setRuntime's reason is said in the caller's terms (the CLI's flag), never an API name", () => {
  setRuntime('temporal', { log, reason: '--runtime temporal' });
  assert.deepEqual(lines, ['runbook: TemporalRuntime active (--runtime temporal)']);
});

test('resetRuntimeSelection makes the next call detect again', async () => {
  setRuntime('temporal', { log });
  resetRuntimeSelection();
  assert.equal(currentRuntimeSelection(), undefined);
  assert.equal((await selectRuntime({}, { log })).kind, 'local');
});
