/**
 * The production document store: PostgreSQL through `pg`, selected by `documents.url` in the config.
 * A commit takes a transaction-scoped advisory lock on its (document, key), so concurrent workers
 * never hand out one version twice; unique constraints back both rules up. Node side.
 *
 * A commit is stored once per (execution, step, iteration): `execution_id`, with `run_id` for rows written
 * before it existed. A table of the previous version gets the column and loses its UNIQUE (run_id, step_id,
 * iteration) on open (which would refuse a new run reusing a run id); processes of the previous version keep working.
 *
 * @example
 * const store = await openPostgresDocumentStore('postgres://runbooks@db/runbooks');
 */
import type { CommittedDocument, DocumentCommit, DocumentQuery, KeyValue } from '../core/document-types.ts';
import { canonicalKey, checkedField, type DocumentStore } from './document-store.ts';
import { WorkflowError } from '../handlers/workflow-error.ts';

/** The part of pg's API this store uses (imported lazily). */
interface QueryResult {
  rows: Record<string, unknown>[];
}
interface Client {
  query(sql: string, params?: unknown[]): Promise<QueryResult>;
  release(): void;
}
interface Pool {
  query(sql: string, params?: unknown[]): Promise<QueryResult>;
  connect(): Promise<Client>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}
type PoolConstructor = new (options: { connectionString: string; max?: number; allowExitOnIdle?: boolean }) => Pool;

const TABLE = 'runbook_documents';
const SCHEMA_LOCK = 7_261_530_012;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${TABLE} (
  seq BIGSERIAL PRIMARY KEY,
  document TEXT NOT NULL,
  key_text TEXT NOT NULL,
  key JSONB NOT NULL,
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
);
CREATE INDEX IF NOT EXISTS ${TABLE}_by_name ON ${TABLE} (document, seq);
`;

/** After SCHEMA: a table of the previous version gets the column (only then: ALTER TABLE locks the table). */
const HAS_EXECUTION = `SELECT 1 FROM pg_attribute WHERE attrelid = '${TABLE}'::regclass AND attname = 'execution_id' AND NOT attisdropped`;
const ADD_EXECUTION = `ALTER TABLE ${TABLE} ADD COLUMN IF NOT EXISTS execution_id TEXT`;

const INDEXES = `
CREATE INDEX IF NOT EXISTS ${TABLE}_by_run ON ${TABLE} (run_id, seq);
CREATE UNIQUE INDEX IF NOT EXISTS ${TABLE}_once ON ${TABLE} ((COALESCE(execution_id, run_id)), step_id, iteration);
`;

/** The previous version's UNIQUE (run_id, step_id, iteration), whatever it was named: dropped once. */
const OLD_UNIQUE = `
SELECT c.conname FROM pg_constraint c
WHERE c.conrelid = '${TABLE}'::regclass AND c.contype = 'u'
  AND (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) = ARRAY['run_id', 'step_id', 'iteration']
