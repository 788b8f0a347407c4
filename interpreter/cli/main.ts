/**
 * `runbook <command> [...]`: dispatches to one module per command under ./commands (see
 * ./command-table.ts). Every command returns its exit code: 0 success, 1 failure, 2 usage or
 * validation error.
 */
import { EXIT_OK, EXIT_USAGE, writeError } from './cli-support.ts';
import { COMMANDS, GROUP_TITLES, type CommandGroup } from './command-table.ts';
import { closestMatch } from '../loader/did-you-mean.ts';

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const groups = Object.keys(GROUP_TITLES) as CommandGroup[];
  return [
    'usage: runbook <command> [options]',
    '',
    ...groups.flatMap((group) => [
      `${GROUP_TITLES[group]}:`,
      ...Object.entries(COMMANDS)
        .filter(([, entry]) => entry.group === group)
        .map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`),
      '',
    ]),
    "Run `runbook <command> --help` for a command's options; `runbook config` shows the",
    'configuration (runbook.config.yaml, found by walking up from the working directory).',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  // `runbook ... | head` closes the pipe early; that is not a failure worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? EXIT_OK : EXIT_USAGE;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    const match = closestMatch(name, Object.keys(COMMANDS));
    writeError(`unknown command "${name}"${match ? ` (did you mean ${match}?)` : ''}; \`runbook --help\` lists the commands`);
    return EXIT_USAGE;
  }
  try {
    return await (await entry.load()).run(rest);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    // A bad config file or handlers directory is the user's to fix: exit 2 with its location.
    if (typeof code === 'string' && /^(CONFIG_INVALID|HANDLERS_)/.test(code)) {
      writeError(error instanceof Error ? error.message : String(error));
      return EXIT_USAGE;
    }
    // Last line of defence: a located message, never a stack trace (RUNBOOK_DEBUG=1 shows it).
    writeError(error instanceof Error ? error.message : String(error));
    if (process.env.RUNBOOK_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
