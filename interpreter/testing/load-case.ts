/**
 * Loads one test case file: YAML with positions, the case format, its runbooks (inline, or by
 * slug from the runbooks directory, with the children they dispatch), its JSON files (relative
 * to the case file) and the names it uses. Every problem is a located diagnostic; a file with
 * any is a TestCaseInvalidError. Node side (file I/O).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { didYouMean } from '../loader/did-you-mean.ts';
import { loadRunbookSource } from '../loader/index.ts';
import { locateExpressions } from '../loader/expression-locations.ts';
import { SourceLocator } from '../loader/source-locator.ts';
import type { ResolvedDefinition } from '../runtime/definition-source.ts';
import { TestCaseInvalidError, type CaseDiagnostic } from './case-diagnostic.ts';
import { caseIssues, locate } from './case-issues.ts';
import { TestCaseSchema, type AgentMock, type DocumentSeed, type Expect, type Mock, type ScriptItem, type StartSignal, type TestCaseData } from './case-format.ts';
import { checkCaseNames, mockList, reachableDefinitions } from './check-case.ts';
import { NO_RUNBOOKS, type RunbookLibrary } from './runbook-library.ts';

/** A case ready to run on any runtime. */
export interface TestCase {
  /** The file as shown to people (relative to where the runner was pointed). */
  readonly id: string;
  /** Absolute path of the case file. */
  readonly file: string;
  /** The test title: `description`, else the id. */
  readonly name: string;
  readonly data: TestCaseData;
  /** `expect` with `status` resolved. */
  readonly expect: Expect & { readonly status: 'completed' | 'failed' };
  /** The runbook under test first, then every runbook it dispatches. */
  readonly definitions: readonly ResolvedDefinition[];
  readonly slug: string;
  readonly input: unknown;
  /** Who starts the run (`started_by`), when the case names someone. */
  readonly startedBy?: string;
  /** With `payload_file` read into `payload`. */
  readonly signals: readonly StartSignal[];
  readonly script: readonly ScriptItem[];
  /** Mocks by handler name, each a list tried in order. */
  readonly mocks: ReadonlyMap<string, readonly Mock[]>;
  /** Agent mocks by agent name, each a list tried in order. */
  readonly agentMocks: ReadonlyMap<string, readonly AgentMock[]>;
  /** Committed documents the case's store holds before the run (`documents:`). */
  readonly documents: readonly DocumentSeed[];
  /** Where the case's `expect` is (reports point there). */
  readonly line: number;
  readonly column: number;
  /** Milliseconds the runner waits for the result (the case's timeout_ms, else the runner's default). */
  readonly timeoutMs?: number;
}

