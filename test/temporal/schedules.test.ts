/**
 * Schedules on the dev server: syncSchedules creates a Temporal Schedule per declared schedule; it fires
 * (every 2s) and starts a run whose input the template made at the fire time; a second sync changes nothing;
 * an edit updates it; a schedule removed from the runbook is deleted; Schedules not ours are left alone;
 * an input the schema refuses fails the run with SCHEDULE_INPUT_INVALID; listSchedules shows next fire times.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { WorkflowFailedError } from '@temporalio/client';
import type { Runbook } from '../../interpreter/format/runbook-format.ts';
import { createInterpreterWorker } from '../../interpreter/temporal/interpreter-worker.ts';
import { listSchedules, scheduleIdOf, syncSchedules } from '../../interpreter/temporal/schedule-sync.ts';
import { WORKFLOW_TYPE } from '../../interpreter/temporal/workflow-contract.ts';
import { StaticDefinitions } from '../../interpreter/runtime/definition-source.ts';
import { runbookOf, testHandlers } from '../support/inline-runbook.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';

const LAST_MONTH = "{% $fromMillis($toMillis($substring($schedule.fired_at, 0, 7) & '-01T00:00:00Z') - 86400000, '[Y0001]-[M01]') %}";

function runbookWith(slug: string, schedules: unknown[]): Runbook {
  return runbookOf({
    slug, title: 'Scheduled close', schedules,
    input: { type: 'object', required: ['entity', 'period', 'fired_at'], properties: { entity: { type: 'string' }, period: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}$' }, fired_at: { type: 'string' } } },
    steps: [{ id: 'close', title: 'Close', call: { handler: 'test.add', args: { a: 1, b: 2 } } }],
    output: '{% $input %}',
  }).runbook;
}

const often = (input: unknown = { entity: 'acme-uk', period: LAST_MONTH, fired_at: '{% $schedule.fired_at %}' }) => ({ id: 'often', every: '2s', overlap: 'allow_all', input });

/** The first run the Schedule started (its recent actions), once there is one. */
async function firstRun(client: Client, scheduleId: string): Promise<{ workflowId: string; scheduledAt: Date }> {
  for (let waited = 0; waited < 30_000; waited += 250) {
    const [action] = (await client.schedule.getHandle(scheduleId).describe()).info.recentActions;
    if (action && action.action.type === 'startWorkflow') return { workflowId: action.action.workflow.workflowId, scheduledAt: action.scheduledAt };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${scheduleId} never fired`);
}

/** Until visibility lists the Schedule (a sync finds ours to delete by listing them). */
async function listed(client: Client, scheduleId: string): Promise<void> {
  for (let waited = 0; waited < 20_000; waited += 250) {
    for await (const summary of client.schedule.list()) if (summary.scheduleId === scheduleId) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${scheduleId} is never listed`);
}

after(closeTestTemporal);

