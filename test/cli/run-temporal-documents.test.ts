/**
 * `runbook run --runtime temporal` uses the project's document store, as in-process does: two
 * consecutive month-end closes of one entity, the first in-process and the second on Temporal, share
 * the project's `.runbook/documents.sqlite`; the second one's `previous` finds the first one's commit,
 * its own commit lands in the same file, and no RUNBOOK_DOCUMENTS_IN_MEMORY warning is printed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeTestTemporal, getTestTemporal, type TestTemporal } from '../support/temporal-env.ts';
import { assertNoStack, ROOT, runCli } from '../support/run-cli.ts';
import { openSqliteDocumentStore } from '../../interpreter/documents/index.ts';

let temporal: TestTemporal;
let project: string;

before(async () => {
  temporal = await getTestTemporal();
  project = await mkdtemp(join(tmpdir(), 'runbook-run-temporal-documents-'));
});

after(async () => {
  await closeTestTemporal();
  await rm(project, { recursive: true, force: true });
});

const TB = JSON.parse(readFileSync(join(ROOT, 'runbooks', 'month-end-close.tb_submitted.json'), 'utf8')) as { content: string; filename: string };

/** One close of `period` run from the project directory (its state directory is `<project>/.runbook`). */
async function close(entity: string, period: string, runtime: 'local' | 'temporal') {
  await writeFile(join(project, `input-${period}.json`), JSON.stringify({ entity, period, expected_documents: [] }));
  await writeFile(join(project, `tb-${period}.json`), JSON.stringify({ period, filename: `tb-${period}.csv`, content: TB.content.replace('2025-01', period) }));
  const args = ['run', join(ROOT, 'runbooks/month-end-close.yaml'), '--runbooks', join(ROOT, 'runbooks'), '--handlers', join(ROOT, 'handlers'), '--runtime', runtime];
  args.push('--input', `input-${period}.json`, '--signal', `tb_submitted=@tb-${period}.json`, '--answer', 'review_extraction=approved');
  const env: NodeJS.ProcessEnv = { ...process.env, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, RUNBOOK_DATA_DIR: join(project, 'data') };
  delete env.RUNBOOK_STATE_DIR;
  delete env.RUNBOOK_DOCUMENTS_URL;
  const result = await runCli(args, { cwd: project, env, timeoutMs: 90_000 });
  assert.equal(result.code, 0, result.stderr);
  assertNoStack(result);
  assert.doesNotMatch(result.stderr, /RUNBOOK_DOCUMENTS_IN_MEMORY|in-memory store/);
  return { output: JSON.parse(result.stdout) as Record<string, unknown>, stderr: result.stderr };
}

test('a close on Temporal reads the previous close committed in-process from the project store, and commits into it', async () => {
  const entity = `acme-cli-docs-${process.pid}-${Date.now().toString(36)}`;
  const first = await close(entity, '2025-01', 'local');
  assert.equal(first.output.previous_period, null, 'the very first close finds no previous one');
  const file = join(project, '.runbook', 'documents.sqlite');
  assert.ok(existsSync(file), 'the in-process close committed into the project store');

  const second = await close(entity, '2025-02', 'temporal');
  assert.match(second.stderr, /TemporalRuntime active/);
  assert.equal(second.output.previous_period, '2025-01', "the close on Temporal sees the in-process close's committed document");

  const store = await openSqliteDocumentStore(file);
  try {
    const committed = await store.find({ document: 'closing_trial_balance', where: { entity, period: '2025-02' } });
    assert.ok(committed, "the close on Temporal committed into the project's SQLite file");
    assert.deepEqual((committed.value as { totals: unknown }).totals, second.output.totals);
    const latest = await store.find({ document: 'closing_trial_balance', where: { entity } });
    assert.equal(latest?.key.period, '2025-02');
    // Ids as docs/documents.md describes them: `runbook run` names its run `<slug>-<time><random>` (base 36), on either
    // runtime, never `slug-1`; an in-process execution is `local-<uuid>`.
    const inProcess = await store.find({ document: 'closing_trial_balance', where: { entity, period: '2025-01' } });
    for (const run of [inProcess!, committed]) assert.match(run.run_id, /^month-end-close-[0-9a-z]{10,}$/);
    assert.match(inProcess!.execution_id, /^local-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const doc = readFileSync(join(ROOT, 'docs', 'documents.md'), 'utf8');
    assert.match(doc, /`local-<uuid>`/);
    assert.match(doc, /`close-books-mx5kuv9o5w47`/);
    assert.doesNotMatch(doc, /numbers its runs from `slug-1`/);
  } finally {
    await store.close();
  }
});
