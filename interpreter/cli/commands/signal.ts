/**
 * `runbook signal ID NAME [--payload JSON|@FILE]`
 * Delivers a runbook-declared signal to a run (the `runbook_signal` Update). An undeclared
 * signal or an invalid payload is refused and exits 1 with its code.
 */
import { TemporalRunClient } from '../../temporal/temporal-run-client.ts';
import { EXIT_OK, parseCommandArgs, withUsage } from '../cli-support.ts';
import type { Command } from '../command.ts';
import { requireRunning, expectPositionals, jsonFlag, TEMPORAL_ENV_HELP, temporalSettings, withTemporalClient, CONNECTION_OPTIONS } from '../temporal-support.ts';

const USAGE = `usage: runbook signal ID NAME [--payload JSON|@FILE]

Sends signal NAME (declared under the runbook's \`signals:\`) to run ID. The run checks
the payload against the signal's schema and refuses a bad one.

options:
  --payload JSON|@FILE   the signal's payload, inline or from a file (default null)
  -h, --help             show this help

${TEMPORAL_ENV_HELP}

exit status: 0 delivered, 1 refused, unknown run or Temporal unreachable, 2 usage error or bad JSON`;

export const command: Command = {
  run: (argv) => withUsage(USAGE, () => signal(argv)),
};

async function signal(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    allowPositionals: true,
    options: {
      payload: { type: 'string' },
      ...CONNECTION_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  const [runId, name] = expectPositionals(positionals, ['ID', 'NAME']);
  const payload = jsonFlag('payload', values.payload) ?? null;
  const settings = temporalSettings(undefined, values);

  return withTemporalClient(settings, async ({ client }) => {
    await requireRunning(client.workflow.getHandle(runId!), 'signals');
    const run = new TemporalRunClient(client).get(runId!);
    await run.signal(name!, payload);
    // Accepted. Say whether a wait took it, or it is kept for a later wait, or no wait will take it.
    const kept = (await run.currentUiState().catch(() => undefined))?.unconsumed_signals?.filter((signal) => signal.name === name).at(-1);
    const what =
      kept?.state === 'unclaimed'
        ? 'recorded, but no wait of the run takes it now (see unconsumed_signals in `runbook status`)'
        : kept?.state === 'waiting'
          ? 'recorded; the run is not waiting for it now, a later wait for it will take it'
          : 'delivered';
    process.stdout.write(`${runId}: signal ${name} ${what}\n`);
    return EXIT_OK;
  });
}
