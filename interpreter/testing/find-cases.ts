/**
 * Command-line paths → case files. A directory is searched (recursively, skipping dot
 * directories and node_modules) for `*.test.yaml` / `*.test.yml`; a file is taken as it is,
 * whatever its name; a glob keeps the YAML files it matches.
 */
import { expandRunbookPaths, PathNotFoundError } from '../loader/index.ts';
import { stat } from 'node:fs/promises';
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
    for (const file of info?.isDirectory() ? files.filter(isCaseFileName) : files) found.add(file);
  }
  return [...found];
}
