/**
 * One runbook source → a validated, typed runbook or every problem found in it.
 * Parse, structural checks, JSON Schema, then the semantic checks of the file.
 */
import { releaseExpressionTrees } from '../expressions/index.ts';
import type { Runbook } from '../format/index.ts';
import type { HandlerRegistry } from '../handlers/index.ts';
import { RUNBOOK_CHECKS, collectExpressionSites, type AgentNames, type CheckContext, type RunbookCheck } from './checks/index.ts';
import { decodeSource, DEFAULT_MAX_BYTES } from './decode-source.ts';
import { hasErrors, type Diagnostic, type PendingDiagnostic } from './diagnostic.ts';
import { checkRunbookSchema } from './runbook-schema.ts';
import { salvageRunbook } from './salvage.ts';
import { SourceLocator } from './source-locator.ts';
import { fastParseRunbookYaml } from './fast-yaml.ts';
import { parseFirstDocument, parseRunbookYaml } from './yaml-document.ts';

export interface LoadOptions {
  /** Largest accepted file in bytes; default 1 MiB. */
  readonly maxBytes?: number;
  /** Handlers to check calls against; without it, handler checks are skipped. */
  readonly handlers?: HandlerRegistry;
  /** Agents to check agent steps against (an AgentRegistry); without it, agent checks are skipped. */
  readonly agents?: AgentNames;
  /** The semantic checks to run; default all of RUNBOOK_CHECKS. */
  readonly checks?: readonly RunbookCheck[];
}

/** A runbook that passed validation, with what the runtimes pin: its source and content hash. */
export interface LoadedRunbook {
  readonly file: string;
  readonly slug: string;
  readonly runbook: Runbook;
  /** sha256 of the source bytes, hex. */
  readonly hash: string;
  readonly source: string;
}

export type LoadResult =
  | { readonly ok: true; readonly runbook: LoadedRunbook; /** Warnings only. */ readonly diagnostics: Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: Diagnostic[] };

/** A load result with what the cross-file checks need: the file's locator and its slug even if invalid. */
export interface LoadDetails {
  readonly result: LoadResult;
  readonly locator?: SourceLocator;
  /** The slug the document declares, when it parsed far enough to have one. */
  readonly slug?: string;
  /** The runbook when it passed the schema, even if semantic checks failed (cross-file checks still apply). */
  readonly schemaValid?: LoadedRunbook;
}

/**
 * Parses and validates one runbook source. Never throws: internal failures become an RB_INTERNAL diagnostic.
 *
 * @example
 * const result = loadRunbookSource(readFileSync(file), file, { handlers });
 * if (!result.ok) console.error(formatDiagnosticsPretty(result.diagnostics));
 */
export function loadRunbookSource(text: string | Uint8Array, file: string, options: LoadOptions = {}): LoadResult {
  return loadWithLocator(text, file, options).result;
}

/** As loadRunbookSource, also returning the locator (for cross-file diagnostics placed in this file). */
export function loadWithLocator(text: string | Uint8Array, file: string, options: LoadOptions = {}): LoadDetails {
  try {
    return load(text, file, options);
  } catch (error) {
    return { result: { ok: false, diagnostics: [internalDiagnostic(file, error)] } };
  }
}

