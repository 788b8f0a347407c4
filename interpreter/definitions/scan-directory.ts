/**
 * The runbook files of a directory, and reading one without catching it mid-write.
 * Node side.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Runbooks are `*.yaml` / `*.yml`, as for `runbook validate`. */
export const RUNBOOK_FILE = /\.ya?ml$/i;

export interface DirectoryListing {
  /** Runbook files, sorted. */
  readonly files: string[];
  /** The directory and its subdirectories (to watch), sorted. */
  readonly dirs: string[];
}

/**
 * Runbook files under `dir`, recursively, following symlinks (a Kubernetes ConfigMap mount is
 * symlinks into `..data/`). Skips dot-entries (editor swap and temp files, `.git`, the state
 * file) and node_modules. Throws when `dir` itself cannot be read.
 */
export async function listRunbookDirectory(dir: string): Promise<DirectoryListing> {
  const files: string[] = [];
  const dirs: string[] = [];
  const walk = async (current: string, depth: number): Promise<void> => {
    dirs.push(current);
    const entries = await readdir(current, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (current === dir) throw error;
      return [];
    });
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(current, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(path).catch(() => undefined);
        isDirectory = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
      }
      if (isDirectory && depth < 16) await walk(path, depth + 1);
      else if (isFile && RUNBOOK_FILE.test(entry.name)) files.push(path);
    }
  };
  await walk(dir, 0);
  return { files: files.sort(), dirs: dirs.sort() };
}

export type FileRead =
  | { readonly kind: 'ok'; readonly bytes: Uint8Array; /** sha256 hex, as the loader computes it. */ readonly hash: string }
  | { readonly kind: 'missing' }
  /** The file changed while it was read: someone is writing it. Read it again after it settles. */
  | { readonly kind: 'unstable' }
  | { readonly kind: 'error'; readonly message: string };

/** Reads a file, checking with a stat before and after that nobody wrote it meanwhile. */
export async function readStable(file: string): Promise<FileRead> {
  try {
    const before = await stat(file, { bigint: true });
    const bytes = await readFile(file);
    const after = await stat(file, { bigint: true });
    const same =
      before.ino === after.ino && before.size === after.size && before.mtimeNs === after.mtimeNs && before.ctimeNs === after.ctimeNs && BigInt(bytes.byteLength) === after.size;
    if (!same) return { kind: 'unstable' };
    return { kind: 'ok', bytes, hash: sha256Hex(bytes) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
