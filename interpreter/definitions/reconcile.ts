/**
 * One settled look at the directory → the next set of served definitions.
 *
 * The validator is CI's (validateRunbookFiles: each file, then duplicate slugs, unknown
 * children, child input, cycles) run over the set a worker would serve: the definitions
 * already live plus every file whose bytes differ from them. A changed file that fails is
 * rejected and its previous definition (if any) stays in the set; the set is validated
 * again until no changed file fails, so a child slug always exists among what is served.
 * Node side.
 */
import type { HandlerRegistry } from '../handlers/index.ts';
import type { AgentNames } from '../loader/checks/index.ts';
import { validateRunbookFiles, type Diagnostic, type LoadedRunbook, type ValidationReport } from '../loader/index.ts';
import { loadWithLocator } from '../loader/load-runbook.ts';
import type { DefinitionEntry, Rejection } from './types.ts';

/** A served definition and the exact bytes it was loaded from (re-validated as they were). */
export interface ServedFile {
  readonly entry: DefinitionEntry;
  readonly bytes: Uint8Array;
}

export interface ReconcileInput {
  /** What is served now, by file. */
  readonly served: ReadonlyMap<string, ServedFile>;
  /** Files read whole this time (stable), with their bytes and hash. */
  readonly onDisk: ReadonlyMap<string, { readonly bytes: Uint8Array; readonly hash: string }>;
  /** Served files that are gone but not yet confirmed gone: still served, and children may name them. */
  readonly missingPending: ReadonlySet<string>;
  readonly handlers: HandlerRegistry | null;
  /** Agents to check agent steps against; without it, agent names are not checked. */
  readonly agents?: AgentNames;
  readonly maxBytes?: number;
  readonly now: number;
}

export interface ReconcileResult {
  readonly served: Map<string, ServedFile>;
  /** Files whose new bytes became live. */
  readonly accepted: string[];
  /** Changed files refused this time (including ones refused before and still on disk). */
  readonly rejected: Rejection[];
  /** Problems in definitions that stay served although they no longer validate (a child they run was deleted). */
  readonly warnings: Diagnostic[];
}

/** Codes the cross-file checks report: judged only once every file's own errors are out of the set. */
const CROSS_FILE = new Set(['RB_DUPLICATE_SLUG', 'RB_UNKNOWN_CHILD', 'RB_CHILD_INPUT', 'RB_CHILD_CYCLE']);

export async function reconcile(input: ReconcileInput): Promise<ReconcileResult> {
  const { served, onDisk } = input;
  const candidates = [...onDisk.keys()].filter((file) => onDisk.get(file)!.hash !== served.get(file)?.entry.hash).sort();
  const candidateSet = new Set(candidates);
  // The set under validation: file → bytes. Served files first, so a new file that reuses a live slug is the duplicate.
  const proposal = new Map<string, Uint8Array>();
  for (const [file, { bytes }] of [...served].sort(([a], [b]) => a.localeCompare(b))) {
    if (!input.missingPending.has(file) && !candidateSet.has(file)) proposal.set(file, bytes);
  }
  for (const file of candidates) proposal.set(file, onDisk.get(file)!.bytes);
  const references = [...input.missingPending].filter((file) => served.has(file));
  const bytesOf = (file: string): Uint8Array => proposal.get(file) ?? served.get(file)?.bytes ?? new Uint8Array();
  const pending = new Set(candidates);
  const rejected: Rejection[] = [];

  let report: ValidationReport;
  for (;;) {
    const paths = [...proposal.keys()];
    report = await validateRunbookFiles(paths, {
      handlers: input.handlers,
      ...(input.agents ? { agents: input.agents } : {}),
      maxBytes: input.maxBytes,
      referencePaths: references,
      readFile: async (file) => bytesOf(file),
    });
    const errorsByFile = new Map<string, Diagnostic[]>();
    for (const d of report.diagnostics) if (d.severity === 'error' && pending.has(d.file)) errorsByFile.set(d.file, [...(errorsByFile.get(d.file) ?? []), d]);
    if (errorsByFile.size === 0) break;
    // A file's own errors first: reverting it may clear cross-file errors in the others.
    const own = [...errorsByFile].filter(([, errors]) => errors.some((d) => !CROSS_FILE.has(d.code)));
    for (const [file] of own.length > 0 ? own : [...errorsByFile]) {
      const bytes = onDisk.get(file)!.bytes;
      pending.delete(file);
      const previous = served.get(file);
      if (previous) proposal.set(file, previous.bytes);
      else proposal.delete(file);
      rejected.push(rejectionOf(file, bytes, onDisk.get(file)!.hash, report.diagnostics.filter((d) => d.file === file), input));
    }
  }

  const loadedByFile = new Map<string, LoadedRunbook>(report.runbooks.map((r) => [r.file, r]));
  const next = new Map<string, ServedFile>();
  const accepted: string[] = [];
  for (const [file, bytes] of proposal) {
    const loaded = loadedByFile.get(file);
    if (pending.has(file) && loaded) {
      const entry: DefinitionEntry = { slug: loaded.slug, runbook: loaded.runbook, hash: loaded.hash, file, loadedAt: input.now, source: loaded.source };
      next.set(file, { entry, bytes });
      accepted.push(file);
    } else {
      const previous = served.get(file);
      if (previous) next.set(file, previous);
    }
  }
  // Files gone but not yet confirmed gone keep serving their slug unless another file now has it.
  const claimed = new Set([...next.values()].map((s) => s.entry.slug));
  for (const file of references) {
    const previous = served.get(file)!;
    if (!claimed.has(previous.entry.slug)) next.set(file, previous);
  }
  const kept = new Set([...next.keys()].filter((file) => !pending.has(file)));
  const warnings = report.diagnostics.filter((d) => d.severity === 'error' && kept.has(d.file));
  return { served: next, accepted, rejected: finishRejections(rejected, next), warnings };
}

function rejectionOf(file: string, bytes: Uint8Array, hash: string, diagnostics: Diagnostic[], input: ReconcileInput): Rejection {
  let slug: string | undefined;
  try {
    slug = loadWithLocator(bytes, file, { handlers: undefined, maxBytes: input.maxBytes, checks: [] }).slug;
  } catch {
    slug = undefined;
  }
  slug ??= input.served.get(file)?.entry.slug;
  return { file, ...(slug !== undefined ? { slug } : {}), hash, at: input.now, diagnostics };
}

/** Says which definition of the rejected slug is still served. */
function finishRejections(rejected: Rejection[], served: ReadonlyMap<string, ServedFile>): Rejection[] {
  const bySlug = new Map([...served.values()].map((s) => [s.entry.slug, s.entry]));
  return rejected.map((rejection) => {
    const live = rejection.slug !== undefined ? bySlug.get(rejection.slug) : undefined;
    return live ? { ...rejection, kept: { slug: live.slug, hash: live.hash, loadedAt: live.loadedAt } } : rejection;
  });
}
