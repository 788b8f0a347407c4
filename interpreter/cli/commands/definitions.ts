/**
 * `runbook definitions [--runbooks DIR] [--state-file FILE] [--handlers DIR] [--validate] [--format pretty|json]`
 * Lists the runbook definitions a worker serves (from the state file its store keeps current)
 * or, without one, what a worker would load from the directory.
 * Exit 0, 1 when a rejected file is still on disk, 2 usage error.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAbsolute, relative } from 'node:path';
import { DefinitionStore } from '../../definitions/definition-store.ts';
import { readStateFile, stateJson, type DefinitionsStateJson, type RejectionJson } from '../../definitions/state-file.ts';
import { displayPath } from '../../config/index.ts';
import { formatDiagnosticsPretty } from '../../loader/index.ts';
import { EXIT_FAILED, EXIT_OK, parseCommandArgs, UsageError, withUsage } from '../cli-support.ts';
import type { Command } from '../command.ts';
import { cliConfig } from '../project-config.ts';

const USAGE = `usage: runbook definitions [--runbooks DIR] [--state-file FILE] [--handlers DIR] [--validate] [--format pretty|json]

Lists the runbook definitions a worker serves: slug, content hash (sha256), load time,
source file, and the last rejected attempt at each with its errors. A running
\`runbook worker\` records them in a state file on every change; without one (or with
--validate) the directory is validated here and the listing is what a worker would load.

options:
  --runbooks DIR      the runbooks directory (default: configured, runbooks/)
  --state-file FILE   the worker's state file (default STATE_DIR/worker-definitions.json)
  --handlers DIR      handler entry, when validating here (default: configured, handlers/)
  --validate          ignore the state file; validate the directory
  --format pretty|json
  -h, --help          show this help

exit status: 0 listed, 1 some rejected file is still on disk (its previous definition, if
any, is what is served), 2 usage error`;

export const command: Command = {
  run: (argv) => withUsage(USAGE, () => definitions(argv)),
};

export interface DefinitionsListing extends DefinitionsStateJson {
  /** `worker`: read from a worker's state file; `validated`: this command validated the directory. */
  readonly source: 'worker' | 'validated';
  readonly state_file: string;
  /** Whether the writing worker still runs (checked on the same host only; null when unknown). */
  readonly worker_running: boolean | null;
}

async function definitions(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    allowPositionals: true,
    options: {
      runbooks: { type: 'string' },
      'state-file': { type: 'string' },
      handlers: { type: 'string' },
      validate: { type: 'boolean' },
      format: { type: 'string', default: 'pretty' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const format = values.format ?? 'pretty';
  if (format !== 'pretty' && format !== 'json') throw new UsageError(`unknown --format "${format}" (pretty or json)`);
  const config = cliConfig({ runbooks: values.runbooks, handlers: values.handlers });
  const dir = displayPath(config.runbooks.value);
  const stateFile = values['state-file'] ?? displayPath(config.state.workerStateFile);

  let listing: DefinitionsListing | undefined;
  if (!values.validate) {
    let state: DefinitionsStateJson | undefined;
    try {
      state = await readStateFile(stateFile);
    } catch (error) {
      throw new UsageError(`--state-file ${stateFile}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (state) listing = { source: 'worker', state_file: stateFile, worker_running: workerRunning(state), ...state };
  }
  if (!listing) {
    if (!existsSync(dir)) throw new UsageError(`--runbooks ${dir}: no such directory`);
    const store = await DefinitionStore.open({ dir, watch: false, ...(config.handlers.value === false ? {} : { handlersDir: config.handlers.value }) });
    listing = { source: 'validated', state_file: stateFile, worker_running: null, ...stateJson(store.snapshot(), null) };
  }
  process.stdout.write(format === 'json' ? `${JSON.stringify(listing, null, 2)}\n` : pretty(listing));
  const outstanding = [...listing.definitions.flatMap((d) => (d.last_rejected ? [d.last_rejected] : [])), ...listing.rejected].some((r) => r.outstanding);
  return outstanding ? EXIT_FAILED : EXIT_OK;
}

function workerRunning(state: DefinitionsStateJson): boolean | null {
  const writer = state.writer;
  if (!writer) return null;
  if (writer.stopped_at) return false;
  if (writer.hostname !== hostname()) return null;
  try {
    process.kill(writer.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Paths under the working directory relative to it, others as they are. */
function display(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' ? file : rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

function ago(iso: string): string {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 129_600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}

function indent(text: string, by: string): string {
  return text.trimEnd().split('\n').map((line) => `${by}${line}`).join('\n') + '\n';
}

function rejectionLines(r: RejectionJson, by: string): string {
  const state = r.outstanding ? 'still on disk' : 'since replaced';
  const kept = r.kept ? `; serving ${r.kept.hash.slice(0, 12)} (loaded ${r.kept.loaded_at}) instead` : '';
  return `${by}last rejected ${r.at} (${ago(r.at)}), ${state}: ${r.errors} error${r.errors === 1 ? '' : 's'} in ${display(r.file)} ${r.hash.slice(0, 12)}${kept}\n` +
    indent(formatDiagnosticsPretty(r.diagnostics.map((d) => ({ ...d, file: display(d.file) }))), `${by}  `);
}

function pretty(listing: DefinitionsListing): string {
  const out: string[] = [];
  const where = display(listing.dir);
  if (listing.source === 'worker' && listing.writer) {
    const w = listing.writer;
    const status = w.stopped_at ? `stopped ${w.stopped_at}` : listing.worker_running === true ? 'running' : listing.worker_running === false ? 'no longer running' : 'on another host';
    const queue = w.task_queue ? `, task queue ${w.task_queue}${w.namespace ? ` in ${w.namespace}` : ''}` : '';
    out.push(`Served by worker pid ${w.pid} on ${w.hostname}${queue} (${status}); state written ${listing.written_at} (${ago(listing.written_at)}) to ${display(listing.state_file)}`);
  } else {
    out.push(`No worker state file at ${display(listing.state_file)}: what a worker would load from ${where}/ now`);
  }
  out.push(`${listing.definitions.length} definition${listing.definitions.length === 1 ? '' : 's'} from ${where}/`);
  if (listing.definitions.length > 0) {
    const width = Math.max(4, ...listing.definitions.map((d) => d.slug.length));
    out.push('', `  ${'SLUG'.padEnd(width)}  HASH          LOADED                    FILE`);
    for (const d of listing.definitions) {
      out.push(`  ${d.slug.padEnd(width)}  ${d.hash.slice(0, 12)}  ${d.loaded_at}  ${display(d.file)}`);
      if (d.last_rejected) out.push(rejectionLines(d.last_rejected, '    ').trimEnd());
    }
  }
  if (listing.rejected.length > 0) {
    out.push('', 'rejected, nothing served from them:');
    for (const r of listing.rejected) {
      out.push(`  ${display(r.file)}${r.slug ? ` (slug ${r.slug})` : ''}`);
      out.push(rejectionLines(r, '    ').trimEnd());
    }
  }
  return `${out.join('\n')}\n`;
}
