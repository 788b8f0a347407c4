/**
 * The `runbook validate` content-hash cache: one entry per file path (so an edited file replaces
 * its entry and the cache never outgrows the project), valid for one content key (the file's path
 * and bytes) under one environment key (validate-cache-keys.ts), holding what the file contributes
 * to a report (its own placed diagnostics, slug and child-graph node). Cross-file checks are never
 * cached: they run on every report, so a changed sibling is always seen.
 *
 * The entries live in one file, `entries.json`: a warm run reads one file instead of one per
 * runbook, and a cold run writes one (a thousand small files cost a second of I/O). It is written
 * to a temporary file and renamed, after merging what another run wrote meanwhile, so concurrent
 * runs never see half a file and lose at most each other's newest entries (a later miss). Entries
 * of files that no longer exist are dropped when it is written. An unreadable or malformed file or
 * entry is a miss, never an error. Node side.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ChildCall, ChildGraphNode } from './child-runbooks.ts';
import type { FileOutcome } from './cross-file.ts';
import { DIAGNOSTIC_CODES, type Diagnostic } from './diagnostic.ts';
import { CACHE_FORMAT } from './validate-cache-keys.ts';

interface Entry {
  readonly format: number;
  /** The content key (path and bytes) the outcome is for. */
  readonly key: string;
  readonly env: string;
  readonly file: string;
  readonly outcome: FileOutcome;
}

/** The entries file's name in the cache directory. */
const ENTRIES_FILE = 'entries.json';

/** The cache directory (e.g. `.runbook/cache/validate`): the entries file and handler-contract memos. */
export class ValidateCache {
  private stored: Map<string, unknown> | undefined;
  private readonly pending = new Map<string, Entry>();

  constructor(readonly dir: string) {}

  /** The outcome stored for `key` under `env`, or undefined (absent, another environment, or unreadable). */
  get(key: string, env: string, file: string): FileOutcome | undefined {
    const entry = this.entries().get(resolve(file));
    return isEntry(entry, key, env, file) ? entry.outcome : undefined;
  }

  /** Whether an entry is stored for `file` (any content, any environment): a cheap guess at a warm run. */
  has(file: string): boolean {
    return this.entries().has(resolve(file));
  }

  /** Stores an outcome, written by the next flush(). */
  set(key: string, env: string, outcome: FileOutcome): void {
    this.pending.set(resolve(outcome.file), { format: CACHE_FORMAT, key, env, file: outcome.file, outcome });
  }

  /** Writes the outcomes set since the last flush, merged into what is on disk now; a failure only costs the next run misses. */
  flush(): void {
    if (this.pending.size === 0) return;
    const merged = readEntries(this.entriesPath());
    for (const [path, entry] of this.pending) merged.set(path, entry);
    for (const path of merged.keys()) if (!this.pending.has(path) && !existsSync(path)) merged.delete(path);
    this.pending.clear();
    this.stored = merged;
    writeAtomic(this.entriesPath(), JSON.stringify({ format: CACHE_FORMAT, entries: Object.fromEntries(merged) }));
  }

  /** The contracts hash remembered for a handler-graph fingerprint. */
  contracts(fingerprint: string): string | undefined {
    const memo = readJson(this.memoPath(fingerprint));
    return isRecord(memo) && memo.format === CACHE_FORMAT && typeof memo.contracts === 'string' ? memo.contracts : undefined;
  }

  async rememberContracts(fingerprint: string, contracts: string): Promise<void> {
    writeAtomic(this.memoPath(fingerprint), JSON.stringify({ format: CACHE_FORMAT, contracts }));
  }

  private entries(): Map<string, unknown> {
    this.stored ??= readEntries(this.entriesPath());
    return this.stored;
  }

  private entriesPath(): string {
    return join(this.dir, ENTRIES_FILE);
  }

  private memoPath(fingerprint: string): string {
    return join(this.dir, 'handlers', `${fingerprint}.json`);
  }
}

/** The entries on disk by resolved path (each checked when it is looked up); none when absent or malformed. */
function readEntries(path: string): Map<string, unknown> {
  const stored = readJson(path);
  if (!isRecord(stored) || stored.format !== CACHE_FORMAT || !isRecord(stored.entries)) return new Map();
  return new Map(Object.entries(stored.entries));
}

/** Synchronous: small files, read once per run. */
function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

let counter = 0;

/** A temporary file renamed over the target: readers see the old file or the new one, never half. */
function writeAtomic(path: string, text: string): void {
  const temp = `${path}.${process.pid}.${Date.now().toString(36)}.${(counter++).toString(36)}.tmp`;
  try {
    writeFileSync(temp, text);
  } catch {
    try {
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(temp, text);
    } catch {
      return;
    }
  }
  try {
    renameSync(temp, path);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // another run's cleanup got there first
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEntry(value: unknown, key: string, env: string, file: string): value is Entry {
  if (!isRecord(value) || value.format !== CACHE_FORMAT || value.key !== key || value.env !== env || value.file !== file) return false;
  const { outcome } = value;
  if (!isRecord(outcome) || outcome.file !== file || !Array.isArray(outcome.diagnostics)) return false;
  if (outcome.slug !== undefined && typeof outcome.slug !== 'string') return false;
  return outcome.diagnostics.every(isDiagnostic) && (outcome.node === undefined || isNode(outcome.node, file));
}

function isDiagnostic(value: unknown): value is Diagnostic {
  return (
    isRecord(value) &&
    typeof value.code === 'string' &&
    Object.hasOwn(DIAGNOSTIC_CODES, value.code) &&
    (value.severity === 'error' || value.severity === 'warning') &&
    typeof value.message === 'string' &&
    typeof value.file === 'string' &&
    typeof value.pointer === 'string' &&
    Number.isInteger(value.line) &&
    Number.isInteger(value.column) &&
    (value.related === undefined || (Array.isArray(value.related) && value.related.every((r) => isRecord(r) && typeof r.message === 'string' && typeof r.file === 'string' && Number.isInteger(r.line) && Number.isInteger(r.column))))
  );
}

function isNode(value: unknown, file: string): value is ChildGraphNode {
  return isRecord(value) && value.file === file && typeof value.slug === 'string' && Array.isArray(value.children) && value.children.every(isChildCall);
}

function isChildCall(value: unknown): value is ChildCall {
  return isRecord(value) && typeof value.stepId === 'string' && Number.isInteger(value.index) && typeof value.runbook === 'string';
}