`;

/** `execution_id` NULL: a row of a process of the previous version (its run id was its execution). */
const EXECUTION = 'COALESCE(execution_id, run_id)';
const COLUMNS = `document, key_text, version, value, run_id, ${EXECUTION} AS execution_id, step_id, iteration, runbook, definition_hash, actor, committed_at`;

function documentOf(row: Record<string, unknown>): CommittedDocument {
  return {
    document: String(row.document),
    key: JSON.parse(String(row.key_text)) as Record<string, KeyValue>,
    value: JSON.parse(String(row.value)) as unknown,
    version: Number(row.version),
    run_id: String(row.run_id),
    execution_id: String(row.execution_id),
    step_id: String(row.step_id),
    iteration: Number(row.iteration),
    runbook: String(row.runbook),
    definition_hash: String(row.definition_hash),
    actor: row.actor === null ? null : String(row.actor),
    committed_at: String(row.committed_at),
  };
}

/** Field values compared as jsonb: `1` never equals `"1"`, `1` equals `1.0`. */
function typedBefore(field: string, value: KeyValue, param: string): { condition: string; order: string } | null {
  if (typeof value === 'string') return { condition: `jsonb_typeof(key -> '${field}') = 'string' AND (key ->> '${field}') COLLATE "C" < ${param}`, order: `(key ->> '${field}') COLLATE "C" DESC` };
  if (typeof value === 'number') return { condition: `jsonb_typeof(key -> '${field}') = 'number' AND (key ->> '${field}')::numeric < ${param}::numeric`, order: `(key ->> '${field}')::numeric DESC` };
  return null;
}

class PostgresDocumentStore implements DocumentStore {
  constructor(
    private readonly pool: Pool,
    readonly description: string,
    private readonly url: string,
  ) {}

  /** `fn`, its connection failures typed DOCUMENT_STORE_UNAVAILABLE (the server went away after the open). */
  private async reaching<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw storeUnavailable(this.url, error);
    }
  }

  commit(entry: DocumentCommit): Promise<CommittedDocument> {
    return this.reaching(() => this.commitOnce(entry));
  }

  find(query: DocumentQuery): Promise<CommittedDocument | null> {
    return this.reaching(() => this.findLatest(query));
  }

  versions(document: string, key: Readonly<Record<string, KeyValue>>): Promise<CommittedDocument[]> {
    return this.reaching(async () => (await this.pool.query(`SELECT ${COLUMNS} FROM ${TABLE} WHERE document = $1 AND key_text = $2 ORDER BY version`, [document, canonicalKey(key)])).rows.map(documentOf));
  }

  committedBy(runId: string): Promise<CommittedDocument[]> {
    return this.reaching(async () => (await this.pool.query(`SELECT ${COLUMNS} FROM ${TABLE} WHERE run_id = $1 ORDER BY seq`, [runId])).rows.map(documentOf));
  }

  private async commitOnce(entry: DocumentCommit): Promise<CommittedDocument> {
    const keyText = canonicalKey(entry.key);
    // A commit scheduled by the previous version carries no execution: its run id was the key then.
    const execution = entry.execution_id ?? entry.run_id;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [JSON.stringify([execution, entry.step_id])]);
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [JSON.stringify([entry.document, keyText])]);
      const existing = await client.query(`SELECT ${COLUMNS} FROM ${TABLE} WHERE ${EXECUTION} = $1 AND step_id = $2 AND iteration = $3`, [execution, entry.step_id, entry.iteration]);
      if (existing.rows[0]) {
        await client.query('COMMIT');
        return documentOf(existing.rows[0]);
      }
      const next = await client.query(`SELECT COALESCE(MAX(version), 0) + 1 AS version FROM ${TABLE} WHERE document = $1 AND key_text = $2`, [entry.document, keyText]);
      const inserted = await client.query(
        `INSERT INTO ${TABLE} (document, key_text, key, version, value, run_id, step_id, iteration, runbook, definition_hash, actor, committed_at, execution_id)
         VALUES ($1, $2, $12::jsonb, $3, $4, $5, $6, $7, $8, $9, $10, $11, $13) RETURNING ${COLUMNS}`,
        [entry.document, keyText, Number(next.rows[0]?.version ?? 1), JSON.stringify(entry.value ?? null), entry.run_id, entry.step_id, entry.iteration, entry.runbook, entry.definition_hash, entry.actor, entry.committed_at, keyText, execution],
      );
      await client.query('COMMIT');
      const row = inserted.rows[0];
      if (!row) throw new Error('DOCUMENT_STORE_FAILED: the insert returned no row');
      return documentOf(row);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async findLatest(query: DocumentQuery): Promise<CommittedDocument | null> {
    const params: unknown[] = [query.document];
    const conditions = ['document = $1'];
    for (const [field, value] of Object.entries(query.where)) {
      params.push(JSON.stringify(value));
      conditions.push(`(key -> '${checkedField(field)}') = $${params.length}::jsonb`);
    }
    let order = 'seq DESC';
    if (query.before) {
      params.push(query.before.value);
      const typed = typedBefore(checkedField(query.before.field), query.before.value, `$${params.length}`);
      if (!typed) return null;
      conditions.push(typed.condition);
      order = `${typed.order}, seq DESC`;
    }
    if (query.version !== undefined) {
      params.push(query.version);
      conditions.push(`version = $${params.length}`);
    }
    const result = await this.pool.query(`SELECT ${COLUMNS} FROM ${TABLE} WHERE ${conditions.join(' AND ')} ORDER BY ${order} LIMIT 1`, params.map((p) => (typeof p === 'number' ? String(p) : p)));
    return result.rows[0] ? documentOf(result.rows[0]) : null;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** The URL without its password, for logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres (unparsable URL)';
  }
}

/** Socket-level codes of a server that cannot be reached (Node's), and SQLSTATEs of one that cannot take a connection now. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', '57P01', '57P02', '57P03', '53300']);
/** pg's own messages for a lost or timed-out connection (they carry no code). */
const UNREACHABLE_MESSAGE = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * A connection failure as a typed, retryable DOCUMENT_STORE_UNAVAILABLE naming the server (its URL without the
 * password); the step's store retry policy applies. Any other error is returned as it is (a query's own failure).
 */
export function storeUnavailable(url: string, error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  const connectionClass = typeof code === 'string' && code.startsWith('08');
  if (!connectionClass && !(typeof code === 'string' && UNREACHABLE_CODES.has(code)) && !UNREACHABLE_MESSAGE.test(error.message)) return error;
  let cause = error.message.split('\n')[0] || (typeof code === 'string' ? code : error.name);
  const password = (() => {
    try {
      return decodeURIComponent(new URL(url).password);
    } catch {
      return '';
    }
  })();
  if (password) cause = cause.split(password).join('***');
  return new WorkflowError(`the PostgreSQL document store at ${redactedUrl(url)} cannot be reached (${cause})`, { type: 'DOCUMENT_STORE_UNAVAILABLE' });
}

/** Connects to PostgreSQL at `url` and creates or migrates the table if needed (once, under an advisory lock, however many processes start). */
export async function openPostgresDocumentStore(url: string): Promise<DocumentStore> {
  const pg = (await import('pg')) as unknown as { default: { Pool: PoolConstructor } };
  const pool = new pg.default.Pool({ connectionString: url, max: 4, allowExitOnIdle: true });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const client = await pool.connect().catch(async (error: unknown) => {
    await pool.end().catch(() => undefined);
    throw storeUnavailable(url, error);
  });
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await client.query(SCHEMA);
    if ((await client.query(HAS_EXECUTION)).rows.length === 0) await client.query(ADD_EXECUTION);
    await client.query(INDEXES);
    for (const { conname } of (await client.query(OLD_UNIQUE)).rows) await client.query(`ALTER TABLE ${TABLE} DROP CONSTRAINT "${String(conname).replaceAll('"', '""')}"`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
    await pool.end().catch(() => undefined);
    throw storeUnavailable(url, error);
  }
  client.release();
  return new PostgresDocumentStore(pool, `PostgreSQL ${redactedUrl(url)}`, url);
}
