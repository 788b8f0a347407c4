/**
 * Command-line paths → case files. A directory is searched (recursively, skipping dot
 * directories, node_modules and nested projects — directories with their own
 * runbook.config.yaml) for `*.test.yaml` / `*.test.yml`; a file is taken as it is,
 * whatever its name; a glob keeps the YAML files it matches.
 */
import { expandRunbookPaths, PathNotFoundError } from '../loader/index.ts';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { CONFIG_FILE_NAMES } from '../config/index.ts';
import { isCaseFileName } from './runbook-library.ts';

export { PathNotFoundError };

/**
 * @example
 * await findCaseFiles(['tests/']); // ['tests/close.test.yaml', ...]
 */
export async function findCaseFiles(paths: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    const files = await expandRunbookPaths([path]);
    // A searched directory's cases, but not those of a nested project (a directory below it with its own config).
    const own = info?.isDirectory() ? files.filter((file) => isCaseFileName(file) && !inNestedProject(path, file)) : files;
    for (const file of own) found.add(file);
  }
  return [...found];
}

/** Whether a directory between `root` (excluded) and `file` holds a runbook.config.yaml of its own. */
function inNestedProject(root: string, file: string): boolean {
  const top = resolve(root);
  for (let dir = dirname(resolve(file)); dir !== top && dir.startsWith(top + sep); dir = dirname(dir)) {
    if (CONFIG_FILE_NAMES.some((name) => existsSync(join(dir, name)))) return true;
  }
  return false;
}
