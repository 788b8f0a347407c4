/**
 * `runbook status ID [--format json|pretty]`
 * Shows a run's `current_ui_state`: JSON (the default when stdout is not a terminal), or the
 * step ladder with statuses, children nested under their step, and the pending action.
 * Exit 0 shown, 1 unknown run, Temporal unreachable or no worker to answer, 2 usage error.
 */
import type { Connection } from '@temporalio/client';
import type { PendingAction, UiState } from '../../core/index.ts';
import { TemporalRunClient } from '../../temporal/temporal-run-client.ts';
import { EXIT_OK, parseCommandArgs, UsageError, withUsage } from '../cli-support.ts';
import type { Command } from '../command.ts';
import { STATUS_MARKS } from '../run/step-ladder.ts';
import { CommandFailed, describeRun, expectPositionals, TEMPORAL_ENV_HELP, temporalSettings, withTemporalClient, CONNECTION_OPTIONS } from '../temporal-support.ts';

const USAGE = `usage: runbook status ID [--format json|pretty]

Shows the state of run ID (its current_ui_state query): the steps and their statuses,
child runs under their step, and what the run is waiting for.

options:
  --format json|pretty   output format (default: pretty on a terminal, json otherwise)
  -h, --help             show this help

${TEMPORAL_ENV_HELP}

exit status: 0 shown, 1 unknown run, Temporal unreachable or no worker answered, 2 usage error`;

export const command: Command = {
  run: (argv) => withUsage(USAGE, () => status(argv)),
};

/** How long a query may wait for a worker to answer. */
const QUERY_TIMEOUT_MS = 10_000;
/** How deep child runs are expanded in the pretty ladder. */
const MAX_CHILD_DEPTH = 3;

type Query = (runId: string) => Promise<UiState>;

async function status(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      ...CONNECTION_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  const [runId] = expectPositionals(positionals, ['ID']);
  const format = values.format ?? (process.stdout.isTTY ? 'pretty' : 'json');
  if (format !== 'json' && format !== 'pretty') throw new UsageError(`--format must be json or pretty, got "${format}"`);
  const settings = temporalSettings(undefined, values);

  return withTemporalClient(settings, async ({ client, connection }) => {
    const runs = new TemporalRunClient(client);
    const described = await describeRun(client.workflow.getHandle(runId!));
    const query: Query = (id) => queryUiState(connection, () => runs.get(id).currentUiState(), described);
    const state = await query(runId!);
    // A completed run's output is its result (not part of the ui state): shown by the pretty view.
    const output = format === 'pretty' && state.status === 'completed' ? await client.workflow.getHandle(runId!).result().catch(() => undefined) : undefined;
    process.stdout.write(format === 'json' ? `${JSON.stringify(state, null, 2)}\n` : await pretty(state, query, output));
    return EXIT_OK;
  });
}

/** Runs a query with a deadline; no answer means no worker is serving the run's task queue. */
async function queryUiState(connection: Connection, query: () => Promise<UiState>, described: { status: string; taskQueue: string }): Promise<UiState> {
  try {
    return await connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, query);
  } catch (error) {
    const grpc = error as { code?: number; cause?: { code?: number } };
    if (grpc.code === 4 || grpc.cause?.code === 4) {
      throw new CommandFailed(
        `no worker answered within ${QUERY_TIMEOUT_MS / 1000} s (the run is ${described.status}; is a \`runbook worker\` polling task queue "${described.taskQueue}"?)`,
      );
    }
    throw error;
  }
}

async function pretty(state: UiState, query: Query, output?: unknown): Promise<string> {
  const lines = [`${state.run_id}  ${state.title} (${state.runbook})  ${state.status}`];
  lines.push(...(await ladder(state, query, 1)));
  if (output !== undefined) lines.push('', `output: ${clip(JSON.stringify(output), 2000)}`);
  if (state.pending_action) lines.push('', ...pendingLines(state.run_id, state.pending_action));
  if (state.error) lines.push('', `error: ${state.error.step ? `step "${state.error.step}": ` : ''}${state.error.type}: ${state.error.message}`);
  if (state.error?.stack && process.env.RUNBOOK_DEBUG) lines.push(state.error.stack);
  return `${lines.join('\n')}\n`;
}

async function ladder(state: UiState, query: Query, depth: number): Promise<string[]> {
  const indent = '  '.repeat(depth);
  const lines: string[] = [];
  for (const step of state.steps) {
    const waitingFor = step.status === 'waiting' && state.pending_action?.step === step.id ? ` (${state.pending_action.action})` : '';
    // A run that ended while a step waited or ran: that step was interrupted, it waits no more.
    const ended = state.status === 'cancelled' || state.status === 'failed' || state.status === 'completed';
    if (ended && (step.status === 'waiting' || step.status === 'running')) {
      lines.push(`${indent}✗ ${step.title}  interrupted (the run is ${state.status})`);
      continue;
    }
    lines.push(`${indent}${STATUS_MARKS[step.status]} ${step.title}  ${step.status}${waitingFor}`);
    for (const child of step.children ?? []) {
      const mark = child.status === 'completed' ? '✓' : child.status === 'failed' ? '✗' : '▶';
      lines.push(`${indent}  ${mark} ${child.title} [${child.run_id}]  ${child.status}`);
      if (child.status !== 'completed' && depth < MAX_CHILD_DEPTH) {
        const childState = await query(child.run_id).catch(() => undefined);
        if (childState) lines.push(...(await ladder(childState, query, depth + 2)));
      }
    }
  }
  return lines;
}

/** What `runbook status` prints about the pending action: what it waits for and the command that answers it. */
export function pendingLines(runId: string, pending: PendingAction): string[] {
  const lines = [`waiting at "${pending.step}" for ${pending.action}`];
  if (pending.reason) lines.push(`  reason: ${pending.reason}`);
  if (pending.kind === 'review') {
    if (pending.payload !== undefined) lines.push(`  payload: ${clip(JSON.stringify(pending.payload), 400)}`);
    lines.push(`  answer: runbook act ${runId} ${(pending.outcomes ?? []).join('|')}`);
  } else if (pending.kind === 'agent') {
    // An agent's question: answered with a payload (checked against the question's schema), or declined.
    const schema = (pending.display_hint as { schema?: unknown } | undefined)?.schema;
    if (schema !== undefined) lines.push(`  schema: ${clip(JSON.stringify(schema), 400)}`);
    lines.push(`  answer: runbook act ${runId} --answer JSON|@FILE --step ${pending.step}`);
    lines.push(`  or:     runbook act ${runId} declined --comment WHY --step ${pending.step}`);
  } else {
    for (const signal of pending.signals ?? []) lines.push(`  send:   runbook signal ${runId} ${signal} --payload JSON|@FILE`);
  }
  return lines;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
