import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, findConfigFile, resolveProjectConfig } from '../../interpreter/config/index.ts';
import { buildConfigJsonSchema } from '../../interpreter/config/config-format.ts';
import { ROOT, runCli } from '../support/run-cli.ts';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function project(config?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'runbook-config-'));
  dirs.push(dir);
  if (config !== undefined) await writeFile(join(dir, 'runbook.config.yaml'), config);
  return dir;
}

const CONFIG = `# team config
runbooks: flows
handlers: src/handlers
state_dir: var/state
temporal:
  address: temporal.internal:7233
  namespace: finance
`;

test('the nearest runbook.config.yaml is found walking up from the working directory', async () => {
  const root = await project(CONFIG);
  const nested = join(root, 'flows', 'deep', 'er');
  await mkdir(nested, { recursive: true });
  assert.equal(findConfigFile(nested), join(root, 'runbook.config.yaml'));
  const config = resolveProjectConfig({ cwd: nested, env: {} });
  assert.equal(config.root, root);
  assert.equal(config.runbooks.value, join(root, 'flows'), 'paths are relative to the config file, not the working directory');
  assert.equal(config.handlers.value, join(root, 'src', 'handlers'));
  assert.equal(config.stateDir.value, join(root, 'var', 'state'));
  assert.match(config.runbooks.source, /runbook\.config\.yaml:2$/);
  assert.match(config.temporal.namespace.source, /runbook\.config\.yaml:7$/);
  assert.equal(config.temporal.taskQueue.value, 'runbooks');
  assert.equal(config.temporal.taskQueue.source, 'default');
});

test('flags override the environment, which overrides the file, which overrides the defaults', async () => {
  const root = await project(CONFIG);
  const env = { TEMPORAL_ADDRESS: 'env-host:7233', TEMPORAL_TASK_QUEUE: 'env-queue', RUNBOOK_STATE_DIR: '/tmp/env-state' };
  const config = resolveProjectConfig({ cwd: root, env, flags: { taskQueue: 'flag-queue', runbooks: 'other' } });
  assert.deepEqual([config.temporal.address.value, config.temporal.address.source], ['env-host:7233', 'env TEMPORAL_ADDRESS']);
  assert.deepEqual([config.temporal.taskQueue.value, config.temporal.taskQueue.source], ['flag-queue', 'flag --task-queue']);
  assert.deepEqual([config.runbooks.value, config.runbooks.source], [join(root, 'other'), 'flag --runbooks']);
  assert.deepEqual([config.stateDir.value, config.stateDir.source], ['/tmp/env-state', 'env RUNBOOK_STATE_DIR']);
  const none = resolveProjectConfig({ cwd: await project(), env: {} });
  assert.equal(none.file, undefined);
  assert.equal(none.runbooks.source, 'default');
  assert.equal(none.handlers.value, join(none.root, 'handlers'));
});

test('a bad config file is a CONFIG_INVALID error at its line and column', async () => {
  const cases: [string, number, number, RegExp][] = [
    ['runbooks: flows\nhandler: src\n', 2, 1, /Unrecognized key.*handler.*did you mean "handlers"/i],
    ['temporal:\n  adress: x:1\n', 2, 3, /did you mean "address"/],
    ['temporal:\n  address: no-port\n', 2, 12, /temporal\.address/],
    ['runbooks: [a, b]\n', 1, 11, /runbooks/],
    ['runbooks: a\nrunbooks: b\n', 2, 1, /YAML/],
  ];
  for (const [text, line, column, message] of cases) {
    const root = await project(text);
    assert.throws(
      () => resolveProjectConfig({ cwd: root, env: {} }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError, String(error));
        assert.equal(error.code, 'CONFIG_INVALID');
        assert.deepEqual([error.line, error.column], [line, column], `${JSON.stringify(text)}: ${error.message}`);
        assert.match(error.message, message);
        return true;
      },
    );
  }
});

test('`runbook config` prints each resolved value with where it came from; a bad file is exit 2 with its location', async () => {
  const root = await project(CONFIG);
  const pretty = await runCli(['config'], { cwd: root, env: { ...process.env, TEMPORAL_ADDRESS: 'from-env:7233' } });
  assert.equal(pretty.code, 0, pretty.stderr);
  assert.match(pretty.stdout, /config file: runbook\.config\.yaml/);
  assert.match(pretty.stdout, /runbooks\s+flows\s+\(runbook\.config\.yaml:2\)/);
  assert.match(pretty.stdout, /temporal\.address\s+from-env:7233\s+\(env TEMPORAL_ADDRESS\)/);
  assert.match(pretty.stdout, /temporal\.task_queue\s+runbooks\s+\(default\)/);
  const json = JSON.parse((await runCli(['config', '--format', 'json'], { cwd: join(root) })).stdout) as { settings: Record<string, { value: string; source: string }> };
  assert.equal(json.settings['temporal.namespace'].value, 'finance');

  await writeFile(join(root, 'runbook.config.yaml'), 'runbooks: flows\nstate-dir: x\n');
  const bad = await runCli(['validate'], { cwd: root });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /runbook\.config\.yaml:2:1: CONFIG_INVALID: .*state-dir/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
});

test('every command honours the config: validate checks the configured runbooks with the configured handlers', async () => {
  const root = await project('runbooks: flows\nhandlers: ' + join(ROOT, 'handlers') + '\n');
  await mkdir(join(root, 'flows'));
  const runbook = (handler: string): string => `slug: demo\ntitle: Demo\nsteps:\n  - id: a\n    title: A\n    call: { handler: ${handler}, args: { value: 1 } }\n`;
  await writeFile(join(root, 'flows', 'demo.yaml'), runbook('util.echo'));
  const ok = await runCli(['validate'], { cwd: root });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /1 file, 0 errors/);
  await writeFile(join(root, 'flows', 'demo.yaml'), runbook('util.ecko'));
  const typo = await runCli(['validate'], { cwd: root });
  assert.equal(typo.code, 1);
  assert.match(typo.stdout, /flows\/demo\.yaml:6:\d+: error RB_UNKNOWN_HANDLER/);
  // handlers: false is the explicit way to skip, and it is said.
  await writeFile(join(root, 'runbook.config.yaml'), 'runbooks: flows\nhandlers: false\n');
  const skipped = await runCli(['validate'], { cwd: root });
  assert.equal(skipped.code, 0);
  assert.match(skipped.stderr, /not checked against handler contracts/);
});

test('schema/runbook-config.schema.json is what the zod config format generates (run `npm run gen:schema` if this fails)', async () => {
  const current = await readFile(join(ROOT, 'schema', 'runbook-config.schema.json'), 'utf8');
  assert.equal(current, JSON.stringify(buildConfigJsonSchema(), null, 2) + '\n');
});
