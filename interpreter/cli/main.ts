/**
 * `runbook <command> [...]`: dispatches to one module per command under ./commands.
 * Every command returns its exit code: 0 success, 1 failure, 2 usage or validation error.
 */
import { EXIT_USAGE, writeError } from './cli-support.ts';

export interface Command {
  readonly summary: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./commands/validate.ts')).command,
  run: async () => (await import('./commands/run.ts')).command,
  'dev-server': async () => (await import('./commands/dev-server.ts')).command,
  worker: async () => (await import('./commands/worker.ts')).command,
  start: async () => (await import('./commands/start.ts')).command,
  status: async () => (await import('./commands/status.ts')).command,
  act: async () => (await import('./commands/act.ts')).command,
  signal: async () => (await import('./commands/signal.ts')).command,
  cancel: async () => (await import('./commands/cancel.ts')).command,
  definitions: async () => (await import('./commands/definitions.ts')).command,
};

function usage(): string {
  return [
    'usage: runbook <command> [options]',
    '',
    'commands:',
    ...Object.keys(COMMANDS).map((name) => `  ${name}`),
    '',
    'Run `runbook <command> --help` for a command\'s options.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : EXIT_USAGE;
  }
  const load = COMMANDS[name];
  if (!load) {
    writeError(`unknown command "${name}"\n${usage()}`);
    return EXIT_USAGE;
  }
  try {
    return await (await load()).run(rest);
  } catch (error) {
    // Last line of defence: a located message, never a stack trace (RUNBOOK_DEBUG=1 shows it).
    writeError(error instanceof Error ? error.message : String(error));
    if (process.env.RUNBOOK_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
