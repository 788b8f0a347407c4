/**
 * The embedded document store: one SQLite file in the project's state directory (better-sqlite3).
 * Several processes on one machine (worker, `runbook run`, console) share it safely: WAL journal,
 * a busy timeout, and every commit in one IMMEDIATE transaction (versions never collide). Node side.
 *
 * A commit is stored once per (execution, step, iteration): `execution_id`, with `run_id` for rows written
 * before it existed (a table of the previous version is rebuilt once, on open, without its old
 * UNIQUE (run_id, step_id, iteration), which would refuse a new run reusing a run id).
 *
 * @example
 * const store = await openSqliteDocumentStore('.runbook/documents.sqlite');
 * await store.find({ document: 'closing_trial_balance', where: { entity: 'acme' } });
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CommittedDocument, DocumentCommit, DocumentQuery, KeyValue } from '../core/document-types.ts';
import { canonicalKey, checkedField, type DocumentStore } from './document-store.ts';
import { WorkflowError } from '../handlers/workflow-error.ts';

/** The part of better-sqlite3's API this store uses (imported lazily: only a process that opens a store loads the addon). */
interface Statement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface Database {
  prepare(sql: string): Statement;
  exec(sql: string): unknown;
  pragma(sql: string): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): { immediate(...args: A): R };
  close(): unknown;
}
type DatabaseConstructor = new (path: string, options?: { timeout?: number }) => Database;

