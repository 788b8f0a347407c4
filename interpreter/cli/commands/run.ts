/**
 * `runbook run FILE|SLUG [--input FILE|-] [--answer STEP=OUTCOME[:JSON]]... [--signal NAME=JSON]...
 *  [--runbooks DIR] [--handlers DIR]`
 * Runs a runbook in-process with a live step ladder on stderr and the output as JSON on stdout.
 * Exit 0 completed, 1 failed (or stopped at a wait nobody can answer), 2 usage or validation error.
 */
import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { DEFAULT_HANDLERS_DIR } from '../../handlers/index.ts';
import { DEFAULT_RUNBOOKS_DIR, formatDiagnosticsPretty } from '../../loader/index.ts';
import { LocalRuntime } from '../../runtime/local/index.ts';
import { RunCancelledError, RunFailedError, StartRejectedError } from '../../runtime/runtime-errors.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseCommandArgs, UsageError, withUsage, writeError } from '../cli-support.ts';
import type { Command } from '../main.ts';
import { DefinitionsInvalid, loadRunDefinitions } from '../run/load-definitions.ts';
import { Prompter } from '../run/prompts.ts';
import { ScriptedAnswers } from '../run/scripted-answers.ts';
import { StepLadder } from '../run/step-ladder.ts';
import { Unanswerable, WaitResponder } from '../run/wait-responder.ts';

const USAGE = `usage: runbook run FILE|SLUG [options]

Runs a runbook in this process (no Temporal needed). The step ladder goes to stderr,
the run output (JSON) to stdout. Reviews and waits are answered from --answer / --signal,
else asked at the terminal; with no terminal the run stops at the first unanswered one.

options:
  --input FILE|-                         run input as JSON (a file, or - for stdin; default {})
  --answer STEP=approved|rejected|corrected[:JSON]
                                         answer the review at STEP (repeatable, used in order)
  --signal NAME=JSON                     send signal NAME when a wait needs it (repeatable, in order)
  --runbooks DIR                         runbooks to load, for children and slugs (default ${DEFAULT_RUNBOOKS_DIR}/)
  --handlers DIR                         handler modules (default ${DEFAULT_HANDLERS_DIR}/)
  -h, --help                             show this help

exit status: 0 completed, 1 failed, 2 usage or validation error`;

export const command: Command = {
  summary: 'Run a runbook in-process with a live step ladder',
  run: (argv) => withUsage(USAGE, () => run(argv)),
};

async function readInput(source: string | undefined): Promise<unknown> {
  if (source === undefined) return {};
  let raw: string;
  try {
    raw = source === '-' ? await text(process.stdin) : await readFile(source, 'utf8');
  } catch (error) {
    throw new UsageError(`--input ${source}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    throw new UsageError(`--input ${source}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    allowPositionals: true,
    options: {
      input: { type: 'string' },
      answer: { type: 'string', multiple: true },
      signal: { type: 'string', multiple: true },
      runbooks: { type: 'string' },
      handlers: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name a runbook file or slug' : `one runbook at a time, got ${positionals.join(' ')}`);
  const [target] = positionals;
  const scripted = new ScriptedAnswers(values.answer, values.signal);
  if (values.input === '-' && process.stdin.isTTY) throw new UsageError('--input -: stdin is a terminal; pipe the JSON in or name a file');
  const input = await readInput(values.input);

  let loaded;
  try {
    loaded = await loadRunDefinitions(target, {
      runbooksDir: values.runbooks ?? DEFAULT_RUNBOOKS_DIR,
      dirGiven: values.runbooks !== undefined,
      handlersDir: values.handlers ?? DEFAULT_HANDLERS_DIR,
    });
  } catch (error) {
    if (!(error instanceof DefinitionsInvalid)) throw error;
    process.stderr.write(error.pretty());
    return EXIT_USAGE;
  }
  if (loaded.notes.length > 0) process.stderr.write(formatDiagnosticsPretty(loaded.notes));

  const runtime = new LocalRuntime({ definitions: loaded.definitions, handlers: loaded.handlers });
  const runId = `${loaded.slug}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const ladder = new StepLadder(runtime, runId, process.stderr, Boolean(process.stderr.isTTY));
  const prompter = process.stdin.isTTY ? new Prompter() : undefined;
  let stuck: Unanswerable | undefined;
  const responder = new WaitResponder({
    runtime,
    rootRunId: runId,
    scripted,
    prompter,
    beforePrompt: () => {
      ladder.flush();
      ladder.detach();
    },
    onStuck: (error) => {
      stuck ??= error;
      // Stop every run (children included): no timer or wait may keep the process alive.
      for (const handle of runtime.list()) void handle.cancel();
    },
  });
  runtime.onEvent((event) => {
    ladder.onEvent(event);
    responder.onEvent(event);
  });

  let handle;
  try {
    handle = runtime.start(loaded.slug, input, { runId });
  } catch (error) {
    if (error instanceof StartRejectedError) {
      writeError(error.message);
      return EXIT_USAGE;
    }
    throw error;
  }

  try {
    const output = await handle.result();
    ladder.flush();
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    const unused = scripted.unused();
    if (unused.length > 0) process.stderr.write(`note: not used: ${unused.join(' ')}\n`);
    return EXIT_OK;
  } catch (error) {
    ladder.flush();
    if (error instanceof RunFailedError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_FAILED;
    }
    if (error instanceof RunCancelledError && stuck) {
      writeError(stuck.message);
      return EXIT_FAILED;
    }
    throw error;
  } finally {
    prompter?.close();
    for (const other of runtime.list()) void other.cancel();
  }
}
