import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { openDocumentStore, openSqliteDocumentStore } from '../../interpreter/documents/index.ts';
import { describeDocumentStoreContract } from './document-store-contract.ts';

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
