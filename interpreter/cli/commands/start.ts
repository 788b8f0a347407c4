/**
 * `runbook start SLUG [--input FILE|-] [--id ID] [--wait] [--task-queue Q]`
 * Starts a run on Temporal and prints its id (with --wait: the output JSON once it completes).
 * Exit 0 started/completed, 1 failed run or Temporal unreachable, 2 usage error, unknown runbook or invalid input.
 */
import proto from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import { TemporalRunClient, type TemporalRunHandle } from '../../temporal/temporal-run-client.ts';
import { EXIT_OK, parseCommandArgs, withUsage } from '../cli-support.ts';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readStateFile } from '../../definitions/state-file.ts';
import { loadRunbookSource } from '../../loader/load-runbook.ts';
import type { Runbook } from '../../format/runbook-format.ts';
import { closestMatch } from '../../loader/did-you-mean.ts';
import { StartRejectedError } from '../../runtime/runtime-errors.ts';
import { cliConfig } from '../project-config.ts';
import type { Command } from '../command.ts';
import {
  expectPositionals, readJsonInput, TASK_QUEUE_OPTION, TEMPORAL_QUEUE_ENV_HELP, temporalSettings, withTemporalClient,
  type TemporalSettings, CONNECTION_OPTIONS,
} from '../temporal-support.ts';

const USAGE = `usage: runbook start SLUG [--input FILE|-] [--id ID] [--actor WHO] [--wait] [--task-queue Q]

Starts a run of runbook SLUG on Temporal (a \`runbook worker\` must serve it) and prints
the run id. An unknown runbook or an invalid input is reported at once (exit 2).

options:
  --input FILE|-    run input as JSON (a file, or - for stdin; default {})
  --id ID           run id (default SLUG-<uuid>)
  --actor WHO       who starts the run, recorded in it (default: RUNBOOK_ACTOR)
  --wait            wait for the run to finish and print its output JSON
  --task-queue Q    task queue of the workers (default $TEMPORAL_TASK_QUEUE or runbooks)
  -h, --help        show this help

${TEMPORAL_QUEUE_ENV_HELP}

exit status: 0 started (or completed with --wait), 1 run failed or Temporal unreachable,
2 usage error, unknown runbook or invalid input`;

export const command: Command = {
  run: (argv) => withUsage(USAGE, () => start(argv)),
};

/** Whether any worker has polled the task queue for workflow tasks lately (the server remembers a few minutes). */
async function hasWorkers(client: Client, settings: TemporalSettings): Promise<boolean> {
  try {
    const response = await client.workflowService.describeTaskQueue({
      namespace: settings.namespace,
      taskQueue: { name: settings.taskQueue },
      taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    return (response.pollers ?? []).length > 0;
  } catch {
    return true;
  }
}

async function start(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    allowPositionals: true,
    options: {
      input: { type: 'string' },
      id: { type: 'string' },
      actor: { type: 'string' },
      wait: { type: 'boolean' },
      ...TASK_QUEUE_OPTION,
      ...CONNECTION_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  const [slug] = expectPositionals(positionals, ['SLUG']);
  const input = await readJsonInput(values.input);
  const settings = temporalSettings(values['task-queue'], values);

  return withTemporalClient(settings, async ({ client }) => {
    const runs = new TemporalRunClient(client, settings.taskQueue);
    const actor = values.actor ?? process.env.RUNBOOK_ACTOR;
    const definition = await servedDefinition(slug!);
    const startOptions = { runId: values.id, ...(actor ? { startedBy: actor } : {}), ...(definition ? { definition } : {}) };
    let run: TemporalRunHandle;
    if (await hasWorkers(client, settings)) {
      // Waits for the worker's first workflow task: an unknown slug or a bad input is reported now.
      try {
        run = await runs.startChecked(slug!, input, startOptions);
      } catch (error) {
        throw error instanceof StartRejectedError && error.code === 'RUNBOOK_UNKNOWN' ? await withSuggestion(error, slug!) : error;
      }
    } else {
      run = await runs.start(slug!, input, startOptions);
      process.stderr.write(
        `runbook: warning: no worker is polling task queue "${settings.taskQueue}"; the run starts when one does (\`runbook worker\`)\n`,
      );
    }
    if (!values.wait) {
      process.stdout.write(`${run.runId}\n`);
      return EXIT_OK;
    }
    process.stderr.write(`runbook: started ${run.runId}; waiting for it to finish\n`);
    const output = await run.result();
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return EXIT_OK;
  });
}

/**
 * The definition the project's worker serves for `slug` (its state file names the file), for the run's summary
 * in Temporal's tools; undefined when there is no state file or the file does not load (the summary is the slug).
 */
async function servedDefinition(slug: string): Promise<Runbook | undefined> {
  try {
    const state = await readStateFile(cliConfig().state.workerStateFile);
    const file = state?.definitions.find((definition) => definition.slug === slug)?.file;
    if (!file) return undefined;
    const loaded = loadRunbookSource(await readFile(resolve(state!.dir, file)), file);
    return loaded.ok ? loaded.runbook.runbook : undefined;
  } catch {
    return undefined;
  }
}

/** An unknown slug: suggest the closest one the project's worker serves (from its state file), if any. */
async function withSuggestion(error: StartRejectedError, slug: string): Promise<StartRejectedError> {
  const state = await readStateFile(cliConfig().state.workerStateFile).catch(() => undefined);
  const served = state?.definitions.map((definition) => definition.slug) ?? [];
  const match = closestMatch(slug, served);
  if (!match) return error;
  return new StartRejectedError('RUNBOOK_UNKNOWN', `${error.message.replace(/^RUNBOOK_UNKNOWN: /, '')} (did you mean "${match}"?)`, error.diagnostics);
}
