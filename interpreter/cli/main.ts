/**
 * `runbook <command> [...]`: dispatches to one module per command under ./commands (see
 * ./command-table.ts). Every command returns its exit code: 0 success, 1 failure, 2 usage or
 * validation error.
 */
import { readFileSync } from 'node:fs';
import { EXIT_OK, EXIT_USAGE, writeError } from './cli-support.ts';
import { COMMANDS, GROUP_TITLES, type CommandGroup } from './command-table.ts';
import { closestMatch } from '../loader/did-you-mean.ts';
import { COMPLETION_USAGE, completionScript } from './completion-script.ts';
import { stopProcessTracing } from './process-tracing.ts';

/** Commands main.ts answers itself (they only need the command table). */
const BUILT_INS = { completion: { group: 'author', summary: 'Print a bash or zsh completion script for runbook' } } as const;

function usage(): string {
  const all: Record<string, { group: CommandGroup; summary: string }> = { ...COMMANDS, ...BUILT_INS };
  const width = Math.max(...Object.keys(all).map((name) => name.length));
  const groups = Object.keys(GROUP_TITLES) as CommandGroup[];
  return [
    'usage: runbook <command> [options]',
    '',
    ...groups.flatMap((group) => [
      `${GROUP_TITLES[group]}:`,
      ...Object.entries(all)
        .filter(([, entry]) => entry.group === group)
        .map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`),
      '',
    ]),
    'Run `runbook <command> --help` for its options, `runbook --version` for the version.',
    '`runbook config` shows the configuration (runbook.config.yaml, found by walking up',
    'from the working directory).',
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
  if (name === '--version' || name === '-V' || name === 'version') {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`${version}\n`);
    return EXIT_OK;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? EXIT_OK : EXIT_USAGE;
  }
  if (name === 'completion') return completion(rest);
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    const match = closestMatch(name, [...Object.keys(COMMANDS), ...Object.keys(BUILT_INS)]);
    writeError(`unknown command "${name}"${match ? ` (did you mean ${match}?)` : ''}; \`runbook --help\` lists the commands`);
    return EXIT_USAGE;
  }
  try {
    return await (await entry.load()).run(rest);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    // A bad config file, handlers or agents directory is the user's to fix: exit 2 with its location.
    if (typeof code === 'string' && /^(CONFIG_INVALID|HANDLERS_|AGENTS_|AGENT_DUPLICATE)/.test(code)) {
      writeError(error instanceof Error ? error.message : String(error));
      return EXIT_USAGE;
    }
    // An explained failure with its own exit code (a TLS file that cannot be used: 2).
    const exitCode = (error as { exitCode?: unknown } | null)?.exitCode;
    if (error instanceof Error && typeof exitCode === 'number') {
      writeError(error.message);
      return exitCode;
    }
    // Last line of defence: a located message, never a stack trace (RUNBOOK_DEBUG=1 shows it).
    writeError(error instanceof Error ? error.message : String(error));
    if (process.env.RUNBOOK_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  } finally {
    // Spans still buffered (a short `runbook start`'s StartWorkflow) are sent before the process ends; a no-op when nothing traced.
    await stopProcessTracing();
  }
}

function completion(argv: string[]): number {
  const [shell, ...extra] = argv;
  if (shell === '--help' || shell === '-h') {
    process.stdout.write(`${COMPLETION_USAGE}\n`);
    return EXIT_OK;
  }
  if ((shell !== 'bash' && shell !== 'zsh') || extra.length > 0) {
    writeError(`${shell === undefined ? 'name a shell' : `unsupported shell "${[shell, ...extra].join(' ')}"`}: bash or zsh\n${COMPLETION_USAGE.split('\n')[0]}`);
    return EXIT_USAGE;
  }
  process.stdout.write(completionScript(shell, [...Object.keys(COMMANDS), ...Object.keys(BUILT_INS)]));
  return EXIT_OK;
}
