/** `runbook act ID --answer JSON` / `runbook act ID declined`: an agent's question answered or declined; usage errors are exit 2 before any connection. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../support/run-cli.ts';

// Nothing listens here: a usage error must be reported before any connection is tried.
const env = { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1' };

test('--answer with an outcome, a payload, corrections or bad JSON is exit 2 with the reason', async () => {
  const cases: [string[], RegExp][] = [
    [['run-1', 'approved', '--answer', '{"account":"6100"}'], /--answer answers an agent's question: drop the outcome "approved"/],
    [['run-1', '--answer', '{"account":"6100"}', '--payload', '{}'], /--answer and --payload exclude each other/],
    [['run-1', '--answer', '{"account":"6100"}', '--corrections', '{}'], /--answer and --corrections exclude each other/],
    [['run-1', '--answer', '{account}'], /--answer: not valid JSON/],
    [['run-1', 'maybe'], /the outcome must be one of approved, rejected, corrected \(or --answer JSON for an agent's question, declined to decline it\)/],
    [['run-1', 'declined', '--payload', '{}'], /declined sends no answer: drop --payload \(say why with --comment\)/],
    [['run-1', 'declined', '--corrections', '{}'], /declined sends no answer: drop --corrections/],
  ];
  for (const [args, message] of cases) {
    const result = await runCli(['act', ...args], { env });
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
});

test('a well-formed --answer or declined goes to Temporal (here unreachable: exit 1 naming the address, never a usage error)', async () => {
  for (const args of [['--answer', '{"account":"6100"}'], ['declined', '--comment', 'not ours']]) {
    const result = await runCli(['act', 'run-1', '--step', 'draft_journal', ...args, '--actor', 'alice@example.com'], { env, timeoutMs: 30_000 });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /127\.0\.0\.1:1/);
  }
});
