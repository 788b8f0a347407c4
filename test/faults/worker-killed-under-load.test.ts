/**
 * Fault (a): two real `runbook worker` processes poll one task queue while 60 runs of a ledger
 * runbook are in flight; one worker is SIGKILLed mid-way (some of its commits written but not yet
 * reported). Every run must complete exactly once: each run's one trial-balance commit is in the
 * store exactly once, with that run's id, and no run is lost or started twice.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import { TemporalRunClient, type TemporalRunHandle } from '../../interpreter/temporal/temporal-run-client.ts';
import { CleanupStack, pollUntil, within } from '../support/cleanup-stack.ts';
import { startCliWorker, type CliWorker } from '../support/cli-worker.ts';
import { readAttempts, type AttemptRecord } from '../support/fault-handlers.ts';
import { ROOT } from '../support/run-cli.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';

const RUNS = 60;
const PERIOD = '2025-01';

// Short attempt timeouts and retry intervals: a lost attempt is retried within seconds.
const LEDGER_RUNBOOK = `
slug: fault-ledger
title: Fault ledger
input:
  type: object
  required: [entity, nap_ms]
  properties:
    entity: { type: string }
    nap_ms: { type: integer }
steps:
  - id: open_period
    title: Open period
    call:
      handler: ledger.open_period
      local: true
      args: { entity: '{% $input.entity %}', period: '${PERIOD}' }
  - id: nap
    title: Nap
    call:
      handler: util.sleep
      args: { ms: '{% $input.nap_ms %}' }
      timeout: 8s
      retry: { max_attempts: 20, initial_interval: 200ms, backoff_coefficient: 1 }
  - id: commit
    title: Commit trial balance
    call:
      handler: ledger.commit_trial_balance
      args:
        entity: '{% $input.entity %}'
        period: '${PERIOD}'
        lines:
          - { account: '1000', debit: 100 }
          - { account: '2000', credit: 100 }
      timeout: 5s
      retry: { max_attempts: 20, initial_interval: 200ms, backoff_coefficient: 1 }
  - id: close_period
    title: Close period
    call:
      handler: ledger.close_period
      local: true
      args: { entity: '{% $input.entity %}', period: '${PERIOD}' }
output:
  commit_id: '{% $steps.commit.commit_id %}'
  commits: '{% $steps.close_period.commits %}'
  status: '{% $steps.close_period.status %}'
`;

interface CommitFile {
  readonly commit_id: string;
  readonly run_id: string;
  readonly idempotency_key: string;
}

describe('fault: a worker is SIGKILLed under load', () => {
  const cleanup = new CleanupStack();
  after(async () => {
    await cleanup.cleanUp();
    await closeTestTemporal();
  });

  test('two workers, 60 concurrent runs, one worker killed mid-way: every run completes and commits exactly once', { timeout: 420_000 }, async (t) => {
    const temporal = await getTestTemporal();
    const client: Client = await temporal.client();
    const taskQueue = temporal.taskQueue('fault-kill');
    const home = cleanup.tempDir('runbook-fault-kill-');
    const runbooksDir = join(home, 'runbooks');
    const dataDir = join(home, 'data');
    const effectsLog = join(home, 'effects.jsonl');
    mkdirSync(runbooksDir);
    mkdirSync(dataDir);
    writeFileSync(join(runbooksDir, 'fault-ledger.yaml'), LEDGER_RUNBOOK);
    writeFileSync(effectsLog, '');

    const workers: CliWorker[] = [];
    cleanup.defer(() => Promise.all(workers.map((worker) => worker.kill())).then(() => undefined));
    const startWorker = (name: string): CliWorker => {
      const worker = startCliWorker({
        address: temporal.address,
        namespace: temporal.namespace,
        taskQueue,
        runbooksDir,
        handlers: join(ROOT, 'test/support/fault-handlers.ts'),
        dataDir,
        stateFile: join(home, `${name}-state.json`),
        cwd: home,
        env: { FAULT_EFFECTS_LOG: effectsLog, FAULT_COMMIT_DELAY_MS: '1500' },
      });
      workers.push(worker);
      return worker;
    };
    const victim = startWorker('a');
    const survivor = startWorker('b');
    await Promise.all([victim.ready(90_000), survivor.ready(90_000)]);

    const runClient = new TemporalRunClient(client, taskQueue);
    const prefix = taskQueue;
    const runs: TemporalRunHandle[] = await Promise.all(
      Array.from({ length: RUNS }, (_, i) => runClient.start('fault-ledger', { entity: `e${i}`, nap_ms: 300 + (i % 20) * 250 }, { runId: `${prefix}-${i}` })),
    );
    // A failed test must not leave runs behind on the shared server.
    cleanup.defer(async () => {
      await Promise.all(runs.map((run) => client.workflow.getHandle(run.runId).terminate('fault test clean-up').catch(() => undefined)));
    });

    const attempts = (): AttemptRecord[] => readAttempts(readFileSync(effectsLog, 'utf8'));
    const commitsDone = (records: AttemptRecord[]) => records.filter((r) => r.handler === 'ledger.commit_trial_balance' && r.phase === 'done');
    // Mid-way: a quarter of the runs have committed, and the victim has a commit written but not yet reported.
    await pollUntil(
      'a quarter of the commits, one of them the victim\'s within its delay window',
      async () => {
        const done = commitsDone(attempts());
        return done.length >= RUNS / 4 && done.some((r) => r.pid === victim.pid) ? true : undefined;
      },
      180_000,
      50,
    );
    const beforeKill = attempts();
    await victim.kill('SIGKILL');
    t.diagnostic(`killed worker ${victim.pid} after ${commitsDone(beforeKill).length} commits`);

    const unfinished = async (): Promise<string> => {
      const states = await Promise.all(runs.map((run) => run.currentUiState().then((state) => `${run.runId}: ${state.status} at ${state.current_step}`, (error: unknown) => `${run.runId}: ${String(error)}`)));
      return `unfinished: ${states.filter((line) => !line.includes('completed')).join('; ')}`;
    };
    const outputs = await within('every run to complete after the kill', 240_000, Promise.all(runs.map((run) => run.result() as Promise<Record<string, unknown>>)), unfinished);
    assert.ok(survivor.alive(), `the surviving worker is still running:\n${survivor.output()}`);

    // Every run completed, once, with its own single commit.
    for (const [i, output] of outputs.entries()) {
      assert.equal(output.status, 'closed', `run ${i}`);
      assert.equal(output.commits, 1, `run ${i} sees exactly one commit in its period`);
      const folder = join(dataDir, 'ledger', `e${i}`, 'commits', PERIOD);
      const files = readdirSync(folder);
      assert.deepEqual(files, [`${String(output.commit_id)}.json`], `run ${i}: one commit file, the one it reports`);
      const commit = JSON.parse(readFileSync(join(folder, files[0]), 'utf8')) as CommitFile;
      assert.equal(commit.run_id, runs[i].runId);
    }
    const entities = readdirSync(join(dataDir, 'ledger')).filter((name) => existsSync(join(dataDir, 'ledger', name, 'commits')));
    assert.equal(entities.length, RUNS, 'no commits for entities no run owns');

    // No run lost or duplicated: exactly RUNS executions on the queue, all completed.
    const executions = await pollUntil(
      'visibility to list every run',
      async () => {
        const found: { id: string; status: string }[] = [];
        for await (const execution of client.workflow.list({ query: `TaskQueue = "${taskQueue}"` })) {
          found.push({ id: execution.workflowId, status: execution.status.name });
        }
        return found.length >= RUNS && found.every((e) => e.status === 'COMPLETED') ? found : undefined;
      },
      60_000,
      500,
    );
    assert.equal(executions.length, RUNS);
    assert.equal(new Set(executions.map((e) => e.id)).size, RUNS);

    // The kill mattered: the survivor re-ran attempts the victim had started.
    const all = attempts();
    const retried = all.filter((r) => r.phase === 'started' && r.attempt > 1 && r.pid === survivor.pid);
    const writtenByVictim = new Set(commitsDone(all).filter((r) => r.pid === victim.pid).map((r) => r.run_id));
    const rewritten = commitsDone(all).filter((r) => r.pid === survivor.pid && r.attempt > 1 && writtenByVictim.has(r.run_id));
    t.diagnostic(`${retried.length} attempts retried by the survivor; ${rewritten.length} commits written by the victim were retried and found, not rewritten`);
    assert.ok(retried.length > 0, 'the survivor retried at least one attempt the victim had started');
  });
});
