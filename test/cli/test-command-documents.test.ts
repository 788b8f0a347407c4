/**
 * `runbook test` and committed documents: every case has its own document store on both runtimes, so two
 * cases for consecutive periods of one entity (the second expects `found: false`) pass in either order, one at
 * a time or at once, and no RUNBOOK_DOCUMENTS_IN_MEMORY warning is printed; a case seeds documents and
 * expects what the run committed; a document name no step commits or reads is a located TEST_UNKNOWN_DOCUMENT.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { assertNoStack, ROOT, runCli } from '../support/run-cli.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';

const project = mkdtempSync(join(tmpdir(), 'runbook-test-documents-'));
const first = readFileSync(join(ROOT, 'test/cases/documents/isolated-first-period.yaml'), 'utf8');
const second = readFileSync(join(ROOT, 'test/cases/documents/isolated-second-period.yaml'), 'utf8');
// Files run in name order at --concurrency 1: the first period first, then the other way round.
for (const [dir, files] of [['forward', { '1.test.yaml': first, '2.test.yaml': second }], ['backward', { '1.test.yaml': second, '2.test.yaml': first }]] as const) {
  mkdirSync(join(project, dir), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(project, dir, name), text);
}

const RUNBOOK = `  slug: doc-seeded
  title: Seeded
  steps:
    - id: read
      title: Read
      previous:
        document: seeded_balance
        where: { entity: acme }
        before: { period: '2024-03' }
    - id: store
      title: Store
      commit:
        document: seeded_balance
        key: { entity: acme, period: '2024-03' }
        value: { total: '{% $steps.read.value.total + 5 %}', previous: '{% $steps.read.key.period %}' }
`;
mkdirSync(join(project, 'seeded'));
writeFileSync(
  join(project, 'seeded', 'seeded.test.yaml'),
  `description: A seeded previous period is read and the commit is expected
runbook:
${RUNBOOK}documents:
  - { document: seeded_balance, key: { entity: acme, period: '2024-01' }, value: { total: 1 } }
  - { document: seeded_balance, key: { entity: acme, period: '2024-02' }, value: { total: 10 }, version: 3, runbook: close }
expect:
  output_includes:
    read: { found: true, key: { entity: acme, period: '2024-02' }, value: { total: 10 }, version: 3, runbook: close }
  documents:
    - { document: seeded_balance, key: { entity: acme, period: '2024-03' }, value_includes: { total: 15 }, version: 1 }
`,
);
writeFileSync(
  join(project, 'seeded', 'wrong.test.yaml'),
  `description: Expects a commit the run does not make
runbook:
${RUNBOOK}documents:
  - { document: seeded_balance, key: { entity: acme, period: '2024-02' }, value: { total: 10 } }
expect:
  documents:
    - { document: seeded_balance, value: { total: 16, previous: '2024-02' } }
`,
);
mkdirSync(join(project, 'invalid'));
writeFileSync(
  join(project, 'invalid', 'unknown.test.yaml'),
  `runbook:
${RUNBOOK}documents:
  - { document: seeded_balanse, key: { entity: acme }, value: 1 }
expect:
  documents:
    - { document: other_thing }
`,
);

after(async () => {
  await closeTestTemporal();
  rmSync(project, { recursive: true, force: true });
});

const runTest = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli(['test', '--skip-handlers', ...args], { cwd: project, env: { ...process.env, TEMPORAL_ADDRESS: '', RUNBOOK_CONFIG: '', ...env }, timeoutMs: 120_000 });

async function runtimeEnv(runtime: 'local' | 'temporal'): Promise<NodeJS.ProcessEnv> {
  if (runtime === 'local') return {};
  const temporal = await getTestTemporal();
  return { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace };
}

describe('runbook test with committed documents', () => {
  for (const runtime of ['local', 'temporal'] as const) {
    test(`${runtime}: consecutive-period cases do not see each other's commits, in either order, one at a time or at once`, async () => {
      const env = await runtimeEnv(runtime);
      for (const dir of ['forward', 'backward']) {
        for (const concurrency of [['--concurrency', '1'], []]) {
          const result = await runTest(['--runtime', runtime, ...concurrency, dir], env);
          assert.equal(result.code, 0, `${dir} ${concurrency.join(' ')}\n${result.stdout}${result.stderr}`);
          assert.match(result.stdout, /\n2 passed, 0 failed\n$/);
          assert.doesNotMatch(result.stderr, /RUNBOOK_DOCUMENTS_IN_MEMORY|in-memory store/);
          assertNoStack(result);
        }
      }
    });

    test(`${runtime}: seeded documents are read, expect.documents checks what was committed and shows a difference`, async () => {
      const result = await runTest(['--runtime', runtime, 'seeded'], await runtimeEnv(runtime));
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stdout, /^✓ .*A seeded previous period is read and the commit is expected/m);
      assert.match(result.stdout, /^✗ .*wrong\.test\.yaml:\d+:\d+: Expects a commit the run does not make/m);
      assert.match(result.stdout, /- {7}total: 16\n {4}\+ {7}total: 15/);
      assert.match(result.stdout, /\n1 passed, 1 failed\n$/);
      assert.doesNotMatch(result.stderr, /RUNBOOK_DOCUMENTS_IN_MEMORY/);
    });
  }

  test('a seed or expectation naming a document no step commits or reads is a located TEST_UNKNOWN_DOCUMENT', async () => {
    const result = await runTest(['invalid']);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stdout, /unknown\.test\.yaml:18:17: error TEST_UNKNOWN_DOCUMENT no step of doc-seeded commits or reads document "seeded_balanse" \(did you mean "seeded_balance"\?\)/);
    assert.match(result.stdout, /unknown\.test\.yaml:21:19: error TEST_UNKNOWN_DOCUMENT no step of doc-seeded commits document "other_thing"/);
    assertNoStack(result);
  });
});
