/**
 * Durability: the worker runs as its own process and is SIGKILLed (a) while an activity
 * runs and (b) while the run waits on a review; a new worker process takes over and the
 * run finishes with the right output. Month-end close killed after its commit was written
 * (before the activity reported back) still commits exactly once: the retried
 * ledger.commit_trial_balance finds its commit by idempotency key.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import protos from '@temporalio/proto';

const proto = protos.temporal;
import { loadHandlerRegistry } from '../../interpreter/handlers/index.ts';
import { LocalRuntime } from '../../interpreter/runtime/local/index.ts';
import { TemporalRunClient } from '../../interpreter/temporal/temporal-run-client.ts';
import type { PendingAction } from '../../interpreter/core/index.ts';
import type { RunHandle } from '../../interpreter/runtime/run-handle.ts';
import { closeTestTemporal, getTestTemporal, type TestTemporal } from '../support/temporal-env.ts';
import { DirectoryDefinitions } from './fixtures/directory-definitions.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER_SCRIPT = fileURLToPath(new URL('./fixtures/worker-process.ts', import.meta.url));
const EventType = proto.api.enums.v1.EventType;

interface WorkerProcess {
  readonly child: ChildProcess;
  readonly lines: string[];
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(): Promise<void>;
}

const workers: WorkerProcess[] = [];

function startWorker(temporal: TestTemporal, taskQueue: string, runbooksDir: string, dataDir: string, extraEnv: Record<string, string> = {}): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT], {
    cwd: ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      TASK_QUEUE: taskQueue,
      RUNBOOKS_DIR: runbooksDir,
      RUNBOOK_DATA_DIR: dataDir,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  let buffered = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
    for (const listener of listeners) listener();
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const worker: WorkerProcess = {
    child,
    lines,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const line = lines.find((candidate) => pattern.test(candidate));
          if (!line) return false;
          listeners.delete(onLine);
          clearTimeout(timer);
          resolve(line);
          return true;
        };
        const onLine = (): void => void check();
        const timer = setTimeout(() => {
          listeners.delete(onLine);
          reject(new Error(`worker ${child.pid}: no line matching ${pattern} within ${timeoutMs} ms; output: ${lines.join(' | ')}; stderr: ${stderr}`));
        }, timeoutMs);
        listeners.add(onLine);
        void exited.then(() => {
          if (listeners.has(onLine) && !check()) {
            listeners.delete(onLine);
            clearTimeout(timer);
            reject(new Error(`worker ${child.pid} exited before printing ${pattern}; stderr: ${stderr}`));
          }
        });
        check();
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  workers.push(worker);
  return worker;
}

async function poll<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const pendingIs = (run: RunHandle, step: string): Promise<PendingAction> =>
  poll(`pending action at ${step}`, async () => {
    const pending = await run.currentPendingAction();
    return pending?.step === step ? pending : undefined;
  });

/** Waits until the server says an activity of `type` is running (started on a worker). */
async function activityRunning(client: Client, workflowId: string, type: string): Promise<void> {
  await poll(`${type} running`, async () => {
    const { raw } = await client.workflow.getHandle(workflowId).describe();
    const running = raw.pendingActivities?.some(
      (activity) => activity.activityType?.name === type && activity.state === proto.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED,
    );
    return running ? true : undefined;
  });
}

/** The attempts recorded for activities of `type` (ActivityTaskStarted events). */
async function startedAttempts(client: Client, workflowId: string, type: string): Promise<number[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const scheduled = new Map<string, string>();
  const attempts: number[] = [];
  for (const event of history.events ?? []) {
    if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
      scheduled.set(String(event.eventId), event.activityTaskScheduledEventAttributes?.activityType?.name ?? '');
    } else if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
      const attrs = event.activityTaskStartedEventAttributes!;
      if (scheduled.get(String(attrs.scheduledEventId)) === type) attempts.push(attrs.attempt ?? 0);
    }
  }
  return attempts;
}

const SLEEP_RUNBOOK = `
slug: durable-sleep
title: Durable sleep
steps:
  - id: before
    title: Before
    call: { handler: util.echo, args: { value: 40 } }
  - id: nap
    title: Nap
    call:
      handler: util.sleep
      args: { ms: 1500 }
      timeout: 2s
      retry: { max_attempts: 3, initial_interval: 100ms }
  - id: after
    title: After
    call: { handler: util.add, args: { a: '{% $steps.before.value %}', b: 2 } }
output:
  sum: '{% $steps.after.sum %}'
  slept_ms: '{% $steps.nap.slept_ms %}'
`;

