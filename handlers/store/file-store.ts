/**
 * A tiny JSON document store on disk: the backing of the local ledger and document
 * fakes. One JSON file per record, written atomically (temp file + rename), so a
 * crash or a concurrent reader never sees half a record.
 *
 * The root is `RUNBOOK_DATA_DIR`, default `.runbook-data/` in the working directory,
 * read on every call so tests can point each case at its own temp directory.
 */
import { mkdir, readFile, writeFile, rename, link, unlink, readdir } from 'node:fs/promises';
import { dirname, join, relative, resolve, isAbsolute, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';

/** The data directory handlers read and write. */
export function dataDir(): string {
  return resolve(process.env.RUNBOOK_DATA_DIR ?? '.runbook-data');
}

/** One path segment of a record key: no separators, no `..`, so keys cannot escape the root. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** A record address: folders then a name, e.g. `['ledger', 'acme', 'periods', '2025-01']`. */
export type RecordKey = readonly string[];

export class FileStore {
  readonly root: string;

  constructor(root: string = dataDir()) {
    this.root = root;
  }

  /** The file of a record (`<root>/<segments>.json`). */
  fileOf(key: RecordKey): string {
    if (key.length === 0) throw new Error('STORE_KEY_INVALID: empty record key');
    for (const segment of key) {
      if (!SEGMENT.test(segment) || segment.includes('..')) throw new Error(`STORE_KEY_INVALID: "${segment}" is not a safe path segment`);
    }
    return `${join(this.root, ...key)}.json`;
  }

  /** Reads and validates a record; `undefined` when it does not exist. */
  async read<S extends z.ZodType>(key: RecordKey, schema: S): Promise<z.output<S> | undefined> {
    let text: string;
    try {
      text = await readFile(this.fileOf(key), 'utf8');
    } catch (error) {
      if (isCode(error, 'ENOENT')) return undefined;
      throw error;
    }
    return schema.parse(JSON.parse(text));
  }

  /** Writes (or replaces) a record atomically. */
  async write(key: RecordKey, value: unknown): Promise<void> {
    const file = this.fileOf(key);
    const temp = await this.writeTemp(file, value);
    await rename(temp, file);
  }

  /**
   * Creates a record only if none exists, atomically even across processes
   * (`link` fails when the target exists). Returns false when it already existed.
   */
  async create(key: RecordKey, value: unknown): Promise<boolean> {
    const file = this.fileOf(key);
    const temp = await this.writeTemp(file, value);
    try {
      await link(temp, file);
      return true;
    } catch (error) {
      if (isCode(error, 'EEXIST')) return false;
      throw error;
    } finally {
      await unlink(temp);
    }
  }

  /** Names (without `.json`) of the records in a folder, sorted; empty when the folder does not exist. */
  async list(folder: RecordKey): Promise<string[]> {
    const dir = folder.length === 0 ? this.root : this.fileOf(folder).slice(0, -'.json'.length);
    try {
      const names = await readdir(dir);
      return names.filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length)).sort();
    } catch (error) {
      if (isCode(error, 'ENOENT')) return [];
      throw error;
    }
  }

  /** Resolves a user-given relative path inside the root; `undefined` if it would leave it. */
  resolveInside(path: string): string | undefined {
    if (isAbsolute(path)) return undefined;
    const full = resolve(this.root, path);
    const rel = relative(this.root, full);
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return undefined;
    return full;
  }

  private async writeTemp(file: string, value: unknown): Promise<string> {
    await mkdir(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, 'utf8');
    return temp;
  }
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
