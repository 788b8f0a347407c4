import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertNoStack, runCli } from '../support/run-cli.ts';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

test('`runbook run` shows the target\'s own diagnostics, and only counts errors in unrelated runbook files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'runbook-run-notes-'));
  dirs.push(dir);
  await writeFile(join(dir, 'target.yaml'), 'slug: target\ntitle: Target\nsteps:\n  - id: echo\n    title: Echo\n    call: { handler: util.echo, args: { value: 1 } }\n');
  await writeFile(join(dir, 'broken.yaml'), 'slug: broken\ntitle: Broken\nsteps:\n  - id: a\n    title: A\n    call: { handler: util.nope }\n');
  const result = await runCli(['run', 'target', '--runbooks', dir], { env: { ...process.env, TEMPORAL_ADDRESS: '' } });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /note: 1 other runbook file with errors, not loaded \(.*broken\.yaml\); `runbook validate` lists them/);
  assert.doesNotMatch(result.stderr, /RB_UNKNOWN_HANDLER/, 'the unrelated file\'s diagnostics are not printed');
  assertNoStack(result);
});