/** The table; `execution_id` NULL: a row of a process of the previous version (its run id is its execution). */
const TABLE_COLUMNS = `(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  document TEXT NOT NULL,
  key_text TEXT NOT NULL,
  version INTEGER NOT NULL,
  value TEXT NOT NULL,
  run_id TEXT NOT NULL,
  step_id TEXT NOT NULL,
  iteration INTEGER NOT NULL,
  runbook TEXT NOT NULL,
  definition_hash TEXT NOT NULL,
  actor TEXT,
  committed_at TEXT NOT NULL,
  execution_id TEXT,
  UNIQUE (document, key_text, version)
)`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS documents ${TABLE_COLUMNS};
CREATE INDEX IF NOT EXISTS documents_by_name ON documents (document, seq);
CREATE INDEX IF NOT EXISTS documents_by_run ON documents (run_id, seq);
CREATE UNIQUE INDEX IF NOT EXISTS documents_once ON documents (COALESCE(execution_id, run_id), step_id, iteration);
`;

const OLD_COLUMNS = 'seq, document, key_text, version, value, run_id, step_id, iteration, runbook, definition_hash, actor, committed_at';

/**
 * A table of the previous version (no execution_id, UNIQUE (run_id, step_id, iteration)) rebuilt as the current one,
 * rows and seq kept. SQLite cannot drop a table constraint in place. Run inside the open's IMMEDIATE transaction:
 * of several processes opening at once, the first migrates and the others find it done.
 */
function migrate(db: Database): void {
  const columns = db.prepare("SELECT name FROM pragma_table_info('documents')").all() as { name: string }[];
  if (columns.length === 0 || columns.some((column) => column.name === 'execution_id')) return;
  db.exec(`
    CREATE TABLE documents_migrating ${TABLE_COLUMNS};
    INSERT INTO documents_migrating (${OLD_COLUMNS}) SELECT ${OLD_COLUMNS} FROM documents ORDER BY seq;
    DROP TABLE documents;
    ALTER TABLE documents_migrating RENAME TO documents;
  `);
}

/** Rows as documents: the execution of a row written before executions were recorded is its run id. */
const SELECT = `SELECT ${OLD_COLUMNS}, COALESCE(execution_id, run_id) AS execution_id FROM documents`;

interface Row {
  document: string;
  key_text: string;
  version: number;
  value: string;
  run_id: string;
  execution_id: string;
  step_id: string;
  iteration: number;
  runbook: string;
  definition_hash: string;
  actor: string | null;
  committed_at: string;
}

function documentOf(row: Row): CommittedDocument {
  return {
    document: row.document,
    key: JSON.parse(row.key_text) as Record<string, KeyValue>,
    value: JSON.parse(row.value) as unknown,
    version: row.version,
    run_id: row.run_id,
    execution_id: row.execution_id,
    step_id: row.step_id,
    iteration: row.iteration,
    runbook: row.runbook,
    definition_hash: row.definition_hash,
    actor: row.actor,
    committed_at: row.committed_at,
  };
}

/** `json_type` names of a key value's type, so `1` never equals `"1"` or `true`. */
function typeCondition(path: string, value: KeyValue): string {
  if (typeof value === 'string') return `json_type(key_text, '${path}') = 'text'`;
  if (typeof value === 'number') return `json_type(key_text, '${path}') IN ('integer', 'real')`;
  return `json_type(key_text, '${path}') = '${value ? 'true' : 'false'}'`;
}

/** A SQLite store that also takes documents at a version of the caller's choosing (a test case's `documents:` seed). */
export interface SeedableDocumentStore extends DocumentStore {
  /** Stores `entry` as `version` (default: the key's next version), as if a run had committed it. */
  seed(entry: DocumentCommit, version?: number): Promise<CommittedDocument>;
}

class SqliteDocumentStore implements SeedableDocumentStore {
  private readonly commitOnce: (entry: DocumentCommit) => Row;
  private readonly seedOnce: (entry: DocumentCommit, version: number | undefined) => Row;

  constructor(
    private readonly db: Database,
    readonly description: string,
  ) {
    const byExecution = db.prepare(`${SELECT} WHERE COALESCE(execution_id, run_id) = ? AND step_id = ? AND iteration = ?`);
    const nextVersion = db.prepare('SELECT COALESCE(MAX(version), 0) + 1 AS version FROM documents WHERE document = ? AND key_text = ?');
    const insert = db.prepare(
      `INSERT INTO documents (document, key_text, version, value, run_id, execution_id, step_id, iteration, runbook, definition_hash, actor, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${OLD_COLUMNS}, execution_id`,
    );
    const commit = db.transaction((entry: DocumentCommit): Row => {
      // A commit scheduled by the previous version carries no execution: its run id was the key then.
      const execution = entry.execution_id ?? entry.run_id;
      const existing = byExecution.get(execution, entry.step_id, entry.iteration) as Row | undefined;
      if (existing) return existing;
      const keyText = canonicalKey(entry.key);
      const { version } = nextVersion.get(entry.document, keyText) as { version: number };
      const value = JSON.stringify(entry.value ?? null);
      return insert.get(entry.document, keyText, version, value, entry.run_id, execution, entry.step_id, entry.iteration, entry.runbook, entry.definition_hash, entry.actor, entry.committed_at) as Row;
    });
    this.commitOnce = (entry) => commit.immediate(entry);
    const seed = db.transaction((entry: DocumentCommit, version: number | undefined): Row => {
      const keyText = canonicalKey(entry.key);
      const at = version ?? (nextVersion.get(entry.document, keyText) as { version: number }).version;
      return insert.get(entry.document, keyText, at, JSON.stringify(entry.value ?? null), entry.run_id, entry.execution_id ?? entry.run_id, entry.step_id, entry.iteration, entry.runbook, entry.definition_hash, entry.actor, entry.committed_at) as Row;
    });
    this.seedOnce = (entry, version) => seed.immediate(entry, version);
  }

  seed(entry: DocumentCommit, version?: number): Promise<CommittedDocument> {
    return Promise.resolve(documentOf(this.seedOnce(entry, version)));
  }

  commit(entry: DocumentCommit): Promise<CommittedDocument> {
    return Promise.resolve(documentOf(this.commitOnce(entry)));
  }

  find(query: DocumentQuery): Promise<CommittedDocument | null> {
    const conditions = ['document = ?'];
    const params: unknown[] = [query.document];
    for (const [field, value] of Object.entries(query.where)) {
      const path = `$.${checkedField(field)}`;
      conditions.push(typeCondition(path, value));
      if (typeof value !== 'boolean') {
        conditions.push(`json_extract(key_text, '${path}') = ?`);
        params.push(value);
      }
    }
    let order = 'seq DESC';
    if (query.before) {
      const path = `$.${checkedField(query.before.field)}`;
      if (typeof query.before.value === 'boolean') return Promise.resolve(null);
      conditions.push(typeCondition(path, query.before.value), `json_extract(key_text, '${path}') < ?`);
      params.push(query.before.value);
      order = `json_extract(key_text, '${path}') DESC, seq DESC`;
    }
    if (query.version !== undefined) {
      conditions.push('version = ?');
      params.push(query.version);
    }
    const row = this.db.prepare(`${SELECT} WHERE ${conditions.join(' AND ')} ORDER BY ${order} LIMIT 1`).get(...params) as Row | undefined;
    return Promise.resolve(row ? documentOf(row) : null);
  }

  versions(document: string, key: Readonly<Record<string, KeyValue>>): Promise<CommittedDocument[]> {
    const rows = this.db.prepare(`${SELECT} WHERE document = ? AND key_text = ? ORDER BY version`).all(document, canonicalKey(key)) as Row[];
    return Promise.resolve(rows.map(documentOf));
  }

  committedBy(runId: string): Promise<CommittedDocument[]> {
    const rows = this.db.prepare(`${SELECT} WHERE run_id = ? ORDER BY seq`).all(runId) as Row[];
    return Promise.resolve(rows.map(documentOf));
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}

/** Opens (creating if needed) the SQLite store at `path`; `':memory:'` gives a private, ephemeral one. */
export async function openSqliteDocumentStore(path: string): Promise<SeedableDocumentStore> {
  let module: { default: DatabaseConstructor };
  try {
    module = (await import('better-sqlite3')) as unknown as { default: DatabaseConstructor };
  } catch (error) {
    // An optional dependency: not installed (omitted, or its native build failed without a C++ toolchain).
    throw new WorkflowError(
      // The type is the code: the message does not repeat it (failures print as `TYPE: message`).
      `the embedded document store needs the optional package better-sqlite3, which cannot be loaded (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); install it and let its install script build it (npm install better-sqlite3; with npm 11, npm install-scripts approve better-sqlite3 first; it needs a C++ toolchain) or set documents.url to a PostgreSQL database`,
      { type: 'DOCUMENT_STORE_UNAVAILABLE', nonRetryable: true },
    );
  }
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // Another process holding the write lock makes this one wait (up to 10 s), not fail with SQLITE_BUSY.
  const db = new module.default(path, { timeout: 10_000 });
  if (path !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.transaction(() => {
    migrate(db);
    db.exec(SCHEMA);
  }).immediate();
  return new SqliteDocumentStore(db, path === ':memory:' ? 'in memory (SQLite)' : `SQLite ${path}`);
}
