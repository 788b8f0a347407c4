/**
 * Reconciles the `schedules:` of served runbooks into Temporal Schedules, idempotently: creates the
 * missing, updates the changed, deletes ours that no runbook declares any more. Ours are the Schedules
 * whose id starts with `runbook:` and whose memo names this package and the task queue, so a sync never
 * touches another team's Schedules or another worker pool's. Node side.
 *
 * @example
 * const report = await syncSchedules(client, store.runbooks(), 'runbooks');
 * // { created: ['runbook:month-end-close:monthly'], updated: [], deleted: [], unchanged: [] }
 */
import { createHash } from 'node:crypto';
import { ScheduleNotFoundError, type Client, type ScheduleDescription, type ScheduleOptions, type ScheduleOptionsStartWorkflowAction, type ScheduleOverlapPolicy } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import type { Runbook, ScheduleOverlap, ScheduleSpec } from '../format/runbook-format.ts';
import { SEARCH_ATTRIBUTES, WORKFLOW_TYPE, type InterpreterWorkflowInput } from './workflow-contract.ts';

/** The Schedule id prefix and the memo that mark a Schedule as ours. */
export const SCHEDULE_ID_PREFIX = 'runbook:';
export const SCHEDULE_OWNER = 'yaml-runbook';

/** The Temporal Schedule id of a runbook's schedule: `runbook:<slug>:<id>` (slugs have no colon, ids neither). */
export function scheduleIdOf(slug: string, id: string): string {
  return `${SCHEDULE_ID_PREFIX}${slug}:${id}`;
}

const OVERLAP: Record<ScheduleOverlap, ScheduleOverlapPolicy> = {
  skip: 'SKIP', buffer_one: 'BUFFER_ONE', buffer_all: 'BUFFER_ALL', cancel_other: 'CANCEL_OTHER', terminate_other: 'TERMINATE_OTHER', allow_all: 'ALLOW_ALL',
};

/** Our memo on a Schedule (set at create; Temporal cannot change a Schedule's memo). */
interface OwnerMemo {
  readonly owner: typeof SCHEDULE_OWNER;
  readonly task_queue: string;
  readonly runbook: string;
  readonly schedule: string;
}

/** The interpreter workflow's signature, for the Schedule action's arguments. */
type InterpreterWorkflow = ((start: InterpreterWorkflowInput) => Promise<unknown>) & Workflow;

/** `cron 0 6 1 * *` or `every 2s`: Temporal turns a cron into calendars, so the text is kept in the action's memo. */
function whenText(schedule: ScheduleSpec): string {
  return schedule.cron !== undefined ? `cron ${schedule.cron}` : `every ${schedule.every ?? ''}`;
}

/** One Schedule as the runbooks want it. */
interface DesiredSchedule {
  readonly scheduleId: string;
  readonly memo: OwnerMemo;
  readonly options: Omit<ScheduleOptions<ScheduleOptionsStartWorkflowAction<InterpreterWorkflow>>, 'scheduleId' | 'memo'>;
  /** Everything that matters of the options, hashed: kept in the action's memo (updatable), compared on the next sync. */
  readonly fingerprint: string;
}

function desiredSchedule(runbook: Runbook, schedule: ScheduleSpec, taskQueue: string): DesiredSchedule {
  const scheduleId = scheduleIdOf(runbook.slug, schedule.id);
  const args: InterpreterWorkflowInput = { slug: runbook.slug, input: null, schedule: { id: schedule.id, input: schedule.input ?? {} } };
  const timezone = schedule.timezone ?? 'UTC';
  const overlap = OVERLAP[schedule.overlap ?? 'skip'];
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ args, cron: schedule.cron ?? null, every: schedule.every ?? null, timezone, overlap, taskQueue, title: runbook.title }))
    .digest('hex')
    .slice(0, 16);
  return {
    scheduleId,
    memo: { owner: SCHEDULE_OWNER, task_queue: taskQueue, runbook: runbook.slug, schedule: schedule.id },
    fingerprint,
    options: {
      spec: schedule.cron !== undefined ? { cronExpressions: [schedule.cron], timezone } : { intervals: [{ every: schedule.every ?? '1h' }], timezone },
      action: {
        type: 'startWorkflow',
        workflowType: WORKFLOW_TYPE,
        // Temporal appends the fire time: month-end-close-monthly-2025-02-01T06:00:00Z.
        workflowId: `${runbook.slug}-${schedule.id}`,
        taskQueue,
        args: [args],
        searchAttributes: { [SEARCH_ATTRIBUTES.slug]: [runbook.slug], [SEARCH_ATTRIBUTES.status]: ['running'] },
        memo: { runbook: runbook.slug, schedule: schedule.id, schedule_when: whenText(schedule), schedule_fingerprint: fingerprint },
        staticSummary: `${runbook.title} · schedule ${schedule.id}`,
      },
      policies: { overlap },
      state: { note: schedule.description ?? `${runbook.slug}: schedules.${schedule.id}` },
    },
  };
}

/** Every Schedule the runbooks declare, for one task queue. */
export function desiredSchedules(runbooks: readonly Runbook[], taskQueue: string): DesiredSchedule[] {
  return runbooks.flatMap((runbook) => (runbook.schedules ?? []).map((schedule) => desiredSchedule(runbook, schedule, taskQueue)));
}

