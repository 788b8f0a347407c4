/**
 * Where generated state lives. Per project, under the state directory (default `.runbook/`
 * beside the config file): the worker state file, the validation cache. Per user, under the
 * user cache (`$XDG_CACHE_HOME/yaml-runbook`, default `~/.cache/yaml-runbook`): the Temporal
 * CLI's Python environment, shared by every project. Never inside node_modules or the runbooks
 * directory. Node side.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The worker state file's name in the state directory. */
export const WORKER_STATE_FILE_NAME = 'worker-definitions.json';

export interface StatePaths {
  /** The state directory itself. */
  readonly root: string;
  /** What `runbook worker` serves, read by `runbook definitions`. */
  readonly workerStateFile: string;
  /** The `runbook validate` content-hash cache. */
  readonly validateCache: string;
  /** The `runbook dev` server's database. */
  readonly devServerDb: string;
  /** The embedded committed-document store (SQLite; shared by worker, `runbook run` and console). */
  readonly documentsFile: string;
}

export function stateDirPaths(stateDir: string): StatePaths {
  const root = resolve(stateDir);
  return {
    root,
    workerStateFile: join(root, WORKER_STATE_FILE_NAME),
    validateCache: join(root, 'cache', 'validate'),
    devServerDb: join(root, 'temporal', 'dev-server.sqlite'),
    documentsFile: join(root, 'documents.sqlite'),
  };
}

/** The per-user cache directory of this package. */
export function userCacheDir(env: Environment = process.env): string {
  if (env.RUNBOOK_CACHE_DIR) return resolve(env.RUNBOOK_CACHE_DIR);
  const base = env.XDG_CACHE_HOME || (process.platform === 'win32' ? env.LOCALAPPDATA : undefined) || join(homedir(), '.cache');
  return join(base, 'yaml-runbook');
}

/** Environment variables, as `process.env` holds them (without depending on Node's global types). */
export type Environment = Readonly<Record<string, string | undefined>>;
