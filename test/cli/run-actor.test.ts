/**
 * `runbook run --actor NAME` (or RUNBOOK_ACTOR) records who answers: the review's decision record
 * (`$steps.<review>.actor`) and the document a later commit stores (its `actor`, the last reviewer),
 * on both runtimes. Without either, nothing is invented (null).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeTestTemporal, getTestTemporal, type TestTemporal } from '../support/temporal-env.ts';
import { assertNoStack, ROOT, runCli } from '../support/run-cli.ts';
import { openSqliteDocumentStore } from '../../interpreter/documents/index.ts';

let temporal: TestTemporal;
let project: string;

const RUNBOOK = `slug: actor-check
title: Actor check
steps:
  - id: check
    title: Check
    review: { payload: { amount: 10 } }
  - id: store
    title: Store
    commit:
      document: actor_check
      key: { entity: '{% $input.entity %}' }
      value: '{% $steps.check.action %}'
output:
  reviewer: '{% $steps.check.actor %}'
  version: '{% $steps.store.version %}'
`;

before(async () => {
  temporal = await getTestTemporal();
  project = await mkdtemp(join(tmpdir(), 'runbook-run-actor-'));
  await writeFile(join(project, 'actor-check.yaml'), RUNBOOK);
});

after(async () => {
  await closeTestTemporal();
  await rm(project, { recursive: true, force: true });
});

async function run(entity: string, runtime: 'local' | 'temporal', actor: { flag?: string; env?: string }) {
  await writeFile(join(project, `input-${entity}.json`), JSON.stringify({ entity }));
  const args = ['run', 'actor-check.yaml', '--handlers', join(ROOT, 'handlers'), '--runtime', runtime, '--input', `input-${entity}.json`, '--answer', 'check=approved'];
  if (actor.flag !== undefined) args.push('--actor', actor.flag);
  const env: NodeJS.ProcessEnv = { ...process.env, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace };
  delete env.RUNBOOK_STATE_DIR;
  delete env.RUNBOOK_DOCUMENTS_URL;
  delete env.RUNBOOK_ACTOR;
  if (actor.env !== undefined) env.RUNBOOK_ACTOR = actor.env;
  const result = await runCli(args, { cwd: project, env, timeoutMs: 90_000 });
  assert.equal(result.code, 0, result.stderr);
  assertNoStack(result);
  const store = await openSqliteDocumentStore(join(project, '.runbook', 'documents.sqlite'));
  try {
    const committed = await store.find({ document: 'actor_check', where: { entity } });
    return { output: JSON.parse(result.stdout) as { reviewer: unknown; version: number }, committedActor: committed?.actor, stderr: result.stderr };
  } finally {
    await store.close();
  }
}

const entity = (name: string): string => `${name}-${process.pid}-${Date.now().toString(36)}`;

test('in-process: --actor is the reviewer in the decision record and the commit', async () => {
  const { output, committedActor } = await run(entity('local-flag'), 'local', { flag: 'ada@example.com', env: 'ignored@example.com' });
  assert.deepEqual(output, { reviewer: 'ada@example.com', version: 1 });
  assert.equal(committedActor, 'ada@example.com');
});

test('in-process: RUNBOOK_ACTOR when no flag; neither: null', async () => {
  const fromEnv = await run(entity('local-env'), 'local', { env: 'grace@example.com' });
  assert.equal(fromEnv.output.reviewer, 'grace@example.com');
  assert.equal(fromEnv.committedActor, 'grace@example.com');
  const nobody = await run(entity('local-none'), 'local', {});
  assert.equal(nobody.output.reviewer ?? null, null);
  assert.equal(nobody.committedActor, null);
});

test('on Temporal: --actor and RUNBOOK_ACTOR are recorded the same way', async () => {
  const flag = await run(entity('temporal-flag'), 'temporal', { flag: 'ada@example.com' });
  assert.deepEqual(flag.output, { reviewer: 'ada@example.com', version: 1 });
  assert.equal(flag.committedActor, 'ada@example.com');
  // The INFO line names the flag that chose the runtime, not an API.
  assert.match(flag.stderr, /TemporalRuntime active \(--runtime temporal\)/);
  assert.doesNotMatch(flag.stderr, /setRuntime/);
  const fromEnv = await run(entity('temporal-env'), 'temporal', { env: 'grace@example.com' });
  assert.equal(fromEnv.output.reviewer, 'grace@example.com');
  assert.equal(fromEnv.committedActor, 'grace@example.com');
});

test('--help documents --actor and RUNBOOK_ACTOR', async () => {
  const help = await runCli(['run', '--help']);
  assert.match(help.stdout, /--actor NAME\s+who runs it/);
  assert.match(help.stdout, /RUNBOOK_ACTOR \(--actor\)/);
});