describe('durability: the worker process is killed and replaced', { concurrency: 2 }, () => {
  let temporal: TestTemporal;
  let client: Client;
  let runbooksDir: string;
  const dirs: string[] = [];
  const tempDir = (prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };

  before(async () => {
    temporal = await getTestTemporal();
    client = await temporal.client();
    runbooksDir = tempDir('runbook-durable-defs-');
    writeFileSync(join(runbooksDir, 'durable-sleep.yaml'), SLEEP_RUNBOOK);
    // The example runbooks, with the commit's attempt timeout and retry interval shortened so a lost attempt is retried within seconds.
    const close = readFileSync(join(ROOT, 'runbooks', 'month-end-close.yaml'), 'utf8');
    const shortened = close.replace('timeout: 30s', 'timeout: 4s').replace('initial_interval: 2s', 'initial_interval: 100ms');
    assert.notEqual(shortened, close);
    writeFileSync(join(runbooksDir, 'month-end-close.yaml'), shortened);
    writeFileSync(join(runbooksDir, 'document-ingest.yaml'), readFileSync(join(ROOT, 'runbooks', 'document-ingest.yaml'), 'utf8'));
  });

  after(async () => {
    await Promise.all(workers.map((worker) => worker.kill()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await closeTestTemporal();
  });

  test('(a) killed while an activity runs: the next worker retries it and the run completes', async () => {
    const taskQueue = temporal.taskQueue('durable-sleep');
    const dataDir = tempDir('runbook-durable-data-');
    const first = startWorker(temporal, taskQueue, runbooksDir, dataDir);
    await first.waitFor(/^READY$/);
    const runs = new TemporalRunClient(client, taskQueue);
    const run = await runs.start('durable-sleep', {});
    await first.waitFor(/^STARTED util\.sleep 1$/);
    await activityRunning(client, run.runId, 'util.sleep');
    await first.kill();

    const second = startWorker(temporal, taskQueue, runbooksDir, dataDir);
    assert.deepEqual(await run.result(), { sum: 42, slept_ms: 1500 });
    assert.ok(second.lines.includes('STARTED util.sleep 2'), `the second worker ran attempt 2: ${second.lines.join(' | ')}`);
    assert.deepEqual(await startedAttempts(client, run.runId, 'util.sleep'), [2]);
    assert.deepEqual(await startedAttempts(client, run.runId, 'util.echo'), [1]);
    assert.deepEqual(
      (await run.currentSteps()).map((step) => [step.id, step.status]),
      [['before', 'completed'], ['nap', 'completed'], ['after', 'completed']],
    );
  });

  test('(b) month-end close: killed while waiting on the review, then right after the commit was written; one commit, the in-process output', async () => {
    const taskQueue = temporal.taskQueue('durable-close');
    const dataDir = tempDir('runbook-durable-data-');
    const entity = `durable-${Date.now().toString(36)}`;
    const input = { ...JSON.parse(readFileSync(join(ROOT, 'runbooks', 'month-end-close.input.json'), 'utf8')), entity };
    const upload = JSON.parse(readFileSync(join(ROOT, 'runbooks', 'month-end-close.tb_submitted.json'), 'utf8'));
    const runId = `month-end-close-durable-${entity}`;
    const commitEnv = { COMMIT_DELAY_MS: '3000' };

    const first = startWorker(temporal, taskQueue, runbooksDir, dataDir, commitEnv);
    await first.waitFor(/^READY$/);
    const runs = new TemporalRunClient(client, taskQueue);
    const run = await runs.start('month-end-close', input, { runId });
    await pendingIs(run, 'await_trial_balance');
    await run.signal('tb_submitted', upload);
    await pendingIs(run, 'review_extraction');

    // (b) The worker dies while the run waits for the accountant.
    await first.kill();
    const second = startWorker(temporal, taskQueue, runbooksDir, dataDir, commitEnv);
    await second.waitFor(/^READY$/);
    const pending = await pendingIs(run, 'review_extraction'); // answered by the new worker, from history
    assert.equal(pending.kind, 'review');
    await run.userAction({ action: 'approved', step: 'review_extraction' });

    // The commit is written; the worker dies before the activity reports back.
    const committed = await second.waitFor(/^COMMITTED /);
    const commitsDir = join(dataDir, 'ledger', entity, 'commits', input.period);
    assert.deepEqual(readdirSync(commitsDir).length, 1);
    await second.kill();

    const third = startWorker(temporal, taskQueue, runbooksDir, dataDir, commitEnv);
    const output = (await run.result()) as Record<string, unknown>;
    assert.ok(third.lines.includes('STARTED ledger.commit_trial_balance 2'), `the third worker retried the commit: ${third.lines.join(' | ')}`);
    assert.equal(third.lines.find((line) => line.startsWith('COMMITTED ')), committed, 'the retry returned the same commit');
    assert.deepEqual(await startedAttempts(client, run.runId, 'ledger.commit_trial_balance'), [2]);

    // Exactly one commit in the store, and the one the run reports.
    const files = readdirSync(commitsDir);
    assert.equal(files.length, 1, `one commit: ${files.join(', ')}`);
    assert.equal(existsSync(join(commitsDir, `${String(output.commit_id)}.json`)), true);
    assert.equal(`COMMITTED ${String(output.commit_id)}`, committed);

    // The same run in-process (same run id, so the same idempotency keys) gives the same output.
    const localData = tempDir('runbook-durable-local-');
    const previous = process.env.RUNBOOK_DATA_DIR;
    process.env.RUNBOOK_DATA_DIR = localData;
    try {
      const local = new LocalRuntime({ definitions: new DirectoryDefinitions(runbooksDir), handlers: await loadHandlerRegistry(join(ROOT, 'handlers')) });
      const localRun = local.start('month-end-close', input, { runId });
      await pendingIs(localRun, 'await_trial_balance');
      await localRun.signal('tb_submitted', upload);
      await pendingIs(localRun, 'review_extraction');
      await localRun.userAction({ action: 'approved', step: 'review_extraction' });
      assert.deepEqual(output, await localRun.result());
    } finally {
      if (previous === undefined) delete process.env.RUNBOOK_DATA_DIR;
      else process.env.RUNBOOK_DATA_DIR = previous;
    }
    assert.equal(output.period_status, 'closed');
    assert.equal(output.review, 'approved');
  });
});
