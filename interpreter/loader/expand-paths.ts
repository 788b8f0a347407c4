/**
 * Command-line arguments (files, directories, globs) → runbook files.
 * Runbooks are `*.yaml` / `*.yml`; sample inputs (`*.input.json`) and the like are skipped.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Where runbooks live when no path is given. */
export const DEFAULT_RUNBOOKS_DIR = 'runbooks';

const RUNBOOK_FILE = /\.ya?ml$/i;
const GLOB_CHARS = /[*?[\]{}]/;

/** A literal path argument that does not exist. */
export class PathNotFoundError extends Error {
  readonly code = 'RB_PATH_NOT_FOUND';
  constructor(readonly path: string) {
    super(`RB_PATH_NOT_FOUND: no such file or directory: ${path}`);
    this.name = 'PathNotFoundError';
  }
}

/**
 * Expands each argument: a file is taken as is, a directory yields its YAML files
 * (recursively), a glob (`*`, `**`, `?`, `{a,b}`) yields the YAML files it matches.
 * Results are sorted per argument and deduplicated.
 *
 * @example
 * await expandRunbookPaths(['runbooks/', 'extra/*.yml']);
 */
export async function expandRunbookPaths(args: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const arg of args.length > 0 ? args : [DEFAULT_RUNBOOKS_DIR]) {
    for (const file of await expandOne(arg)) found.add(file);
  }
  return [...found];
}

async function expandOne(arg: string): Promise<string[]> {
  if (GLOB_CHARS.test(arg)) return expandGlob(arg);
  const info = await stat(arg).catch(() => undefined);
  if (!info) throw new PathNotFoundError(arg);
  if (!info.isDirectory()) return [arg];
  return (await walk(arg)).filter((file) => RUNBOOK_FILE.test(file)).sort();
}

async function expandGlob(pattern: string): Promise<string[]> {
  const normalized = pattern.split(sep).join('/');
  const segments = normalized.split('/');
  const firstGlob = segments.findIndex((segment) => GLOB_CHARS.test(segment));
  const base = segments.slice(0, firstGlob).join('/') || '.';
  const matcher = globToRegExp(segments.slice(firstGlob).join('/'));
  const files = await walk(base);
  return files
    .filter((file) => RUNBOOK_FILE.test(file) && matcher.test(relative(base, file).split(sep).join('/')))
    .sort();
}

/** Files under a directory, recursively; skips dot-directories and node_modules. */
async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && entry.name !== 'node_modules') files.push(...(await walk(path)));
    } else if (entry.isFile()) files.push(path);
  }
  return files;
}

/** `**` any depth, `*` within a segment, `?` one character, `{a,b}` alternatives, `[...]` a class. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '{') {
      braces++;
      source += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (c === ',' && braces > 0) source += '|';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        source += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += c.replace(/[.+^$()|\\\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
