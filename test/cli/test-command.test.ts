/**
 * `runbook test` as a user runs it (bin/runbook.js on the compiled lib/), against the shop
 * fixture project (test/testing/fixtures/shop, found through RUNBOOK_CONFIG): exit codes, the
 * default discovery, --filter, the formats, and the same cases on the shared Temporal test
 * server (TEMPORAL_TEST_ADDRESS) with a worker embedded in the command.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { assertNoStack, ROOT, runCli } from '../support/run-cli.ts';
import { closeTestTemporal, getTestTemporal } from '../support/temporal-env.ts';

const SHOP = 'test/testing/fixtures/shop';
const CASES = 'test/testing/fixtures/shop-cases';
const env = { ...process.env, RUNBOOK_CONFIG: join(ROOT, SHOP, 'runbook.config.yaml') };
const runTest = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => runCli(['test', ...args], { env: { ...env, ...extraEnv } });

after(closeTestTemporal);

describe('runbook test', () => {
  test('with no path it runs every *.test.yaml under the project root and exits 0 when all pass', async () => {
    const result = await runTest([]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal((result.stdout.match(/^✓ /gm) ?? []).length, 4);
    assert.match(result.stdout, /\n4 passed, 0 failed\n$/);
    assert.match(result.stderr, /4 cases, run in this process/);
  });

  test('a failing case exits 1 and shows its diff', async () => {
    const result = await runTest([`${CASES}/failing`]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /^✗ .*wrong-total\.test\.yaml:\d+:\d+: Expects a total the mock does not give\n {4}- expected {2}\+ actual\n/m);
    assert.match(result.stdout, /^ {4}- {3}total: 40\n {4}\+ {3}total: 41$/m);
    assert.match(result.stdout, /\n0 passed, 2 failed\n$/);
    assertNoStack(result);
  });

  test('an invalid case file exits 2 with its problems located and a did-you-mean', async () => {
    const result = await runTest([`${CASES}/invalid`, `${SHOP}/tests`]);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stdout, /unknown-names\.test\.yaml:5:3: error TEST_UNKNOWN_HANDLER no step of order calls handler "shop\.prise" \(did you mean "shop\.price"\?\)\n {4}shop\.prise: .*\n {4}\^/);
    assert.match(result.stdout, /unknown-names\.test\.yaml:9:13: error TEST_UNKNOWN_STEP /);
    assert.match(result.stdout, /unknown-names\.test\.yaml:10:30: error TEST_UNKNOWN_SIGNAL /);
    assert.match(result.stdout, /bad-format\.test\.yaml:1:10: error TEST_RUNBOOK_UNKNOWN /);
    // The valid cases still ran.
    assert.match(result.stdout, /\n4 passed, 0 failed\n$/);
    assertNoStack(result);
  });

  test('--filter runs only the matching cases; a filter matching none is a usage error', async () => {
    const result = await runTest(['--filter', 'carrier']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^1 passed, 0 failed$/m);
    const none = await runTest(['--filter', 'no such case']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--filter "no such case" matches none of the 4 case\(s\)/);
  });

  test('usage errors exit 2: an unknown option, format or runtime, a path that does not exist, a directory without cases', async () => {
    for (const [args, message] of [
      [['--formt', 'junit'], /unknown option --formt \(did you mean --format\?\)/],
      [['--format', 'tap'], /unknown --format "tap"/],
      [['--runtime', 'cloud'], /unknown --runtime "cloud"/],
      [['--concurrency', '0'], /--concurrency must be a positive whole number/],
      [['no/such/dir'], /no such file or directory: no\/such\/dir/],
      [[`${SHOP}/runbooks`], /no test cases \(\*\.test\.yaml, \*\.test\.yml\) under/],
    ] as const) {
      const result = await runTest([...args]);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assertNoStack(result);
    }
  });

  test('a handlers entry that cannot be loaded exits 2 naming it; --skip-handlers makes every call a mock', async () => {
    const broken = await runTest(['--handlers', 'no/such/handlers']);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /HANDLERS_NOT_FOUND/);
    // shop.reserve is real in the fixture: without handlers the cases that do not mock it fail with HANDLER_UNKNOWN.
    const skipped = await runTest(['--skip-handlers', '--filter', 'happy']);
    assert.equal(skipped.code, 1);
    assert.match(skipped.stdout, /\+ {3}type: HANDLER_UNKNOWN/);
  });

  test('--format junit writes JUnit XML with a failure per failed case', async () => {
    const result = await runTest(['--format', 'junit', `${CASES}/failing`, `${SHOP}/tests`]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="runbook test" tests="6" failures="2" errors="0"/);
    assert.equal((result.stdout.match(/<failure /g) ?? []).length, 2);
    assert.doesNotMatch(result.stdout, /passed, /);
  });

  test('--format github writes an ::error annotation per failed case, then the count line', async () => {
    const result = await runTest(['--format', 'github', `${CASES}/failing`]);
    assert.equal(result.code, 1);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^::error file=test\/testing\/fixtures\/shop-cases\/failing\/rejected\.test\.yaml,line=8,col=1,title=runbook test%3A Expects completion but the reviewer rejects::/);
    assert.equal(lines[2], '0 passed, 2 failed');
  });

  test('--runtime temporal runs the same cases on the Temporal server, mocks included, with a worker embedded in the command', async () => {
    const temporal = await getTestTemporal();
    const temporalEnv = { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace };
    const passing = await runTest(['--runtime', 'temporal'], temporalEnv);
    assert.equal(passing.code, 0, passing.stdout + passing.stderr);
    assert.match(passing.stderr, new RegExp(`4 cases, run on Temporal at ${temporal.address.replace(/\./g, '\\.')}, namespace ${temporal.namespace}, task queue runbook-test-`));
    assert.match(passing.stdout, /\[temporal, \d+ ms\]/);
    assert.match(passing.stdout, /\n4 passed, 0 failed\n$/);
    const failing = await runTest(['--runtime', 'temporal', `${CASES}/failing`], temporalEnv);
    assert.equal(failing.code, 1, failing.stdout + failing.stderr);
    assert.match(failing.stdout, /^ {4}- {3}total: 40\n {4}\+ {3}total: 41$/m);
    assertNoStack(failing);
  });

  test('--runtime temporal with no server at the address exits 1 with one line', async () => {
    const result = await runTest(['--runtime', 'temporal', '--filter', 'happy'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /cannot reach the Temporal server at 127\.0\.0\.1:1/);
    assertNoStack(result);
  });
});
