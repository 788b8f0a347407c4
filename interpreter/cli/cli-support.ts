/** Small helpers shared by the CLI commands. */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closestMatch } from '../loader/did-you-mean.ts';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export function writeError(message: string): void {
  process.stderr.write(`runbook: ${message}\n`);
}

/** Raised by `parseCommandArgs` for a usage error; the command turns it into exit 2. */
export class UsageError extends Error {
  readonly code = 'CLI_USAGE';
}

/** node:util parseArgs with strict checking, turning its errors into UsageError (an unknown option gets a did-you-mean). */
export function parseCommandArgs<T extends ParseArgsConfig>(argv: string[], config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs({ ...config, args: argv, strict: true }) as ReturnType<typeof parseArgs<T>>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /^Unknown option '(--?[^']+)'/.exec(message)?.[1];
    if (!unknown) throw new UsageError(message);
    const known = Object.keys(config.options ?? {}).map((name) => `--${name}`);
    const match = closestMatch(unknown, known);
    throw new UsageError(`unknown option ${unknown}${match ? ` (did you mean ${match}?)` : ''}`);
  }
}

/** Runs a command body, mapping UsageError to exit 2: the message, the command's synopsis, and where the help is. */
export async function withUsage(usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      const synopsis = usage.split('\n\n')[0];
      const command = /^usage: (runbook [\w-]+)/.exec(synopsis)?.[1] ?? 'runbook';
      writeError(`${error.message}\n${synopsis}\n(\`${command} --help\` lists every option)`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

/** Parses JSON; bad JSON is a UsageError naming `what`. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${what}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Inline JSON, or `@FILE` for a file's JSON (flags, scripted answers, the terminal prompt). */
export function parseJsonOrFile(value: string, what: string): unknown {
  if (!value.startsWith('@')) return parseJson(value, what);
  let text: string;
  try {
    text = readFileSync(value.slice(1), 'utf8');
  } catch (error) {
    throw new UsageError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseJson(text, what);
}
