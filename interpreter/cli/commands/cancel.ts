/**
 * `runbook cancel ID`
 * Asks a run on Temporal to cancel (its children are cancelled with it).
 */
import { EXIT_OK, parseCommandArgs, withUsage } from '../cli-support.ts';
import type { Command } from '../command.ts';
import { requireRunning, expectPositionals, TEMPORAL_ENV_HELP, temporalSettings, withTemporalClient, CONNECTION_OPTIONS } from '../temporal-support.ts';

const USAGE = `usage: runbook cancel ID

Requests cancellation of run ID; the run records it and stops.

options:
  -h, --help   show this help

${TEMPORAL_ENV_HELP}

exit status: 0 cancellation requested, 1 unknown or finished run, or Temporal unreachable, 2 usage error`;

export const command: Command = {
  run: (argv) => withUsage(USAGE, () => cancel(argv)),
};

async function cancel(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    allowPositionals: true,
    options: { ...CONNECTION_OPTIONS, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  const [runId] = expectPositionals(positionals, ['ID']);
  const settings = temporalSettings(undefined, values);

  return withTemporalClient(settings, async ({ client }) => {
    const handle = client.workflow.getHandle(runId!);
    await requireRunning(handle, 'cancellation');
    await handle.cancel();
    process.stdout.write(`${runId}: cancellation requested\n`);
    return EXIT_OK;
  });
}
