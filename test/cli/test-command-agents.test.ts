/**
 * `runbook test` with agent mocks as a user runs it (bin/runbook.js), from the repository root
 * (its runbooks/ and agents/): the journal-draft-by-agent cases (a question answered, a question
 * declined) pass in-process and with `--runtime temporal`; an agent mock naming an agent no step
 * invokes is a located error, exit 2.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { assertNoStack, ROOT, runCli } from '../support/run-cli.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'runbook-test-agents-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));
after(closeTestTemporal);

const CASES = ['test/cases/examples/journal-draft-by-agent-answered.yaml', 'test/cases/examples/journal-draft-by-agent-declined.yaml'];
const env = { ...process.env, RUNBOOK_DATA_DIR: dataDir };

test('the agent cases pass in-process and on Temporal', async () => {
  const local = await runCli(['test', ...CASES], { env, cwd: ROOT });
  assert.equal(local.code, 0, local.stdout + local.stderr);
  assert.match(local.stdout, /\n2 passed, 0 failed\n$/);
  const temporal = await getTestTemporal();
  const remote = await runCli(['test', '--runtime', 'temporal', ...CASES], { env: { ...env, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace }, cwd: ROOT, timeoutMs: 90_000 });
  assert.equal(remote.code, 0, remote.stdout + remote.stderr);
  assert.match(remote.stdout, /\[temporal, \d+ ms\]/);
  assert.match(remote.stdout, /\n2 passed, 0 failed\n$/);
});

test('an agent mock no step invokes is TEST_UNKNOWN_AGENT, located, with a did-you-mean: exit 2', async () => {
  const file = join(dataDir, 'unknown-agent.test.yaml');
  writeFileSync(file, 'runbook: journal-draft-by-agent\ninput: { entity: acme, period: 2026-03, vendor: V, amount: 1 }\nagents:\n  journal.draftr: { result: {} }\nexpect: { status: completed }\n');
  const result = await runCli(['test', file], { env, cwd: ROOT });
  assert.equal(result.code, 2, result.stdout + result.stderr);
  assert.match(result.stdout, /unknown-agent\.test\.yaml:4:3: error TEST_UNKNOWN_AGENT no step of journal-draft-by-agent invokes agent "journal\.draftr" \(did you mean "journal\.drafter"\?\)/);
  assertNoStack(result);
});
