/**
 * How a document store that cannot be used is reported: a PostgreSQL server that cannot be reached is a
 * typed, retryable DOCUMENT_STORE_UNAVAILABLE naming the URL without its password (not `Error: connect
 * ECONNREFUSED ...`), and a missing better-sqlite3 says DOCUMENT_STORE_UNAVAILABLE once, not twice.
 */
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { openPostgresDocumentStore } from '../../interpreter/documents/index.ts';
import { WorkflowError } from '../../interpreter/handlers/workflow-error.ts';
import { assertNoStack, ROOT, runCli } from '../support/run-cli.ts';

let dir: string;
let closedPort: number;

const RUNBOOK = `slug: store-errors
title: Store errors
steps:
  - id: store
    title: Store
    commit:
      document: store_errors_total
      key: { entity: acme }
      value: 1
`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runbook-store-errors-'));
  await mkdir(join(dir, 'runbooks'));
  await writeFile(join(dir, 'runbooks', 'store-errors.yaml'), RUNBOOK);
  // A port nothing listens on: taken, then given back.
  closedPort = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TEMPORAL_ADDRESS: '', RUNBOOK_STATE_DIR: join(dir, '.runbook'), RUNBOOK_DATA_DIR: join(dir, 'data'), ...extra };
  return env;
}

test('opening a PostgreSQL store whose server is down is a retryable DOCUMENT_STORE_UNAVAILABLE naming the URL without its password', async () => {
  const url = `postgres://runbook:s3cr%40t@127.0.0.1:${closedPort}/books`;
  const error = await openPostgresDocumentStore(url).then(
    () => assert.fail('opened'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof WorkflowError, String(error));
  assert.equal(error.type, 'DOCUMENT_STORE_UNAVAILABLE');
  assert.equal(error.nonRetryable, false, 'the step retries it with its store retry policy');
  assert.match(error.message, new RegExp(`^the PostgreSQL document store at postgres://runbook:\\*\\*\\*@127\\.0\\.0\\.1:${closedPort}/books cannot be reached \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${closedPort}\\)$`));
  assert.doesNotMatch(error.message, /s3cr/);
});

test('runbook run: a commit step with PostgreSQL down fails as DOCUMENT_STORE_UNAVAILABLE after its retries, the password never shown', async () => {
  const url = `postgres://runbook:s3cret@127.0.0.1:${closedPort}/books`;
  const result = await runCli(['run', 'store-errors', '--runbooks', join(dir, 'runbooks'), '--handlers', join(ROOT, 'handlers')], { cwd: dir, env: cliEnv({ RUNBOOK_DOCUMENTS_URL: url }), timeoutMs: 90_000 });
  assert.equal(result.code, 1, result.stderr);
  assertNoStack(result);
  assert.match(result.stderr, /✗ .*failed \(DOCUMENT_STORE_UNAVAILABLE\)/);
  assert.doesNotMatch(result.stderr, /failed \(Error\)/);
  assert.match(result.stderr, new RegExp(`DOCUMENT_STORE_UNAVAILABLE: the PostgreSQL document store at postgres://runbook:\\*\\*\\*@127\\.0\\.0\\.1:${closedPort}/books cannot be reached \\(connect ECONNREFUSED`));
  assert.doesNotMatch(result.stderr, /s3cret/);
  assert.doesNotMatch(result.stderr, /DOCUMENT_STORE_UNAVAILABLE: DOCUMENT_STORE_UNAVAILABLE/);
});

test('runbook run: without better-sqlite3 a commit step fails saying DOCUMENT_STORE_UNAVAILABLE once, with the fix', async () => {
  // better-sqlite3 made unloadable for the CLI and its in-process child, as when its native build failed.
  const hooks = join(dir, 'no-sqlite-hooks.mjs');
  await writeFile(
    hooks,
    `export async function resolve(specifier, context, next) {\n  if (specifier === 'better-sqlite3') throw Object.assign(new Error("Cannot find package 'better-sqlite3'"), { code: 'ERR_MODULE_NOT_FOUND' });\n  return next(specifier, context);\n}\n`,
  );
  const register = join(dir, 'no-sqlite.mjs');
  await writeFile(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const nodeOptions = `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(register).href}`.trim();
  const result = await runCli(['run', 'store-errors', '--runbooks', join(dir, 'runbooks'), '--handlers', join(ROOT, 'handlers')], { cwd: dir, env: cliEnv({ NODE_OPTIONS: nodeOptions }), timeoutMs: 60_000 });
  assert.equal(result.code, 1, result.stderr);
  assertNoStack(result);
  assert.match(result.stderr, /failed \(DOCUMENT_STORE_UNAVAILABLE\)/);
  assert.match(result.stderr, /DOCUMENT_STORE_UNAVAILABLE: the embedded document store needs the optional package better-sqlite3, which cannot be loaded \(Cannot find package 'better-sqlite3'\)/);
  assert.doesNotMatch(result.stderr, /DOCUMENT_STORE_UNAVAILABLE: DOCUMENT_STORE_UNAVAILABLE/);
});
