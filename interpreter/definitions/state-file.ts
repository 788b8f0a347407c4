/**
 * The state file a worker's store writes on every change, so `runbook definitions` (another
 * process) can list what that worker serves. Default `worker-definitions.json` in the project's
 * state directory (`.runbook/`, see interpreter/config/state-dir.ts), never in the runbooks
 * directory. Node side.
 */
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import type { Diagnostic } from '../loader/index.ts';
import { resolveProjectConfig, stateDirPaths, WORKER_STATE_FILE_NAME } from '../config/index.ts';
import type { Rejection, StoreSnapshot } from './types.ts';

/** The name of the state file in the project's state directory. */
export const STATE_FILE_NAME = WORKER_STATE_FILE_NAME;
export const STATE_FORMAT = 'runbook-definitions/1';

/** The project's worker state file: in the state directory that runbook.config.yaml (or the default `.runbook/`) names. */
export function defaultStateFile(): string {
  return stateDirPaths(resolveProjectConfig().stateDir.value).workerStateFile;
}

export interface StateWriter {
  readonly pid: number;
  readonly hostname: string;
  readonly started_at: string;
  readonly task_queue?: string;
  readonly namespace?: string;
  /** Set in the last write, when the worker stopped. */
  readonly stopped_at?: string;
}

export interface RejectionJson {
  readonly file: string;
  readonly slug: string | null;
  readonly hash: string;
  readonly at: string;
  /** This rejected version is what is on disk now. */
  readonly outstanding: boolean;
  readonly errors: number;
  readonly kept: { readonly hash: string; readonly loaded_at: string } | null;
  readonly diagnostics: readonly Diagnostic[];
}

export interface DefinitionJson {
  readonly slug: string;
  readonly file: string;
  readonly hash: string;
  readonly loaded_at: string;
  readonly last_rejected: RejectionJson | null;
}

/** The state file's content, also `runbook definitions --format json`. */
export interface DefinitionsStateJson {
  readonly format: typeof STATE_FORMAT;
  /** The worker that wrote it; null when the CLI validated the directory itself. */
  readonly writer: StateWriter | null;
  readonly written_at: string;
  readonly dir: string;
  readonly generation: number;
  readonly definitions: readonly DefinitionJson[];
  /** Rejected files whose slug is not served at all (or that declare none). */
  readonly rejected: readonly RejectionJson[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

function rejectionJson(r: Rejection & { outstanding: boolean }): RejectionJson {
  return {
    file: r.file,
    slug: r.slug ?? null,
    hash: r.hash,
    at: iso(r.at),
    outstanding: r.outstanding,
    errors: r.diagnostics.filter((d) => d.severity === 'error').length,
    kept: r.kept ? { hash: r.kept.hash, loaded_at: iso(r.kept.loadedAt) } : null,
    diagnostics: r.diagnostics,
  };
}

export function stateJson(snapshot: StoreSnapshot, writer: StateWriter | null, now: number = Date.now()): DefinitionsStateJson {
  return {
    format: STATE_FORMAT,
    writer,
    written_at: iso(now),
    dir: resolve(snapshot.dir),
    generation: snapshot.generation,
    definitions: snapshot.definitions.map((d) => ({
      slug: d.slug,
      file: d.file,
      hash: d.hash,
      loaded_at: iso(d.loadedAt),
      last_rejected: d.lastRejected ? rejectionJson(d.lastRejected) : null,
    })),
    rejected: snapshot.rejectedUnloaded.map(rejectionJson),
  };
}

export function currentWriter(extra: { taskQueue?: string; namespace?: string; startedAt?: number } = {}): StateWriter {
  return {
    pid: process.pid,
    hostname: hostname(),
    started_at: iso(extra.startedAt ?? Date.now()),
    ...(extra.taskQueue ? { task_queue: extra.taskQueue } : {}),
    ...(extra.namespace ? { namespace: extra.namespace } : {}),
  };
}

/** Writes whole-or-nothing: a temp file beside it, then a rename over it. */
export async function writeStateFile(path: string, state: DefinitionsStateJson): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, JSON.stringify(state, null, 2) + '\n');
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** The state file, or undefined when there is none; throws on a file that is not one. */
export async function readStateFile(path: string): Promise<DefinitionsStateJson | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const state = JSON.parse(text) as DefinitionsStateJson;
  if (state?.format !== STATE_FORMAT) throw new Error(`${path} is not a runbook definitions state file (format ${String(state?.format)})`);
  return state;
}

/** Whether the state file's path (or its temp files) is `path`: its own writes must not nudge the store. */
export function isStateFilePath(stateFile: string, path: string): boolean {
  const a = resolve(stateFile);
  const b = resolve(path);
  return b === a || (b.startsWith(`${a}.`) && b.endsWith('.tmp'));
}
