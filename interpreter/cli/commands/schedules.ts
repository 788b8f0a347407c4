/**
 * `runbook schedules sync [--runbooks DIR] [--handlers DIR] [--task-queue Q] [connection]`
 * `runbook schedules list [--task-queue Q | --all] [--format pretty|json] [connection]`
 * Reconciles the runbooks' `schedules:` into Temporal Schedules (what `runbook worker` does at start and on
 * every reload), or lists ours with their next fire times.
 * Exit 0, 1 Temporal unreachable or a runbook file rejected (nothing synced), 2 usage error.
 */
import { existsSync } from 'node:fs';
import { displayPath } from '../../config/index.ts';
import { DefinitionStore } from '../../definitions/index.ts';
import { listSchedules, syncSchedules, type ScheduleListing } from '../../temporal/schedule-sync.ts';
import { EXIT_FAILED, EXIT_OK, parseCommandArgs, UsageError, withUsage, writeError } from '../cli-support.ts';
import type { Command } from '../command.ts';
import { cliConfig } from '../project-config.ts';
import { describeSync, servedRunbooks } from '../schedule-support.ts';
import { CONNECTION_OPTIONS, TASK_QUEUE_OPTION, TEMPORAL_QUEUE_ENV_HELP, temporalSettings, withTemporalClient } from '../temporal-support.ts';

const USAGE = `usage: runbook schedules sync [--runbooks DIR] [--handlers DIR] [--task-queue Q] [connection options]
       runbook schedules list [--task-queue Q | --all] [--format pretty|json] [connection options]

sync   makes the Temporal Schedules on the task queue match the runbooks' schedules: creates
       the missing, updates the changed, deletes ours that no runbook declares (ours: id
       runbook:<slug>:<id> and our memo; others are never touched). A second sync changes
       nothing. \`runbook worker\` does the same at start and on every reload. Refused when a
       runbook file is invalid (its schedules would otherwise be deleted).
list   our Schedules with their runbook, cron or interval, time zone, overlap policy, next
       fire times and recent runs (all task queues with --all).

options:
  --runbooks DIR      the runbooks (default: configured, runbooks/)
  --handlers DIR      handler entry, to validate them (default: configured, handlers/)
  --task-queue Q      the worker pool's task queue (default: $TEMPORAL_TASK_QUEUE, configured, runbooks)
  --all               list: every task queue's
  --format pretty|json
  -h, --help          show this help

${TEMPORAL_QUEUE_ENV_HELP}

exit status: 0 done, 1 Temporal unreachable or an invalid runbook file, 2 usage error`;

export const command: Command = {
  run: (argv) => withUsage(USAGE, () => schedules(argv)),
};

async function schedules(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    allowPositionals: true,
    options: {
      runbooks: { type: 'string' },
      handlers: { type: 'string' },
      ...TASK_QUEUE_OPTION,
      all: { type: 'boolean' },
      format: { type: 'string', default: 'pretty' },
      ...CONNECTION_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  const [action, extra] = positionals;
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  if (action !== 'sync' && action !== 'list') throw new UsageError(action === undefined ? 'say sync or list' : `unknown action "${action}" (sync or list)`);
  const format = values.format ?? 'pretty';
  if (format !== 'pretty' && format !== 'json') throw new UsageError(`unknown --format "${format}" (pretty or json)`);
  const settings = temporalSettings(values['task-queue'], values);
  if (action === 'list') {
    return withTemporalClient(settings, async ({ client }) => {
      const listings = await listSchedules(client, values.all ? undefined : settings.taskQueue);
      process.stdout.write(format === 'json' ? `${JSON.stringify(listings, null, 2)}\n` : pretty(listings, values.all ? null : settings.taskQueue));
      return EXIT_OK;
    });
  }

  const config = cliConfig({ runbooks: values.runbooks, handlers: values.handlers });
  const dir = displayPath(config.runbooks.value);
  if (!existsSync(dir)) throw new UsageError(`runbooks directory ${dir} does not exist (${config.runbooks.source})`);
  const log = (message: string) => process.stderr.write(`${message}\n`);
  const store = await DefinitionStore.open({ dir, watch: false, log: { info: () => undefined, warn: log, error: log }, ...(config.handlers.value === false ? {} : { handlersDir: config.handlers.value }) });
  try {
    const rejected = store.lastRejections();
    if (rejected.length > 0) {
      writeError(`${rejected.map((r) => r.file).join(', ')}: invalid; nothing synced (a sync without it would delete its schedules)`);
      return EXIT_FAILED;
    }
    const runbooks = servedRunbooks(store);
    return await withTemporalClient(settings, async ({ client }) => {
      const report = await syncSchedules(client, runbooks, settings.taskQueue);
      if (format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else process.stdout.write(`${describeSync(report) ?? 'schedules: nothing to change'} (task queue ${settings.taskQueue}; ${report.unchanged.length} unchanged)\n`);
      return EXIT_OK;
    });
  } finally {
    await store.close();
  }
}

function pretty(listings: readonly ScheduleListing[], taskQueue: string | null): string {
  if (listings.length === 0) return `no schedules${taskQueue ? ` on task queue ${taskQueue}` : ''}\n`;
  return listings
    .map((listing) => {
      const lines = [
        `${listing.schedule_id}  ${listing.when} (${listing.timezone}), overlap ${listing.overlap}${listing.paused ? ', PAUSED' : ''}${taskQueue ? '' : `, task queue ${listing.task_queue}`}`,
        `  next: ${listing.next_fire_times.join(', ') || '(none)'}`,
      ];
      const last = listing.recent_runs.at(-1);
      if (last) lines.push(`  last: ${last.scheduled_at} ${last.run_id}`);
      return lines.join('\n');
    })
    .join('\n') + '\n';
}
