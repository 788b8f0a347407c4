import assert from 'node:assert/strict';
import { it } from 'node:test';
import { openPostgresDocumentStore } from '../../interpreter/documents/index.ts';
import { postgresOrSkipReason } from '../support/postgres-env.ts';
import { describeDocumentStoreContract, entry } from './document-store-contract.ts';

describeDocumentStoreContract('PostgreSQL', async () => {
  const server = await postgresOrSkipReason();
  return 'skip' in server ? server : openPostgresDocumentStore(server.url);
});

/** The table as the previous version created it (idempotent by run id: a new run reusing a run id was refused). */
const PREVIOUS_SCHEMA = `
CREATE TABLE runbook_documents (
  seq BIGSERIAL PRIMARY KEY, document TEXT NOT NULL, key_text TEXT NOT NULL, key JSONB NOT NULL, version INTEGER NOT NULL, value TEXT NOT NULL,
  run_id TEXT NOT NULL, step_id TEXT NOT NULL, iteration INTEGER NOT NULL, runbook TEXT NOT NULL, definition_hash TEXT NOT NULL,
  actor TEXT, committed_at TEXT NOT NULL,
  UNIQUE (document, key_text, version),
  UNIQUE (run_id, step_id, iteration)
);
CREATE INDEX runbook_documents_by_name ON runbook_documents (document, seq);
`;
const PREVIOUS_INSERT = `INSERT INTO runbook_documents (document, key_text, key, version, value, run_id, step_id, iteration, runbook, definition_hash, actor, committed_at)
  VALUES ($1, $2::text, $2::text::jsonb, $3, $4, $5, 'commit_it', 0, 'month-end-close', 'sha256:abc', 'alice', '2024-02-01T00:00:00.000Z')`;

it('a table of the previous version is migrated on open: rows kept, legacy retries idempotent by run id, a new execution reusing a run id commits anew', async (t) => {
  const server = await postgresOrSkipReason();
  if ('skip' in server) return t.skip(server.skip);
  const pg = (await import('pg')).default;
  // A database of its own: the contract suite's table is already the current one.
  const name = `previous_${Date.now().toString(36)}_${process.pid}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  const old = new pg.Client({ connectionString: url.toString() });
  await old.connect();
  try {
    await old.query(PREVIOUS_SCHEMA);
    await old.query(PREVIOUS_INSERT, ['tb', '{"entity":"acme"}', 1, '"from A"', 'run-x']);

    const [store, concurrent] = await Promise.all([openPostgresDocumentStore(url.toString()), openPostgresDocumentStore(url.toString())]);
    await concurrent.close();
    const legacy = entry('tb', { entity: 'acme' }, 'from A', { run_id: 'run-x' });
    const { execution_id: _none, ...scheduledBefore } = legacy;
    const kept = await store.commit(scheduledBefore);
    assert.deepEqual([kept.version, kept.value, kept.execution_id], [1, 'from A', 'run-x'], "a retry of the previous version's commit gets its row");
    const runB = await store.commit({ ...legacy, value: 'from B', execution_id: 'execution-b' });
    assert.deepEqual([runB.version, runB.run_id, runB.execution_id], [2, 'run-x', 'execution-b'], 'the old UNIQUE (run_id, step_id, iteration) is gone');
    assert.deepEqual(await store.commit({ ...legacy, value: 'from B', execution_id: 'execution-b' }), runB);

    // A process of the previous version still writes (its insert names no execution); opening again changes nothing.
    await old.query(PREVIOUS_INSERT, ['tb', '{"entity":"acme"}', 3, '"old writer"', 'run-y']);
    await store.close();
    const again = await openPostgresDocumentStore(url.toString());
    assert.deepEqual((await again.versions('tb', { entity: 'acme' })).map((d) => [d.version, d.value, d.execution_id]), [[1, 'from A', 'run-x'], [2, 'from B', 'execution-b'], [3, 'old writer', 'run-y']]);
    assert.equal((await again.commit(entry('tb', { entity: 'acme' }, 'next'))).version, 4);
    await again.close();
  } finally {
    await old.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
});