function isOurs(scheduleId: string, memo: Record<string, unknown> | undefined, taskQueue: string): boolean {
  return scheduleId.startsWith(SCHEDULE_ID_PREFIX) && memo?.owner === SCHEDULE_OWNER && memo.task_queue === taskQueue;
}

export interface ScheduleSyncReport {
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly deleted: readonly string[];
  readonly unchanged: readonly string[];
}

async function describeOrNull(client: Client, scheduleId: string): Promise<ScheduleDescription | null> {
  try {
    return await client.schedule.getHandle(scheduleId).describe();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return null;
    throw error;
  }
}

/** The Schedule ids of ours on `taskQueue` (visibility: a Schedule created a moment ago may not be listed yet). */
async function ownedScheduleIds(client: Client, taskQueue: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const summary of client.schedule.list()) if (isOurs(summary.scheduleId, summary.memo, taskQueue)) ids.push(summary.scheduleId);
  return ids;
}

/**
 * Makes Temporal's Schedules on `taskQueue` match the runbooks' `schedules:`. A second call with the same
 * runbooks changes nothing (every Schedule `unchanged`). A Schedule of ours is only deleted when no runbook
 * given declares it; one with our id prefix but not our memo is left alone.
 */
export async function syncSchedules(client: Client, runbooks: readonly Runbook[], taskQueue: string): Promise<ScheduleSyncReport> {
  const desired = desiredSchedules(runbooks, taskQueue);
  const report = { created: [] as string[], updated: [] as string[], deleted: [] as string[], unchanged: [] as string[] };
  for (const want of desired) {
    const current = await describeOrNull(client, want.scheduleId);
    if (!current) {
      await client.schedule.create({ scheduleId: want.scheduleId, memo: { ...want.memo }, ...want.options });
      report.created.push(want.scheduleId);
      continue;
    }
    if (!isOurs(current.scheduleId, current.memo, taskQueue)) throw new Error(`Schedule ${want.scheduleId} exists but is not ours on task queue ${taskQueue} (its memo: ${JSON.stringify(current.memo ?? {})}): delete it or serve the runbook on its task queue`);
    const action = current.action.type === 'startWorkflow' ? current.action : undefined;
    if (action?.memo?.schedule_fingerprint === want.fingerprint) {
      report.unchanged.push(want.scheduleId);
      continue;
    }
    await client.schedule.getHandle(want.scheduleId).update((previous) => ({ ...want.options, state: { ...previous.state, note: want.options.state?.note } }));
    report.updated.push(want.scheduleId);
  }
  const wanted = new Set(desired.map((want) => want.scheduleId));
  for (const scheduleId of await ownedScheduleIds(client, taskQueue)) {
    if (wanted.has(scheduleId)) continue;
    try {
      await client.schedule.getHandle(scheduleId).delete();
      report.deleted.push(scheduleId);
    } catch (error) {
      // Deleted by another worker of the pool a moment ago: the same outcome.
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
  }
  return report;
}

/** One of our Schedules as `runbook schedules list` shows it. */
export interface ScheduleListing {
  readonly schedule_id: string;
  readonly runbook: string;
  readonly schedule: string;
  readonly task_queue: string;
  /** `cron 0 6 1 * *` or `every 2s`. */
  readonly when: string;
  readonly timezone: string;
  readonly overlap: string;
  readonly paused: boolean;
  readonly next_fire_times: readonly string[];
  readonly recent_runs: readonly { readonly scheduled_at: string; readonly run_id: string }[];
}

function whenOf(description: ScheduleDescription): string {
  const when = description.action.type === 'startWorkflow' ? description.action.memo?.schedule_when : undefined;
  if (typeof when === 'string') return when;
  const every = description.spec.intervals?.[0]?.every;
  return every !== undefined ? `every ${every}ms` : 'calendar';
}

/** Our Schedules (all task queues, or one), with their next fire times, sorted by id. */
export async function listSchedules(client: Client, taskQueue?: string): Promise<ScheduleListing[]> {
  const listings: ScheduleListing[] = [];
  for await (const summary of client.schedule.list()) {
    const memo = summary.memo;
    if (!summary.scheduleId.startsWith(SCHEDULE_ID_PREFIX) || memo?.owner !== SCHEDULE_OWNER) continue;
    if (taskQueue !== undefined && memo.task_queue !== taskQueue) continue;
    const description = await describeOrNull(client, summary.scheduleId);
    if (!description) continue;
    listings.push({
      schedule_id: summary.scheduleId,
      runbook: String(memo.runbook),
      schedule: String(memo.schedule),
      task_queue: String(memo.task_queue),
      when: whenOf(description),
      timezone: description.spec.timezone ?? 'UTC',
      overlap: (description.policies.overlap ?? 'SKIP').toLowerCase(),
      paused: description.state.paused,
      next_fire_times: description.info.nextActionTimes.slice(0, 3).map((time) => time.toISOString()),
      recent_runs: description.info.recentActions.map((result) => ({
        scheduled_at: result.scheduledAt.toISOString(),
        run_id: result.action.type === 'startWorkflow' ? result.action.workflow.workflowId : '',
      })),
    });
  }
  return listings.sort((a, b) => a.schedule_id.localeCompare(b.schedule_id));
}