export interface LoadCaseOptions {
  /** Where slugs come from (loadRunbookLibrary). Default: none (inline runbooks only). */
  readonly library?: RunbookLibrary;
  /** The id shown for the case; default the path as given. */
  readonly id?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

class Problems {
  readonly list: CaseDiagnostic[] = [];
  constructor(readonly locator: SourceLocator) {}
  add(code: CaseDiagnostic['code'], message: string, pointer: string): void {
    this.list.push(locate(this.locator, code, message, pointer));
  }
}

/**
 * Loads a case file; throws TestCaseInvalidError with every located problem.
 *
 * @example
 * const testCase = loadTestCase('tests/close.test.yaml', { library: await loadRunbookLibrary('runbooks') });
 */
export function loadTestCase(path: string, options: LoadCaseOptions = {}): TestCase {
  const file = resolve(path);
  const id = options.id ?? path;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TestCaseInvalidError(id, [{ code: 'TEST_FILE_UNREADABLE', severity: 'error', message: `cannot read: ${reason(error)}`, file: id, pointer: '', line: 1, column: 1 }]);
  }
  const documents = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false });
  const document = Array.isArray(documents) ? documents[0] : undefined;
  const problems = new Problems(new SourceLocator(id, text, document));
  const syntax = (Array.isArray(documents) ? documents : []).flatMap((d) => d.errors);
  if (!document || syntax.length > 0 || documents.length > 1) {
    const diagnostics = syntax.map((e) => ({ code: 'TEST_YAML_SYNTAX' as const, severity: 'error' as const, message: e.message.split('\n')[0], file: id, pointer: '', ...problems.locator.position(e.pos[0]) }));
    if (!document) diagnostics.push({ code: 'TEST_YAML_SYNTAX', severity: 'error', message: 'the file is empty: a case needs runbook and expect', file: id, pointer: '', ...problems.locator.position(0) });
    else if (documents.length > 1) diagnostics.push({ code: 'TEST_YAML_SYNTAX', severity: 'error', message: 'one case per file: this file holds more than one YAML document', file: id, pointer: '', ...problems.locator.position(documents[1].range[0]) });
    throw new TestCaseInvalidError(id, diagnostics);
  }
  const raw: unknown = document.toJS({ maxAliasCount: 100 });
  const parsed = TestCaseSchema.safeParse(raw);
  const library = options.library ?? NO_RUNBOOKS;
  if (!parsed.success) {
    // All problems at once: a runbook slug is checked even when other keys are wrong.
    const slug = isObject(raw) && typeof raw.runbook === 'string' && /^[a-z][a-z0-9-]*$/.test(raw.runbook) ? raw.runbook : undefined;
    if (slug !== undefined) resolveRunbook(slug, '/runbook', library, problems, id);
    throw new TestCaseInvalidError(id, [...caseIssues(parsed.error, problems.locator), ...problems.list].sort((a, b) => a.line - b.line || a.column - b.column));
  }
  const data = parsed.data;

  const own = [data.runbook, ...(data.runbooks ?? [])].map((ref, index) => resolveRunbook(ref, index === 0 ? '/runbook' : `/runbooks/${index - 1}`, library, problems, id));
  if (problems.list.length > 0 || own.some((d) => d === undefined)) throw new TestCaseInvalidError(id, problems.list);
  const available = new Map<string, ResolvedDefinition>(library.bySlug);
  for (const definition of own as ResolvedDefinition[]) available.set(definition.runbook.slug, definition);
  const definitions = reachableDefinitions(own[0]!, available);
  problems.list.push(...checkCaseNames(data, definitions, problems.locator));

  const base = dirname(file);
  const input = inputOf(data, base, problems);
  const withPayload = <T extends { payload?: unknown; payload_file?: string }>(item: T, pointer: string): T => {
    if (item.payload_file === undefined) return item;
    if (item.payload !== undefined) problems.add('TEST_CASE_INVALID', 'give payload or payload_file, not both', pointer);
    return { ...item, payload: readJson(base, item.payload_file, `${pointer}/payload_file`, problems) };
  };
  const signals = (data.signals ?? []).map((item, index) => withPayload(item, `/signals/${index}`));
  const script = (data.script ?? []).map((item, index) => ('signal' in item ? withPayload(item, `/script/${index}`) : item));
  if (problems.list.length > 0) throw new TestCaseInvalidError(id, [...problems.list].sort((a, b) => a.line - b.line || a.column - b.column));
  const status = data.expect.status ?? (data.expect.error ? 'failed' : 'completed');
  const { line, column } = problems.locator.locate('/expect', 'key');
  return {
    line,
    column,
    id,
    file,
    name: data.description ?? id,
    data,
    expect: { ...data.expect, status },
    definitions,
    slug: definitions[0].runbook.slug,
    input,
    ...(data.started_by !== undefined ? { startedBy: data.started_by } : {}),
    signals,
    script,
    mocks: new Map(Object.entries(data.mocks ?? {}).map(([name, value]) => [name, mockList(value)])),
    agentMocks: new Map(Object.entries(data.agents ?? {}).map(([name, value]) => [name, mockList<AgentMock>(value)])),
    documents: data.documents ?? [],
    ...(data.timeout_ms !== undefined ? { timeoutMs: data.timeout_ms } : {}),
  };
}

function resolveRunbook(ref: string | Record<string, unknown>, pointer: string, library: RunbookLibrary, problems: Problems, id: string): ResolvedDefinition | undefined {
  if (typeof ref === 'string') {
    const found = library.bySlug.get(ref);
    if (found) return found;
    const where = library.dir ? ` in ${library.dir}` : ' (no runbooks directory is configured: give the runbook inline)';
    const broken = library.problems.length > 0 ? `; ${new Set(library.problems.map((d) => d.file)).size} runbook file(s) there have errors (\`runbook validate\` shows them)` : '';
    problems.add('TEST_RUNBOOK_UNKNOWN', `no valid runbook "${ref}"${where}${didYouMean(ref, library.slugs)}${broken}`, pointer);
    return undefined;
  }
  const loaded = loadRunbookSource(JSON.stringify(ref), `${id}#${pointer}`, {});
  if (loaded.ok) return { runbook: loaded.runbook.runbook, hash: loaded.runbook.hash, expressionLocations: locateExpressions(loaded.runbook.file, loaded.runbook.source, loaded.runbook.runbook) };
  for (const d of loaded.diagnostics.filter((x) => x.severity === 'error')) problems.add('TEST_RUNBOOK_INVALID', `${d.code} ${d.message}`, `${pointer}${d.pointer}`);
  return undefined;
}

function readJson(base: string, path: string, pointer: string, problems: Problems): unknown {
  try {
    return JSON.parse(readFileSync(resolve(base, path), 'utf8')) as unknown;
  } catch (error) {
    problems.add('TEST_FILE_UNREADABLE', `cannot read JSON ${path} (relative to the case file): ${reason(error)}`, pointer);
    return undefined;
  }
}

function inputOf(data: TestCaseData, base: string, problems: Problems): unknown {
  if (data.input_file === undefined) return data.input ?? {};
  const fromFile = readJson(base, data.input_file, '/input_file', problems);
  if (data.input === undefined) return fromFile;
  if (!isObject(fromFile) || !isObject(data.input)) {
    problems.add('TEST_CASE_INVALID', 'input merged over input_file must be objects on both sides', '/input');
    return undefined;
  }
  return { ...fromFile, ...data.input };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message.replace(/^ENOENT: /, '') : String(error);
}
