/**
 * The runbook files the editor opens and saves: found in the runbooks directory by slug (the `slug:`
 * a file declares, else its name without `.yaml`, so an invalid file opens too), read with their
 * content hash (writing is interpreter/files/write-if-unchanged.ts). Saves are recorded in the state directory's
 * `editor-saves.jsonl` (who, when, which hash), one JSON line each. Node side.
 */
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import { expandRunbookPaths } from '../../index.ts';

export interface RunbookFile {
  readonly slug: string;
  /** Absolute. */
  readonly file: string;
  /** Relative to the runbooks directory, `/`-separated. */
  readonly path: string;
}

export interface FileContent {
  readonly text: string;
  readonly hash: string;
}

export interface SaveRecord {
  readonly slug: string;
  readonly path: string;
  readonly hash: string;
  readonly base_hash: string;
  readonly by: string;
  readonly at: string;
}

export const SAVE_LOG_NAME = 'editor-saves.jsonl';

export const hashOf = (bytes: string | Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A top-level `slug: x` line (column 0 is never inside a block scalar): the common case, without a parse. */
const SLUG_LINE = /^slug:[ \t]*(['"]?)([A-Za-z0-9][\w.-]*)\1[ \t]*(?:#.*)?\r?$/m;

/** The slug a text declares, if it parses far enough to say. */
export function declaredSlug(text: string): string | null {
  const line = SLUG_LINE.exec(text);
  if (line) return line[2];
  try {
    const value = parseDocument(text, { uniqueKeys: false }).get('slug');
    return typeof value === 'string' && value.length > 0 ? value : null;
  } catch {
    return null;
  }
}

const stem = (file: string): string => basename(file).replace(/\.ya?ml$/i, '');

/** Every runbook file of the directory with its slug; the first file wins a slug two files declare. */
export async function listRunbookFiles(runbooksDir: string): Promise<RunbookFile[]> {
  let files: string[];
  try {
    files = await expandRunbookPaths([runbooksDir]);
  } catch {
    return [];
  }
  const seen = new Set<string>();
  const listed: RunbookFile[] = [];
  for (const file of files) {
    const slug = (await slugOfFile(file)) ?? stem(file);
    if (seen.has(slug)) continue;
    seen.add(slug);
    listed.push({ slug, file, path: relative(runbooksDir, file).split('\\').join('/') });
  }
  return listed;
}

/** Slugs by file, while the file's size and mtime stay the same (every editor request looks a slug up). */
const slugs = new Map<string, { readonly mtimeMs: number; readonly size: number; readonly slug: string | null }>();

async function slugOfFile(file: string): Promise<string | null> {
  const info = await stat(file).catch(() => undefined);
  const known = slugs.get(file);
  if (info && known && known.mtimeMs === info.mtimeMs && known.size === info.size) return known.slug;
  const slug = declaredSlug(await readFile(file, 'utf8').catch(() => ''));
  if (info) slugs.set(file, { mtimeMs: info.mtimeMs, size: info.size, slug });
  return slug;
}

export async function readContent(file: string): Promise<FileContent> {
  const bytes = await readFile(file);
  return { text: bytes.toString('utf8'), hash: hashOf(bytes) };
}

export async function recordSave(stateDir: string, record: SaveRecord): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  await appendFile(join(stateDir, SAVE_LOG_NAME), `${JSON.stringify(record)}\n`);
}

/** The last recorded save of a slug, if any (a missing or unreadable log: none). */
export async function lastSave(stateDir: string, slug: string): Promise<SaveRecord | null> {
  const log = await readFile(join(stateDir, SAVE_LOG_NAME), 'utf8').catch(() => '');
  let last: SaveRecord | null = null;
  for (const line of log.split('\n')) {
    if (!line.trim()) continue;
    try {
      const record = JSON.parse(line) as SaveRecord;
      if (record.slug === slug) last = record;
    } catch {
      // a torn line: skip it
    }
  }
  return last;
}
