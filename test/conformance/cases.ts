/**
 * The project's conformance cases, `test/cases/<topic>/*.yaml`, loaded by the library's case
 * loader (interpreter/testing, the runner `runbook test` uses) with the repository's
 * `runbooks/` as the runbooks directory.
 */
import { readdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRunbookLibrary, loadTestCase, type TestCase } from '../../interpreter/testing/index.ts';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CASES_DIR = join(REPO_ROOT, 'test', 'cases');

/** Topics under test/cases/ that belong to other suites (the validator's fixtures), not to this one. */
export const OTHER_SUITES: ReadonlySet<string> = new Set(['validation']);

/** The repository's example runbooks, validated once, for the cases that name one by slug. */
export const library = await loadRunbookLibrary(join(REPO_ROOT, 'runbooks'));

/** Every case file under `dir`, sorted by topic then name. */
export function findConformanceFiles(dir: string = CASES_DIR): string[] {
  const files: string[] = [];
  for (const topic of readdirSync(dir, { withFileTypes: true })) {
    if (!topic.isDirectory() || OTHER_SUITES.has(topic.name)) continue;
    for (const entry of readdirSync(join(dir, topic.name))) if (/\.ya?ml$/.test(entry)) files.push(join(dir, topic.name, entry));
  }
  return files.sort();
}

/** `<topic>/<name>` of a case file, e.g. `call/retry-then-success`. */
export function caseName(file: string): string {
  return relative(CASES_DIR, file).split(sep).join('/').replace(/\.ya?ml$/, '');
}

/** Loads one case (throws TestCaseInvalidError with located problems); its id is its path from the repository root. */
export function loadConformanceCase(file: string): TestCase {
  return loadTestCase(file, { library, id: relative(REPO_ROOT, file).split(sep).join('/') });
}