describe('schedules on Temporal', () => {
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  let taskQueue: string;
  const slug = `scheduled-${Date.now().toString(36)}`;
  const definitions = new StaticDefinitions([{ runbook: runbookWith(slug, [often()]), hash: 'h1' }]);

  before(async () => {
    const temporal = await getTestTemporal();
    client = await temporal.client();
    taskQueue = temporal.taskQueue('schedules');
    worker = await createInterpreterWorker({ connection: await temporal.nativeConnection(), namespace: temporal.namespace, taskQueue, handlers: testHandlers, definitions });
    running = worker.run();
  });
  after(async () => {
    await syncSchedules(client, [], taskQueue).catch(() => undefined);
    for (const id of [scheduleIdOf(slug, 'often'), scheduleIdOf(slug, 'refused'), `${scheduleIdOf(slug, 'foreign')}`]) await client.schedule.getHandle(id).delete().catch(() => undefined);
    worker.shutdown();
    await running;
  });

  test('a schedule fires and starts a run whose input the template made at the fire time', async () => {
    const report = await syncSchedules(client, [runbookWith(slug, [often()])], taskQueue);
    assert.deepEqual(report, { created: [scheduleIdOf(slug, 'often')], updated: [], deleted: [], unchanged: [] });
    const { workflowId, scheduledAt } = await firstRun(client, scheduleIdOf(slug, 'often'));
    assert.ok(workflowId.startsWith(`${slug}-often-`), workflowId);
    const output = await client.workflow.getHandle(workflowId).result();
    const month = new Date(Date.UTC(scheduledAt.getUTCFullYear(), scheduledAt.getUTCMonth(), 0));
    assert.deepEqual(output, { entity: 'acme-uk', period: month.toISOString().slice(0, 7), fired_at: scheduledAt.toISOString() });
    const described = await client.workflow.getHandle(workflowId).describe();
    assert.deepEqual(described.searchAttributes.RunbookSlug, [slug]);
    assert.deepEqual(described.searchAttributes.RunbookStatus, ['completed']);
  });

  test('a second sync changes nothing; an edit updates; the schedule is listed with its next fire times', async () => {
    const same = await syncSchedules(client, [runbookWith(slug, [often()])], taskQueue);
    assert.deepEqual(same, { created: [], updated: [], deleted: [], unchanged: [scheduleIdOf(slug, 'often')] });
    const edited = await syncSchedules(client, [runbookWith(slug, [{ ...often(), overlap: 'skip', timezone: 'Europe/London' }])], taskQueue);
    assert.deepEqual(edited.updated, [scheduleIdOf(slug, 'often')]);
    const description = await client.schedule.getHandle(scheduleIdOf(slug, 'often')).describe();
    assert.equal(description.policies.overlap, 'SKIP');
    assert.equal(description.spec.timezone, 'Europe/London');
    assert.deepEqual((await syncSchedules(client, [runbookWith(slug, [{ ...often(), overlap: 'skip', timezone: 'Europe/London' }])], taskQueue)).unchanged, [scheduleIdOf(slug, 'often')]);

    await listed(client, scheduleIdOf(slug, 'often'));
    const [listing] = (await listSchedules(client, taskQueue));
    assert.equal(listing?.schedule_id, scheduleIdOf(slug, 'often'));
    assert.equal(listing.runbook, slug);
    assert.equal(listing.when, 'every 2s');
    assert.equal(listing.overlap, 'skip');
    assert.ok(listing.next_fire_times.length > 0 && Date.parse(listing.next_fire_times[0]!) > Date.now() - 5_000, JSON.stringify(listing));
  });

  test('an input the runbook\'s schema refuses fails the scheduled run with SCHEDULE_INPUT_INVALID', async () => {
    const refused = { id: 'refused', every: '2s', input: { entity: 'acme-uk', period: '{% $schedule.fired_at %}', fired_at: 'x' } };
    const report = await syncSchedules(client, [runbookWith(slug, [often(), refused])], taskQueue);
    assert.deepEqual(report.created, [scheduleIdOf(slug, 'refused')]);
    const { workflowId } = await firstRun(client, scheduleIdOf(slug, 'refused'));
    await client.schedule.getHandle(scheduleIdOf(slug, 'refused')).pause('test: one run is enough');
    await assert.rejects(client.workflow.getHandle(workflowId).result(), (error: unknown) => {
      assert.ok(error instanceof WorkflowFailedError);
      const cause = error.cause as { type?: string; message?: string } | undefined;
      assert.equal(cause?.type, 'SCHEDULE_INPUT_INVALID');
      assert.match(cause?.message ?? '', /schedule "refused"/);
      return true;
    });
  });

  test('removing a schedule from the runbook deletes it; Schedules that are not ours are left alone', async () => {
    // Same id prefix, not our memo: a Schedule someone made by hand.
    await client.schedule.create({
      scheduleId: scheduleIdOf(slug, 'foreign'), spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType: WORKFLOW_TYPE, taskQueue, args: [{ slug, input: {} }] }, state: { paused: true },
    });
    await listed(client, scheduleIdOf(slug, 'refused'));
    await listed(client, scheduleIdOf(slug, 'foreign'));
    const report = await syncSchedules(client, [runbookWith(slug, [often()])], taskQueue);
    assert.deepEqual(report, { created: [], updated: [], deleted: [scheduleIdOf(slug, 'refused')], unchanged: [scheduleIdOf(slug, 'often')] });
    await assert.rejects(client.schedule.getHandle(scheduleIdOf(slug, 'refused')).describe(), { name: 'ScheduleNotFoundError' });
    await client.schedule.getHandle(scheduleIdOf(slug, 'foreign')).describe();

    await listed(client, scheduleIdOf(slug, 'often'));
    const gone = await syncSchedules(client, [runbookWith(slug, [])], taskQueue);
    assert.deepEqual(gone.deleted, [scheduleIdOf(slug, 'often')]);
  });
});
