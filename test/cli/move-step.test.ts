/**
 * `runbook move-step` as a user runs it, on temporary copies of runbooks/month-end-close.yaml
 * (with document-ingest beside it for the child step) and the project's handlers/.
 */
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { outlineSteps } from '../../interpreter/editing/index.ts';
import { runCli } from '../support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'move-step-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'month-end-close.yaml');
const original = readFileSync('runbooks/month-end-close.yaml', 'utf8');
copyFileSync('runbooks/document-ingest.yaml', join(dir, 'document-ingest.yaml'));
beforeEach(() => writeFileSync(file, original));

const moveStep = (...args: string[]) => runCli(['move-step', ...args, '--handlers', 'handlers']);
const noStack = (output: string): void => assert.doesNotMatch(output, /^\s{4}at /m, 'no stack trace');
const lines = (text: string): string[] => text.split('\n');

describe('runbook move-step', () => {
  it('moves a step whose move is safe: only its lines (and a separating blank line) differ, comments kept', async () => {
    chmodSync(file, 0o640);
    const { code, stdout, stderr } = await moveStep(file, 'open_period', '--after', 'await_trial_balance');
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^moved step "open_period" from position 1 to 2 \(after "await_trial_balance"\) in .*month-end-close\.yaml$/m);
    const text = readFileSync(file, 'utf8');
    const outline = outlineSteps(text) ?? [];
    assert.deepEqual(outline.map((step) => step.id).slice(0, 2), ['await_trial_balance', 'open_period']);
    const before = outlineSteps(original) ?? [];
    const [moved, old] = [outline[1], before[0]];
    assert.deepEqual(lines(text).slice(moved.line - 1, moved.end_line), lines(original).slice(old.line - 1, old.end_line));
    const rest = (all: string[], step: { line: number; end_line: number }) => [...all.slice(0, step.line - 1), ...all.slice(step.end_line)].filter((line) => line.trim() !== '');
    assert.deepEqual(rest(lines(text), moved), rest(lines(original), old));
    assert.equal(text.length, original.length, 'the same bytes, rearranged');
    assert.match(text, /# The console's upload component: a file picker/);
    assert.equal(statSync(file).mode & 0o777, 0o640, 'the file mode is kept');
    noStack(stdout + stderr);
  });

  it('refuses an unsafe move with exit 1, naming both steps and their lines, and leaves the file unchanged', async () => {
    const { code, stdout, stderr } = await moveStep(file, 'commit_trial_balance', '--before', 'review_extraction');
    assert.equal(code, 1, stdout + stderr);
    assert.match(stderr, /step "commit_trial_balance" \(line 170\) reads \$steps\.review_extraction \(line 127\), which would no longer run before it/);
    assert.match(stderr, /month-end-close\.yaml:\d+:\d+: error RB_STEP_ORDER step "commit_trial_balance" reads \$steps\.review_extraction/);
    assert.match(stderr, /note: step "review_extraction" is defined here/);
    assert.match(stderr, /is unchanged; --force writes the move anyway/);
    assert.equal(readFileSync(file, 'utf8'), original);
    noStack(stdout + stderr);
  });

  it('writes the unsafe move with --force', async () => {
    const { code, stdout, stderr } = await moveStep(file, 'commit_trial_balance', '--before', 'review_extraction', '--force');
    assert.equal(code, 0, stderr);
    assert.match(stdout, /moved step "commit_trial_balance" from position 6 to 5 .*--force/);
    assert.match(stderr, /RB_STEP_ORDER/);
    assert.deepEqual((outlineSteps(readFileSync(file, 'utf8')) ?? []).map((step) => step.id).slice(4, 6), ['commit_trial_balance', 'review_extraction']);
  });

  it('prints the unified diff with --dry-run and writes nothing', async () => {
    const { code, stdout, stderr } = await moveStep(file, 'close_period', '--to', '1', '--dry-run');
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^--- \/.*month-end-close\.yaml\n\+\+\+ \/.*month-end-close\.yaml\n@@ -55,6 \+55,17 @@\n max_go_backs: 3\n \n steps:\n\+  - id: close_period\n/);
    assert.match(stdout, /^-  - id: close_period$/m);
    assert.equal(readFileSync(file, 'utf8'), original);
  });

  it('moves a step to a 1-based position with --to', async () => {
    const { code, stderr } = await moveStep(file, 'close_period', '--to', '1');
    assert.equal(code, 0, stderr);
    assert.equal(outlineSteps(readFileSync(file, 'utf8'))?.[0].id, 'close_period');
  });

  it('exits 2 with a did-you-mean for an unknown step, and the file unchanged', async () => {
    const { code, stdout, stderr } = await moveStep(file, 'comit_trial_balance', '--to', '1');
    assert.equal(code, 2);
    assert.match(stderr, /EDIT_STEP_NOT_FOUND no step "comit_trial_balance" in the runbook \(did you mean "commit_trial_balance"\?\)/);
    const other = await moveStep(file, 'open_period', '--before', 'close_priod');
    assert.equal(other.code, 2);
    assert.match(other.stderr, /did you mean "close_period"/);
    assert.equal(readFileSync(file, 'utf8'), original);
    noStack(stdout + stderr + other.stdout + other.stderr);
  });

  it('exits 2 with the usage for usage errors', async () => {
    for (const args of [[file, 'open_period'], [file, 'open_period', '--to', '0'], [file, 'open_period', '--to', '1', '--after', 'x'], [file], [file, 'open_period', '--to', '99']]) {
      const { code, stdout, stderr } = await moveStep(...args);
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
      noStack(stdout + stderr);
    }
    const usage = await moveStep(file, 'open_period');
    assert.match(usage.stderr, /usage: runbook move-step FILE STEP/);
  });

  it('exits 2 naming the file and where the YAML stops parsing', async () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'slug: broken\nsteps:\n  - id: a\n    title: [unclosed\n');
    const { code, stdout, stderr } = await moveStep(broken, 'a', '--to', '1');
    assert.equal(code, 2);
    assert.match(stderr, /broken\.yaml:\d+:\d+: EDIT_NOT_A_RUNBOOK the text is not valid YAML/);
    noStack(stdout + stderr);
  });

  it('is listed in the help', async () => {
    const { stdout } = await runCli(['--help']);
    assert.match(stdout, /move-step/);
    const help = await runCli(['move-step', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--dry-run/);
  });
});
