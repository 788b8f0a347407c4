/**
 * `runbook schedules sync|list` and `runbook worker` against the dev server: sync creates the Schedule and a
 * second sync changes nothing; list shows it with next fire times (pretty and json); a bad cron is a located
 * error and nothing is synced; a worker syncs at start (its schedule fires and starts a run) and on a hot
 * reload (the schedule removed from the file is deleted).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import { scheduleIdOf } from '../../interpreter/temporal/schedule-sync.ts';
import { ROOT, runCli } from '../support/run-cli.ts';
import { startCliWorker } from '../support/cli-worker.ts';
import { closeTestTemporal, getTestTemporal, type TestTemporal } from '../support/temporal-env.ts';

const runbook = (slug: string, schedules: string): string => `slug: ${slug}
title: Scheduled echo
input:
  type: object
  required: [period]
  properties: { period: { type: string } }
${schedules}
steps:
  - id: echo
    title: Echo
    call: { handler: util.echo, args: { value: "{% $input.period %}" } }
output: '{% $steps.echo.value %}'
`;

const EVERY = `schedules:
  - id: often
    every: 2s
    input: { period: "{% $substring($schedule.fired_at, 0, 7) %}" }`;

after(closeTestTemporal);

describe('runbook schedules and the worker', () => {
  let temporal: TestTemporal;
  let client: Client;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const slug = `cli-sched-${Date.now().toString(36)}`;
  let taskQueue: string;

  before(async () => {
    temporal = await getTestTemporal();
    client = await temporal.client();
    taskQueue = temporal.taskQueue('cli-schedules');
    dir = mkdtempSync(join(tmpdir(), 'runbook-schedules-'));
    env = { ...process.env, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, TEMPORAL_TASK_QUEUE: taskQueue, RUNBOOK_DATA_DIR: join(dir, 'data') };
  });
  after(async () => {
    await client.schedule.getHandle(scheduleIdOf(slug, 'often')).delete().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (args: string[]) => runCli(args, { env, cwd: ROOT });

  test('a bad cron is a located error and nothing is synced', async () => {
    const runbooks = mkdtempSync(join(dir, 'badcron-'));
    writeFileSync(join(runbooks, 'bad.yaml'), runbook(`${slug}-bad`, `schedules:\n  - id: monthly\n    cron: '0 6 32 * *'`));
    const validate = await cli(['validate', join(runbooks, 'bad.yaml')]);
    assert.equal(validate.code, 1, validate.stderr + validate.stdout);
    assert.match(validate.stdout + validate.stderr, /bad\.yaml:9:11: error RB_SCHEDULE_CRON schedule "monthly": day of month field "32"/);
    const sync = await cli(['schedules', 'sync', '--runbooks', runbooks, '--handlers', join(ROOT, 'handlers')]);
    assert.equal(sync.code, 1, sync.stderr);
    assert.match(sync.stderr, /nothing synced/);
    assert.doesNotMatch(sync.stderr, /\n\s+at /);
    await assert.rejects(client.schedule.getHandle(scheduleIdOf(`${slug}-bad`, 'monthly')).describe(), { name: 'ScheduleNotFoundError' });
  });

  test('sync creates, a second sync changes nothing, list shows the next fire times', async () => {
    const runbooks = mkdtempSync(join(dir, 'sync-'));
    writeFileSync(join(runbooks, 'echo.yaml'), runbook(slug, EVERY));
    const first = await cli(['schedules', 'sync', '--runbooks', runbooks, '--handlers', join(ROOT, 'handlers'), '--format', 'json']);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(JSON.parse(first.stdout), { created: [scheduleIdOf(slug, 'often')], updated: [], deleted: [], unchanged: [] });
    const second = await cli(['schedules', 'sync', '--runbooks', runbooks, '--handlers', join(ROOT, 'handlers')]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /nothing to change .*1 unchanged/);

    let listing: { schedule_id: string; when: string; next_fire_times: string[] }[] = [];
    for (let waited = 0; waited < 20_000 && listing.length === 0; waited += 500) {
      const list = await cli(['schedules', 'list', '--format', 'json']);
      assert.equal(list.code, 0, list.stderr);
      listing = JSON.parse(list.stdout) as typeof listing;
      if (listing.length === 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal(listing[0]?.schedule_id, scheduleIdOf(slug, 'often'));
    assert.equal(listing[0].when, 'every 2s');
    assert.ok(listing[0].next_fire_times.length > 0);
    const pretty = await cli(['schedules', 'list']);
    assert.match(pretty.stdout, new RegExp(`${scheduleIdOf(slug, 'often')}  every 2s \\(UTC\\), overlap skip\\n  next: \\d{4}-`));
    await client.schedule.getHandle(scheduleIdOf(slug, 'often')).pause('until the worker test');
  });

  test('a worker syncs at start (the schedule fires a run) and on a hot reload (a removed schedule is deleted)', async () => {
    const runbooks = mkdtempSync(join(dir, 'worker-'));
    writeFileSync(join(runbooks, 'echo.yaml'), runbook(slug, EVERY));
    await client.schedule.getHandle(scheduleIdOf(slug, 'often')).unpause();
    const worker = startCliWorker({ address: temporal.address, namespace: temporal.namespace, taskQueue, runbooksDir: runbooks, dataDir: join(dir, 'data'), stateFile: join(dir, 'worker-state.json'), cwd: ROOT });
    try {
      await worker.ready(60_000);
      let workflowId: string | undefined;
      for (let waited = 0; waited < 30_000 && !workflowId; waited += 250) {
        const action = (await client.schedule.getHandle(scheduleIdOf(slug, 'often')).describe()).info.recentActions.at(-1);
        if (action?.action.type === 'startWorkflow') workflowId = action.action.workflow.workflowId;
        else await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.ok(workflowId, `the schedule never fired\n${worker.output()}`);
      const period = await client.workflow.getHandle(workflowId).result();
      assert.match(String(period), /^\d{4}-\d{2}$/);

      writeFileSync(join(runbooks, 'echo.yaml'), runbook(slug, ''));
      for (let waited = 0; waited < 30_000; waited += 250) {
        try {
          await client.schedule.getHandle(scheduleIdOf(slug, 'often')).describe();
        } catch (error) {
          if ((error as Error).name === 'ScheduleNotFoundError') break;
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
        assert.ok(waited < 29_000, `the schedule was not deleted after the reload\n${worker.output()}`);
      }
      assert.match(worker.output(), /schedules: deleted runbook:/);
    } finally {
      await worker.kill('SIGTERM');
    }
  });
});
