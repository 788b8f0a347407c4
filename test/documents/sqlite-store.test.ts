import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { openDocumentStore, openSqliteDocumentStore } from '../../interpreter/documents/index.ts';
import { describeDocumentStoreContract, entry } from './document-store-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'runbook-docs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describeDocumentStoreContract('SQLite in a file', () => openSqliteDocumentStore(join(dir, 'contract.sqlite')));
describeDocumentStoreContract('SQLite in memory', () => openSqliteDocumentStore(':memory:'));

const WRITER = `
const { openSqliteDocumentStore } = await import(${JSON.stringify(new URL('../../interpreter/documents/index.ts', import.meta.url).href)});
const store = await openSqliteDocumentStore(process.argv[1]);
const out = [];
for (let i = 0; i < 25; i++) out.push((await store.commit({ document: 'shared', key: { entity: 'acme' }, value: i, run_id: 'p' + process.pid + '-' + i, step_id: 's', iteration: 0, runbook: 'r', definition_hash: 'h', actor: null, committed_at: new Date().toISOString() })).version);
await store.close();
console.log(JSON.stringify(out));
`;

function writer(path: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', WRITER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`writer exited ${code}`))));
  });
}

it('three processes committing one key into one SQLite file at once get 75 distinct versions', async () => {
  const path = join(dir, 'shared.sqlite');
  const versions = (await Promise.all([writer(path), writer(path), writer(path)])).flat().sort((a, b) => a - b);
  assert.deepEqual(versions, Array.from({ length: 75 }, (_, i) => i + 1));
  const store = await openSqliteDocumentStore(path);
  assert.equal((await store.versions('shared', { entity: 'acme' })).length, 75);
  await store.close();
});

it('the embedded default lives in the state directory; a postgres URL in the config wins', async () => {
  const store = await openDocumentStore({ stateDir: join(dir, 'state') });
  assert.match(store.description, /state\/documents\.sqlite$/);
  await store.close();
  await assert.rejects(openDocumentStore({ url: 'postgres://nobody@127.0.0.1:1/none', stateDir: join(dir, 'state') }), /ECONNREFUSED|connect/);
});

/** The table as the previous version created it (idempotent by run id: a new run reusing a run id was refused). */
const PREVIOUS_SCHEMA = `
CREATE TABLE documents (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, document TEXT NOT NULL, key_text TEXT NOT NULL, version INTEGER NOT NULL, value TEXT NOT NULL,
  run_id TEXT NOT NULL, step_id TEXT NOT NULL, iteration INTEGER NOT NULL, runbook TEXT NOT NULL, definition_hash TEXT NOT NULL,
  actor TEXT, committed_at TEXT NOT NULL,
  UNIQUE (document, key_text, version),
  UNIQUE (run_id, step_id, iteration)
);
CREATE INDEX documents_by_name ON documents (document, seq);
`;
const PREVIOUS_INSERT =
  "INSERT INTO documents (document, key_text, version, value, run_id, step_id, iteration, runbook, definition_hash, actor, committed_at) VALUES (?, ?, ?, ?, ?, 'commit_it', 0, 'month-end-close', 'sha256:abc', 'alice', '2024-02-01T00:00:00.000Z')";

it('a file of the previous version is migrated on open: its rows kept, legacy retries idempotent by run id, a new execution reusing a run id commits anew', async () => {
  const path = join(dir, 'previous.sqlite');
  const { default: Database } = await import('better-sqlite3');
  const old = new Database(path);
  old.exec(PREVIOUS_SCHEMA);
  old.prepare(PREVIOUS_INSERT).run('tb', '{"entity":"acme"}', 1, '"from A"', 'run-x');
  old.close();

  const store = await openSqliteDocumentStore(path);
  const legacy = entry('tb', { entity: 'acme' }, 'from A', { run_id: 'run-x' });
  const { execution_id: _none, ...scheduledBefore } = legacy;
  const kept = await store.commit(scheduledBefore);
  assert.deepEqual([kept.version, kept.value, kept.execution_id], [1, 'from A', 'run-x'], "a retry of the previous version's commit gets its row");
  const runB = await store.commit({ ...legacy, value: 'from B', execution_id: 'execution-b' });
  assert.deepEqual([runB.version, runB.run_id, runB.execution_id], [2, 'run-x', 'execution-b'], 'the old UNIQUE (run_id, step_id, iteration) is gone');
  await store.close();

  // A process of the previous version still writes (its insert names no execution), and a second open migrates nothing.
  const still = new Database(path);
  still.prepare(PREVIOUS_INSERT).run('tb', '{"entity":"acme"}', 3, '"old writer"', 'run-y');
  still.close();
  const again = await openSqliteDocumentStore(path);
  assert.deepEqual((await again.versions('tb', { entity: 'acme' })).map((d) => [d.version, d.value, d.execution_id]), [[1, 'from A', 'run-x'], [2, 'from B', 'execution-b'], [3, 'old writer', 'run-y']]);
  assert.equal((await again.commit(entry('tb', { entity: 'acme' }, 'next'))).version, 4);
  await again.close();
});

it('three processes opening a file of the previous version at once: one migrates, all commit', async () => {
  const path = join(dir, 'previous-shared.sqlite');
  const { default: Database } = await import('better-sqlite3');
  const old = new Database(path);
  old.exec(PREVIOUS_SCHEMA);
  old.prepare(PREVIOUS_INSERT).run('shared', '{"entity":"acme"}', 1, '0', 'legacy');
  old.close();
  const versions = (await Promise.all([writer(path), writer(path), writer(path)])).flat().sort((a, b) => a - b);
  assert.deepEqual(versions, Array.from({ length: 75 }, (_, i) => i + 2));
});
