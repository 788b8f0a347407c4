/**
 * `runbook call HANDLER [--args JSON|@FILE] [--handlers DIR]`
 * Calls one of the project's handlers in this process, its contracts checked as at a step, and
 * prints its result as JSON. The helper for passing large documents by reference: store the
 * document with a handler (e.g. `documents.upload`), then signal its id instead of its bytes.
 */
import { randomUUID } from 'node:crypto';
import { loadHandlerRegistry, invokeHandler, idempotencyKey, WorkflowError, type HandlerLogger } from '../../handlers/index.ts';
import { didYouMean } from '../../loader/did-you-mean.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseCommandArgs, parseJsonOrFile, UsageError, withUsage, writeError } from '../cli-support.ts';
import type { Command } from '../command.ts';
import { cliConfig } from '../project-config.ts';

const USAGE = `usage: runbook call HANDLER [--args JSON|@FILE] [--handlers DIR]

Calls handler HANDLER of this project once, in this process (no run, no Temporal), with its
input and output contracts checked as at a step, and prints its result as JSON. Use it to
store a large document before a run needs it (\`runbook call documents.upload --args @FILE\`)
and send the run the document's id: a run's history then holds the id, not the bytes.

options:
  --args JSON|@FILE   the handler's input (default {})
  --handlers DIR      handler entry (default: configured, handlers/)
  -h, --help          show this help

exit status: 0 the handler returned, 1 it failed (its error type and message), 2 usage error or unknown handler`;

export const command: Command = {
  run: (argv) => withUsage(USAGE, () => call(argv)),
};

const stderrLogger: HandlerLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message) => writeError(`warning: ${message}`),
  error: (message) => writeError(message),
};

async function call(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    allowPositionals: true,
    options: { args: { type: 'string' }, handlers: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `unexpected argument "${positionals[1]}"` : 'missing HANDLER');
  const name = positionals[0]!;
  const args = values.args === undefined ? {} : parseJsonOrFile(values.args, '--args');
  const config = cliConfig({ handlers: values.handlers });
  if (config.handlers.value === false) throw new UsageError('no handlers are configured (handlers: false)');
  const registry = await loadHandlerRegistry(config.handlers.value);
  if (!registry.names().includes(name)) {
    writeError(`HANDLER_UNKNOWN: no handler "${name}"${didYouMean(name, registry.names())}`);
    return EXIT_USAGE;
  }
  const runId = `cli-call-${randomUUID()}`;
  const info = { runId, runbook: 'cli', stepId: 'call', attempt: 1, iteration: 0, idempotencyKey: idempotencyKey(runId, 'call', 0) };
  try {
    const result = await invokeHandler(registry, name, args, info, stderrLogger, new AbortController().signal);
    process.stdout.write(`${JSON.stringify(result ?? null, null, 2)}\n`);
    return EXIT_OK;
  } catch (error) {
    const type = error instanceof WorkflowError ? (error.type ?? 'WorkflowError') : error instanceof Error ? error.name : 'Error';
    writeError(`${name} failed: ${type}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_FAILED;
  }
}
