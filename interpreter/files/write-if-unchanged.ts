/**
 * Writing a runbook file safely, for every writer (the console's editor, `runbook move-step`):
 * only if it is still the text the change was made from (its sha256), under a lock file beside it
 * (`.<name>.lock`, so two processes cannot both pass the check), through a temporary file in the same
 * directory that is synced and renamed over it (a watching worker never reads half a file), keeping
 * the file's mode. Node side.
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const sha256Hex = (bytes: string | Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The file is not the text the change was made from: someone else wrote it meanwhile. */
export class FileChangedError extends Error {
  readonly code = 'FILE_CHANGED';
  constructor(
    readonly file: string,
    readonly currentText: string,
    readonly currentHash: string,
  ) {
    super(`FILE_CHANGED: ${file} changed since it was read; nothing written`);
    this.name = 'FileChangedError';
  }
}

/** A lock older than this is a crashed writer's: taken over. */
const STALE_LOCK_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

async function takeLock(lock: string): Promise<() => Promise<void>> {
  const started = Date.now();
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.close();
      return () => unlink(lock).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lock).then((info) => Date.now() - info.mtimeMs, () => 0);
      if (age > STALE_LOCK_MS) await unlink(lock).catch(() => undefined);
      else if (Date.now() - started > LOCK_WAIT_MS) throw new Error(`${lock} is held by another writer for more than ${LOCK_WAIT_MS / 1000} s`);
      else await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** Writes `text` through a synced temporary file beside `file` and a rename, keeping the file's mode. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const mode = await stat(file).then((info) => info.mode & 0o7777, () => 0o644);
  const temporary = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(text);
      await handle.chmod(mode); // the umask does not narrow it
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  const directory = await open(dirname(file), 'r').catch(() => undefined);
  await directory?.sync().catch(() => undefined);
  await directory?.close();
}

/**
 * Writes `text` to `file` if its bytes still hash to `baseHash` (a symlinked file is written where it
 * points). Throws FileChangedError, with the file as it is now, when they do not.
 */
export async function writeIfUnchanged(file: string, baseHash: string, text: string): Promise<{ hash: string }> {
  const target = await realpath(file).catch(() => file);
  const release = await takeLock(join(dirname(target), `.${basename(target)}.lock`));
  try {
    const current = await readFile(target).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return Buffer.alloc(0);
      throw error;
    });
    const currentHash = sha256Hex(current);
    if (currentHash !== baseHash) throw new FileChangedError(file, current.toString('utf8'), currentHash);
    await writeAtomically(target, text);
    return { hash: sha256Hex(text) };
  } finally {
    await release();
  }
}
