/**
 * `runbook run FILE|SLUG [--input FILE|-] [--answer STEP=OUTCOME[:JSON] | STEP=JSON]... [--signal NAME=JSON|@FILE]...
 *  [--runbooks DIR] [--handlers DIR] [--agents DIR] [--runtime local|temporal] [--task-queue Q] [--actor NAME]`
 * Runs a runbook on the selected runtime (Temporal when TEMPORAL_ADDRESS is set, with an
 * embedded worker; otherwise in-process) with a live step ladder on stderr and the output as
 * JSON on stdout. Exit 0 completed, 1 failed (or stopped at a wait nobody can answer),
 * 2 usage or validation error, 130 interrupted (SIGINT; 143 for SIGTERM; Temporal: the run stays on the server).
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import { rejectInput } from '../../core/index.ts';
import { displayPath } from '../../config/index.ts';
import { formatDiagnosticsPretty } from '../../loader/index.ts';
import { selectRuntime, setRuntime, type RuntimeKind } from '../../runtime/select-runtime.ts';
import { EXIT_OK, EXIT_USAGE, parseCommandArgs, UsageError, withUsage, writeError } from '../cli-support.ts';
import type { Command } from '../command.ts';
import { loadProjectAgents } from '../project-agents.ts';
import { cliConfig } from '../project-config.ts';
import { projectDocuments } from '../project-documents.ts';
import { DefinitionsInvalid, isFileArgument, loadRunDefinitions } from '../run/load-definitions.ts';
import { Prompter } from '../run/prompts.ts';
import { runLocally, type RunRequest } from '../run/run-local.ts';
import { checkScriptedNames } from '../run/check-scripted.ts';
import { ScriptedAnswers } from '../run/scripted-answers.ts';
import { canSupervise, superviseLocalRun } from '../run/supervise-local.ts';

const USAGE = `usage: runbook run FILE|SLUG [options]

Runs a runbook and follows it: the step ladder goes to stderr, the run output (JSON) to
stdout. Reviews, agents' questions and waits are answered from --answer / --signal, else asked at the
terminal; with no terminal the run stops at the first unanswered one.

Runtime: with TEMPORAL_ADDRESS set the run is durable on Temporal, executed by a worker
embedded in this command (on a task queue of its own; Ctrl-C leaves the run on the server);
otherwise it runs in this process. One INFO line says which; --runtime forces one.

options:
  --input FILE|-                         run input as JSON (a file, or - for stdin; default {})
  --answer STEP=approved|rejected[:COMMENT] | STEP=corrected:JSON
                                         answer the review at STEP (repeatable, used in order)
  --answer STEP=JSON|@FILE               answer the question of the agent at STEP (e.g. STEP='{"account":"6100"}')
  --signal NAME=JSON|@FILE               send signal NAME when a wait needs it (repeatable, in order)
  --runbooks DIR                         runbooks to load, for children and slugs (default: configured, runbooks/)
  --handlers DIR                         handler entry (default: configured, handlers/)
  --agents DIR                           agent entry (default: configured, else agents/ when it exists)
  --runtime local|temporal               force the runtime (default: temporal when TEMPORAL_ADDRESS is set)
  --task-queue Q                         temporal: the embedded worker's task queue (default runbook-run-<uuid>)
  --actor NAME                           who runs it: recorded as the run's starter and as the actor of every
                                         review decision and agent answer given here, so commits record it
                                         (default: RUNBOOK_ACTOR; else none)
  -h, --help                             show this help

environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE (see \`runbook worker --help\`), RUNBOOK_ACTOR (--actor)

exit status: 0 completed, 1 failed, 2 usage or validation error, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM)`;

export const command: Command = {
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

function runtimeFlag(value: string | undefined): RuntimeKind | undefined {
  if (value === undefined || value === 'local' || value === 'temporal') return value;
  throw new UsageError(`--runtime ${value}: expected local or temporal`);
}

/** The `runbook worker` options that serve what this run loaded: the runbooks directory (or the file's), the handlers. */
function workerOptions(target: string, runbooks: string | undefined, handlers: string | undefined, agents: string | undefined, configuredRunbooks: string): string[] {
  const dir = runbooks ?? (isFileArgument(target) && resolve(dirname(target)) !== resolve(configuredRunbooks) ? dirname(target) : undefined);
  return [...(dir ? ['--runbooks', dir] : []), ...(handlers ? ['--handlers', handlers] : []), ...(agents ? ['--agents', agents] : [])];
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
      agents: { type: 'string' },
      runtime: { type: 'string' },
      'task-queue': { type: 'string' },
      actor: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name a runbook file or slug' : `one runbook at a time, got ${positionals.join(' ')}`);
  const [target] = positionals;
  const forced = runtimeFlag(values.runtime);
  // In-process: run in a supervised child, so Ctrl-C / SIGTERM stop it even inside a synchronous loop.
  const local = forced === 'local' || (forced === undefined && !process.env.TEMPORAL_ADDRESS?.trim());
  if (local && canSupervise()) return superviseLocalRun(argv);
  const scripted = new ScriptedAnswers(values.answer, values.signal);
  if (values.input === '-' && process.stdin.isTTY) throw new UsageError('--input -: stdin is a terminal; pipe the JSON in or name a file');
  const input = await readInput(values.input);

  const config = cliConfig({ runbooks: values.runbooks, handlers: values.handlers, agents: values.agents });
  // A broken agents entry is exit 2 naming the file (main.ts); none: agent steps fail with AGENT_UNKNOWN.
  const agents = await loadProjectAgents(config);
  let loaded;
  try {
    loaded = await loadRunDefinitions(target, {
      runbooksDir: displayPath(config.runbooks.value),
      dirGiven: values.runbooks !== undefined,
      handlersDir: config.handlers.value === false ? undefined : config.handlers.value,
      ...(agents ? { agents } : {}),
    });
  } catch (error) {
    if (!(error instanceof DefinitionsInvalid)) throw error;
    process.stderr.write(error.pretty());
    return EXIT_USAGE;
  }
  if (loaded.notes.length > 0) process.stderr.write(formatDiagnosticsPretty(loaded.notes));
  if (loaded.otherInvalid.length > 0) {
    const files = loaded.otherInvalid;
    writeError(`note: ${files.length} other runbook file${files.length === 1 ? '' : 's'} with errors, not loaded (${files.slice(0, 3).join(', ')}${files.length > 3 ? ', …' : ''}); \`runbook validate\` lists them`);
  }
  // Invalid input is a usage error on either runtime, before any server is involved.
  const problems = rejectInput(loaded.definitions.resolve(loaded.slug)!.runbook, input);
  if (problems) {
    writeError(`INPUT_INVALID: input for ${loaded.slug}: ${problems}`);
    return EXIT_USAGE;
  }
  // A scripted name the runbook does not declare would never be used: say so before anything runs.
  const unusable = checkScriptedNames(scripted, loaded.definitions, loaded.slug);
  if (unusable.length > 0) {
    for (const problem of unusable) writeError(problem);
    return EXIT_USAGE;
  }

  const actor = (values.actor ?? process.env.RUNBOOK_ACTOR)?.trim();
  if (values.actor !== undefined && !actor) throw new UsageError('--actor: name who runs it (or leave the flag out)');
  const { kind } = forced ? setRuntime(forced, { reason: `--runtime ${forced}` }) : await selectRuntime();
  const prompter = process.stdin.isTTY ? new Prompter() : undefined;
  const request: RunRequest = {
    loaded,
    input,
    runId: `${loaded.slug}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
    scripted,
    prompter,
    workerOptions: workerOptions(target, values.runbooks, values.handlers, values.agents, config.runbooks.value),
    documents: projectDocuments(config),
    ...(actor ? { actor } : {}),
  };
  try {
    if (kind === 'local') return await runLocally(request);
    const { runOnTemporal } = await import('../run/run-temporal.ts');
    return await runOnTemporal(request, values['task-queue']);
  } finally {
    prompter?.close();
  }
}
