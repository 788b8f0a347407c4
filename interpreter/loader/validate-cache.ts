/**
 * The `runbook validate` content-hash cache: one JSON entry per file path (so an edited file
 * replaces its entry and the cache never outgrows the project), valid for one content key (the
 * file's path and bytes) under one environment key, holding what the file contributes to a report (its own placed diagnostics, slug and
 * child-graph node), valid under one environment key (validate-cache-keys.ts). Cross-file
 * checks are never cached: they run on every report, so a changed sibling is always seen.
 * Entries are written to a temporary file and renamed (concurrent runs never see half an
 * entry); an unreadable or malformed entry is a miss, never an error. Node side.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
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

/** The cache directory (e.g. `.runbook/cache/validate`): entries and handler-contract memos. */
export class ValidateCache {
  constructor(readonly dir: string) {}

  /** The outcome stored for `key` under `env`, or undefined (absent, another environment, or unreadable). */
  get(key: string, env: string, file: string): FileOutcome | undefined {
    const entry = readJson(this.entryPath(file));
    return isEntry(entry, key, env, file) ? entry.outcome : undefined;
  }

  /** Whether an entry is stored for `file` (any content, any environment): a cheap guess at a warm run. */
  has(file: string): boolean {
    return existsSync(this.entryPath(file));
  }

  /** Stores an outcome; a failure to write only costs the next run a miss. */
  async set(key: string, env: string, outcome: FileOutcome): Promise<void> {
    const entry: Entry = { format: CACHE_FORMAT, key, env, file: outcome.file, outcome };
    await writeAtomic(this.entryPath(outcome.file), JSON.stringify(entry));
  }

  /** The contracts hash remembered for a handler-graph fingerprint. */
  contracts(fingerprint: string): string | undefined {
    const memo = readJson(this.memoPath(fingerprint));
    return isRecord(memo) && memo.format === CACHE_FORMAT && typeof memo.contracts === 'string' ? memo.contracts : undefined;
  }

  async rememberContracts(fingerprint: string, contracts: string): Promise<void> {
    await writeAtomic(this.memoPath(fingerprint), JSON.stringify({ format: CACHE_FORMAT, contracts }));
  }

  /** One entry per file path, whatever its content: the newest outcome replaces the older. */
  private entryPath(file: string): string {
    const name = createHash('sha256').update(resolve(file)).digest('hex').slice(0, 32);
    return join(this.dir, 'files', name.slice(0, 2), `${name}.json`);
  }

  private memoPath(fingerprint: string): string {
    return join(this.dir, 'handlers', `${fingerprint}.json`);
  }
}

/** Synchronous: a warm run reads one small entry per file, and a promise each costs more than the read. */
function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

let counter = 0;

/** Synchronous as the reads are: a cold run writes one small entry per file, and a promise each (open, write, close, rename) costs more than the write. */
async function writeAtomic(path: string, text: string): Promise<void> {
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