function load(input: string | Uint8Array, file: string, options: LoadOptions): LoadDetails {
  const decoded = decodeSource(input, options.maxBytes ?? DEFAULT_MAX_BYTES);
  if (!decoded.ok) {
    const locator = new SourceLocator(file, decoded.text);
    const { code, message } = decoded.problem;
    const diagnostic: Diagnostic = { code, message, severity: 'error', file, pointer: '', ...locator.position(decoded.charOffset) };
    return { result: { ok: false, diagnostics: [diagnostic] } };
  }
  const fast = fastLoad(decoded.text, decoded.hash, file, options);
  if (fast) return fast;
  const parsed = parseRunbookYaml(file, decoded.text);
  const { locator } = parsed;
  const diagnostics = [...parsed.diagnostics];
  if (parsed.value === undefined || hasErrors(diagnostics)) return { result: { ok: false, diagnostics }, locator };
  const slug = typeof parsed.value.slug === 'string' ? parsed.value.slug : undefined;

  const schema = checkRunbookSchema(parsed.value);
  if (!schema.ok) {
    diagnostics.push(...schema.problems.map((p) => locator.place(p)));
    // Report every problem at once: the semantic checks still run on what passed the schema.
    const salvaged = salvageRunbook(parsed.value);
    if (salvaged) diagnostics.push(...runChecks(salvaged.runbook, options, file).filter(salvaged.relevant).map((p) => locator.place(p)));
    return { result: { ok: false, diagnostics }, locator, slug };
  }
  const runbook = schema.runbook;
  const loaded: LoadedRunbook = { file, slug: runbook.slug, runbook, hash: decoded.hash, source: decoded.text };
  diagnostics.push(...runChecks(runbook, options, file).map((p) => locator.place(p)));
  if (hasErrors(diagnostics)) return { result: { ok: false, diagnostics }, locator, slug, schemaValid: loaded };
  return { result: { ok: true, runbook: loaded, diagnostics }, locator, slug, schemaValid: loaded };
}

/**
 * The fast path: js-yaml's plain value, the schema and the semantic checks, for a file
 * with nothing at all to report. Anything reported, or anything the fast parse cannot
 * vouch for, returns undefined: the caller redoes the file through the `yaml` path,
 * which places every diagnostic. The locator of a valid file parses positions only if
 * a cross-file check reports in it.
 */
function fastLoad(text: string, hash: string, file: string, options: LoadOptions): LoadDetails | undefined {
  const value = fastParseRunbookYaml(text);
  if (value === undefined) return undefined;
  const schema = checkRunbookSchema(value);
  if (!schema.ok) return undefined;
  const runbook = schema.runbook;
  if (runChecks(runbook, options, file).length > 0) return undefined;
  const loaded: LoadedRunbook = { file, slug: runbook.slug, runbook, hash, source: text };
  const locator = new SourceLocator(file, text, () => parseFirstDocument(text));
  return { result: { ok: true, runbook: loaded, diagnostics: [] }, locator, slug: runbook.slug, schemaValid: loaded };
}

/**
 * Runs more checks on a file loaded without them (a validation worker cannot check agent inputs: the
 * contracts do not cross threads). Only a runbook that passed the schema; its diagnostics gain the
 * problems, and a new error makes the result not ok.
 */
export function checkLoadedAgain(details: LoadDetails, options: LoadOptions & { readonly checks: readonly RunbookCheck[] }): LoadDetails {
  const { schemaValid, locator, result } = details;
  if (!schemaValid || !locator) return details;
  const found = runChecks(schemaValid.runbook, options, schemaValid.file).map((p) => locator.place(p));
  if (found.length === 0) return details;
  const diagnostics = [...result.diagnostics, ...found];
  return { ...details, result: result.ok && !hasErrors(diagnostics) ? { ...result, diagnostics } : { ok: false, diagnostics } };
}

function runChecks(runbook: Runbook, options: LoadOptions, file: string): PendingDiagnostic[] {
  const problems: PendingDiagnostic[] = [];
  const stepIndex = new Map<string, number>();
  runbook.steps.forEach((step, index) => {
    if (!stepIndex.has(step.id)) stepIndex.set(step.id, index);
  });
  const context: CheckContext = {
    runbook,
    handlers: options.handlers,
    agents: options.agents,
    expressions: collectExpressionSites(runbook),
    stepIndex,
    report: (problem) => problems.push(problem),
  };
  for (const check of options.checks ?? RUNBOOK_CHECKS) {
    try {
      check.check(context);
    } catch (error) {
      problems.push({ code: 'RB_INTERNAL', message: `check ${check.name} failed on ${file}: ${errorMessage(error)}`, pointer: '' });
    }
  }
  // The checks shared the file's expression trees; kept longer, they cost the collector far more than a parse.
  releaseExpressionTrees();
  return problems;
}

export function internalDiagnostic(file: string, error: unknown): Diagnostic {
  return { code: 'RB_INTERNAL', severity: 'error', message: `validator failed: ${errorMessage(error)}`, pointer: '', file, line: 1, column: 1 };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
