/**
 * Finds and loads conformance cases (`test/cases/<topic>/*.yaml`): checks each file
 * against the fixture format, resolves its runbooks (inline or `runbooks/<slug>.yaml`)
 * to definitions, its input and its payload files. Node-only (file I/O).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { loadRunbookSource } from '../../interpreter/loader/index.ts';
import type { ResolvedDefinition } from '../../interpreter/runtime/definition-source.ts';
import { FixtureSchema, type Fixture, type ScriptItem, type StartSignal } from './fixture-format.ts';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CASES_DIR = join(REPO_ROOT, 'test', 'cases');

/** A case ready to run: what any runtime needs, with files resolved. */
export interface ConformanceCase {
  /** `<topic>/<name>`, e.g. `call/retry-then-success`. */
  readonly id: string;
  readonly topic: string;
  readonly file: string;
  readonly fixture: Fixture;
  /** The case's runbook first, then the extra ones (children). */
  readonly definitions: readonly ResolvedDefinition[];
  readonly slug: string;
  readonly input: unknown;
  /** Signals and script with `payload_file` read into `payload`. */
  readonly signals: readonly StartSignal[];
  readonly script: readonly ScriptItem[];
}

/** A case file that does not follow the format; the message names the file and the field. */
export class CaseFormatError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`CASE_INVALID: ${file}: ${detail}`);
    this.name = 'CaseFormatError';
  }
}

/** Topics under test/cases/ that belong to other suites (the validator's fixtures), not to this one. */
export const OTHER_SUITES: ReadonlySet<string> = new Set(['validation']);

/** Every case file under `dir`, sorted by topic then name. */
export function findCaseFiles(dir: string = CASES_DIR): string[] {
  const files: string[] = [];
  for (const topic of readdirSync(dir, { withFileTypes: true })) {
    if (!topic.isDirectory() || OTHER_SUITES.has(topic.name)) continue;
    for (const entry of readdirSync(join(dir, topic.name))) if (/\.ya?ml$/.test(entry)) files.push(join(dir, topic.name, entry));
  }
  return files.sort();
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Validates a runbook source with the loader (schema and semantic checks), as a runtime would before starting it. */
function definitionOf(source: string, where: string, file: string): ResolvedDefinition {
  const loaded = loadRunbookSource(source, where);
  if (!loaded.ok) {
    const problems = loaded.diagnostics.map((d) => `${d.code} at ${d.pointer || '/'}: ${d.message}`).join('; ');
    throw new CaseFormatError(file, `runbook ${where} is invalid: ${problems}`);
  }
  return { runbook: loaded.runbook.runbook, hash: loaded.runbook.hash };
}

/** `runbooks/<slug>.yaml`, or an inline definition (JSON is YAML). */
function resolveRunbook(ref: string | Record<string, unknown>, file: string, index: number): ResolvedDefinition {
  if (typeof ref !== 'string') return definitionOf(JSON.stringify(ref), `${file}#${index === 0 ? 'runbook' : `runbooks/${index - 1}`}`, file);
  const path = join(REPO_ROOT, 'runbooks', `${ref}.yaml`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CaseFormatError(file, `no runbook file runbooks/${ref}.yaml`);
  }
  return definitionOf(text, relative(REPO_ROOT, path), file);
}

function readJson(path: string, file: string): unknown {
  try {
    return JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as unknown;
  } catch (error) {
    throw new CaseFormatError(file, `cannot read JSON ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function inputOf(fixture: Fixture, file: string): unknown {
  if (fixture.input_file === undefined) return fixture.input ?? {};
  const base = readJson(fixture.input_file, file);
  if (fixture.input === undefined) return base;
  const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
  if (!isObject(base) || !isObject(fixture.input)) throw new CaseFormatError(file, 'input merged over input_file must be objects on both sides');
  return { ...base, ...fixture.input };
}

function withPayload<T extends { payload?: unknown; payload_file?: string }>(item: T, file: string): T {
  if (item.payload_file === undefined) return item;
  if (item.payload !== undefined) throw new CaseFormatError(file, 'give payload or payload_file, not both');
  return { ...item, payload: readJson(item.payload_file, file) };
}

/** Loads one case file. Throws CaseFormatError naming the file and the problem. */
export function loadCase(path: string, dir: string = CASES_DIR): ConformanceCase {
  const file = relative(REPO_ROOT, path);
  const checked = FixtureSchema.safeParse(parse(readFileSync(path, 'utf8')));
  if (!checked.success) throw new CaseFormatError(file, describeIssues(checked.error));
  const fixture = checked.data;
  const definitions = [fixture.runbook, ...(fixture.runbooks ?? [])].map((ref, index) => resolveRunbook(ref, file, index));
  const slugs = definitions.map((definition) => definition.runbook.slug);
  const duplicate = slugs.find((slug, index) => slugs.indexOf(slug) !== index);
  if (duplicate) throw new CaseFormatError(file, `runbook "${duplicate}" is given twice`);
  const id = relative(dir, path).split(sep).join('/').replace(/\.ya?ml$/, '');
  return {
    id,
    topic: id.split('/')[0],
    file,
    fixture,
    definitions,
    slug: slugs[0],
    input: inputOf(fixture, file),
    signals: (fixture.signals ?? []).map((signal) => withPayload(signal, file)),
    script: (fixture.script ?? []).map((item) => ('signal' in item ? withPayload(item, file) : item)),
  };
}

/** Every case under `dir`. */
export function loadCases(dir: string = CASES_DIR): ConformanceCase[] {
  return findCaseFiles(dir).map((path) => loadCase(path, dir));
}
