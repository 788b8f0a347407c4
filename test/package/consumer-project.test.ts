/**
 * The package as a team adopts it: `npm pack`, installed into a fresh `npm init -y` project
 * (CommonJS, npm's default), then `runbook init`, `validate`, `test`, a scripted `run`, plain
 * `node` imports, a consumer type-check under `tsc --init` defaults, and a run on the real
 * Temporal server through `runbook worker` + `runbook start --wait`, all from that project.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { getTestTemporal, closeTestTemporal } from '../support/temporal-env.ts';
import { ROOT } from '../support/run-cli.ts';

const exec = promisify(execFile);
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let dir: string;
let project: string;
let tarball: string;
const children: ChildProcess[] = [];

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a user's shell: nothing of this repository's test run leaks in. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(TEMPORAL_|RUNBOOK_|NODE_OPTIONS|NODE_TEST|TSX_)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...extra };
}

async function sh(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<Result> {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd: options.cwd ?? project, env: options.env ?? userEnv(), timeout: options.timeout ?? 120_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? failed.message };
  }
}

/** `npx runbook ...` in the project, as the README tells a user. */
const runbook = (args: string[], env?: NodeJS.ProcessEnv): Promise<Result> => sh('npx', ['--no', 'runbook', ...args], { env });

const show = (result: Result): string => `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runbook-consumer-'));
  // lib/ is built by the test runner; --ignore-scripts so packing does not rebuild it under other tests' feet.
  const packed = await sh(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT });
  assert.equal(packed.code, 0, show(packed));
  tarball = join(dir, (JSON.parse(packed.stdout) as { filename: string }[])[0].filename);
  project = join(dir, 'my-team-runbooks');
  await mkdir(project);
  assert.equal((await sh(NPM, ['init', '-y'])).code, 0);
  // The install builds better-sqlite3 (the embedded document store) from source: minutes on a busy machine.
  const installed = await sh(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { timeout: 420_000 });
  assert.equal(installed.code, 0, show(installed));
}, { timeout: 480_000 });

after(async () => {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await closeTestTemporal();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the tarball ships compiled JavaScript, types, maps, LICENSE, schema and docs, and no tests, benches or sources', async () => {
  const listed = await sh('tar', ['-tzf', tarball]);
  const files = listed.stdout.split('\n').filter(Boolean).map((file) => file.replace(/^package\//, ''));
  for (const required of ['LICENSE', 'README.md', 'package.json', 'lib/index.js', 'lib/index.d.ts', 'lib/index.js.map', 'lib/temporal/workflow.js', 'lib/testing/index.js', 'lib/cli/main.js', 'schema/runbook.schema.json', 'schema/runbook-config.schema.json', 'bin/runbook.js', 'docs/getting-started.md']) {
    assert.ok(files.includes(required), `${required} is in the tarball`);
  }
  for (const forbidden of [/^test\//, /^bench\//, /^scripts\//, /^interpreter\//, /^handlers\//, /\.ts$/]) {
    // TypeScript ships only as declarations, and as the handler templates `runbook init` copies.
    const shipped = files.filter((file) => forbidden.test(file) && !file.endsWith('.d.ts') && !file.startsWith('templates/'));
    assert.deepEqual(shipped, [], `nothing matching ${forbidden} ships`);
  }
  const pkg = JSON.parse(readFileSync(join(project, 'node_modules', 'yaml-runbook', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  assert.ok(!('@temporalio/testing' in pkg.dependencies), '@temporalio/testing is a dev dependency');
  assert.ok(!existsSync(join(project, 'node_modules', 'yaml-runbook', '.venv')));
});

test('`runbook init` scaffolds a project that validates, tests and runs; a second init overwrites nothing', async () => {
  const init = await runbook(['init']);
  assert.equal(init.code, 0, show(init));
  for (const file of ['runbook.config.yaml', 'runbooks/invoice-approval.yaml', 'runbooks/invoice-approval.input.json', 'handlers/index.ts', 'handlers/invoices.ts', '.vscode/settings.json', '.github/workflows/runbooks.yml']) {
    assert.ok(existsSync(join(project, file)), `${file} created`);
  }
  assert.ok(readdirSync(join(project, 'tests')).some((file) => file.endsWith('.yaml')), 'a test case is created');
  const pkg = JSON.parse(await readFile(join(project, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.equal(pkg.scripts['runbooks:validate'], 'runbook validate');
  assert.match(pkg.scripts.test, /no test specified/, "the project's own scripts are kept");
  // The $schema line resolves from the user's repository.
  const runbookText = await readFile(join(project, 'runbooks', 'invoice-approval.yaml'), 'utf8');
  const schemaPath = /\$schema=(\S+)/.exec(runbookText)?.[1];
  assert.ok(schemaPath && existsSync(join(project, 'runbooks', schemaPath)), `${schemaPath} exists`);
  // VS Code resolves yaml.schemas from the workspace root.
  const settings = JSON.parse(await readFile(join(project, '.vscode', 'settings.json'), 'utf8')) as { 'yaml.schemas': Record<string, string[]> };
  for (const schema of Object.keys(settings['yaml.schemas'])) assert.ok(existsSync(join(project, schema)), `${schema} exists from the project root`);

  const again = await runbook(['init']);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /skipped\s+runbooks\/invoice-approval\.yaml\s+\(exists\)/);
  assert.doesNotMatch(again.stdout, /created/);

  const validate = await runbook(['validate']);
  assert.equal(validate.code, 0, show(validate));
  assert.match(validate.stdout, /1 file, 0 errors/);
  assert.doesNotMatch(validate.stderr, /skipped|not checked/, 'handler checks ran');

  const tested = await runbook(['test']);
  assert.equal(tested.code, 0, show(tested));
  assert.match(tested.stdout, /\d+ passed, 0 failed/);

  const run = await runbook(['run', 'invoice-approval', '--input', 'runbooks/invoice-approval.input.json', '--answer', 'approve=approved']);
  assert.equal(run.code, 0, show(run));
  assert.match(JSON.parse(run.stdout).invoice_id, /^inv-/);
});

test('a misspelled handler fails validate at its line; a broken handlers directory is exit 2 naming the file', async () => {
  const file = join(project, 'runbooks', 'typo.yaml');
  const text = (await readFile(join(project, 'runbooks', 'invoice-approval.yaml'), 'utf8')).replace('slug: invoice-approval', 'slug: typo').replace('invoices.check_policy', 'invoices.check_polcy');
  await writeFile(file, text);
  const typo = await runbook(['validate']);
  assert.equal(typo.code, 1, show(typo));
  assert.match(typo.stdout, /runbooks\/typo\.yaml:\d+:\d+: error RB_UNKNOWN_HANDLER .*did you mean "invoices\.check_policy"/);
  for (const format of ['json', 'github']) {
    const formatted = await runbook(['validate', '--format', format]);
    assert.equal(formatted.code, 1);
    assert.match(formatted.stdout, /RB_UNKNOWN_HANDLER/, `--format ${format} reports it`);
  }
  await rm(file);

  await mkdir(join(project, 'broken-handlers'));
  await writeFile(join(project, 'broken-handlers', 'index.ts'), "import { gone } from './missing.js';\nexport const handlers = [gone];\n");
  const broken = await runbook(['validate', '--handlers', 'broken-handlers']);
  assert.equal(broken.code, 2, show(broken));
  assert.match(broken.stderr, /HANDLERS_LOAD_FAILED: .*broken-handlers\/index\.ts/);
  assert.doesNotMatch(broken.stderr, /\n\s+at /, 'no stack trace');
  const uncached = await runbook(['validate', '--no-cache', '--handlers', 'broken-handlers']);
  assert.equal(uncached.code, 2, show(uncached));
  assert.doesNotMatch(uncached.stderr, /\n\s+at /, 'no stack trace without the cache either');
  const skipped = await runbook(['validate', '--skip-handlers', '--format', 'json']);
  assert.equal(skipped.code, 0);
  assert.match(skipped.stderr, /--skip-handlers/, 'skipping is said, in every format');
});

test('the same project as "type": "module" validates, tests and runs; `init DIR` declares the dependency', async () => {
  const file = join(project, 'package.json');
  const original = await readFile(file, 'utf8');
  await writeFile(file, JSON.stringify({ ...JSON.parse(original), type: 'module' }, null, 2));
  try {
    for (const args of [['validate', '--no-cache'], ['test'], ['run', 'invoice-approval', '--input', 'runbooks/invoice-approval.input.json', '--answer', 'approve=approved']]) {
      const result = await runbook(args);
      assert.equal(result.code, 0, `${args.join(' ')}: ${show(result)}`);
    }
  } finally {
    await writeFile(file, original);
  }
  const init = await runbook(['init', 'packages/close']);
  assert.equal(init.code, 0, show(init));
  const created = JSON.parse(await readFile(join(project, 'packages', 'close', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  assert.match(created.dependencies['yaml-runbook'], /^\^\d+\.\d+\.\d+/, 'the package is a (runtime) dependency');
  const nested = await sh('npx', ['--no', 'runbook', 'validate'], { cwd: join(project, 'packages', 'close') });
  assert.equal(nested.code, 0, `the nested project finds the installed package: ${show(nested)}`);
  await rm(join(project, 'packages'), { recursive: true, force: true });
});

test('plain node imports the package from CommonJS and ESM; a consumer type-checks under `tsc --init` defaults', async () => {
  const cjs = await sh(process.execPath, ['-e', "const r = require('yaml-runbook'); const t = require('yaml-runbook/testing'); console.log(typeof r.openRunbooks, typeof r.defineHandler, typeof t.testHandler)"]);
  assert.equal(cjs.code, 0, show(cjs));
  assert.equal(cjs.stdout.trim(), 'function function function');
  await writeFile(join(project, 'check.mjs'), "import { openRunbooks, validateRunbookFiles } from 'yaml-runbook';\nimport { TemporalRunClient } from 'yaml-runbook/temporal';\nimport schema from 'yaml-runbook/schema.json' with { type: 'json' };\nconsole.log(typeof openRunbooks, typeof validateRunbookFiles, typeof TemporalRunClient, schema.title ?? typeof schema);\n");
  const esm = await sh(process.execPath, ['check.mjs']);
  assert.equal(esm.code, 0, show(esm));
  assert.match(esm.stdout, /^function function function /);

  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const consumer = join(dir, 'ts-consumer');
  await mkdir(consumer);
  await writeFile(join(consumer, 'package.json'), '{ "name": "ts-consumer", "version": "1.0.0", "type": "module" }\n');
  // The installed package, as a dependency of this second project.
  await sh('ln', ['-s', join(project, 'node_modules'), join(consumer, 'node_modules')], { cwd: consumer });
  assert.equal((await sh(process.execPath, [tsc, '--init'], { cwd: consumer })).code, 0);
  await writeFile(
    join(consumer, 'index.ts'),
    [
      "import { defineHandler, openRunbooks, WorkflowError, z, type Runbook, type RunHandle } from 'yaml-runbook';",
      "import { TemporalRunClient } from 'yaml-runbook/temporal';",
      "import { invokeHandler, testHandler } from 'yaml-runbook/testing';",
      "export const hello = defineHandler({ name: 'hello.say', input: z.object({ who: z.string() }), output: z.object({ text: z.string() }), async run({ who }) { if (!who) throw new WorkflowError('nobody', { type: 'NOBODY' }); return { text: `hi ${who}` }; } });",
      'export async function main(): Promise<unknown> {',
      "  const runtime = await openRunbooks({ runbooks: 'runbooks', handlers: 'handlers' });",
      "  const run: RunHandle = runtime.start('invoice-approval', {});",
      '  const title: Runbook["title"] = "x";',
      '  void TemporalRunClient; void title;',
      "  const tested = await testHandler(hello, { who: 'me' }, { attempt: 2 });",
      "  const text: string = tested.output.text;",
      '  void invokeHandler;',
      "  return [await run.result(), text, tested.logs.length];",
      '}',
      '',
    ].join('\n'),
  );
  const checked = await sh(process.execPath, [tsc, '--noEmit', '-p', '.'], { cwd: consumer });
  assert.equal(checked.code, 0, show(checked));
});

test('from that project, a runbook runs to completion on the Temporal server via `runbook worker` and `runbook start --wait`', async () => {
  const temporal = await getTestTemporal();
  const env = userEnv({ TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, TEMPORAL_TASK_QUEUE: temporal.taskQueue('consumer') });
  const worker = spawn(join(project, 'node_modules', '.bin', 'runbook'), ['worker'], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(worker);
  let output = '';
  worker.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  worker.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 90_000;
  while (!/runbook worker: .*runbooks: invoice-approval/.test(output)) {
    assert.ok(worker.exitCode === null, `the worker exited: ${output}`);
    assert.ok(Date.now() < deadline, `the worker did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await writeFile(join(project, 'small.json'), JSON.stringify({ vendor: 'Paper Co', amount: 40 }));
  const started = await runbook(['start', 'invoice-approval', '--input', 'small.json', '--wait'], env);
  assert.equal(started.code, 0, `${show(started)}\n--- worker\n${output}`);
  assert.deepEqual(Object.keys(JSON.parse(started.stdout)).sort(), ['invoice_id', 'needed_approval']);
  assert.equal(JSON.parse(started.stdout).needed_approval, false);
  assert.ok(existsSync(join(project, '.runbook', 'worker-definitions.json')), 'the worker state file is in the state directory');
  assert.ok(!readdirSync(join(project, 'runbooks')).some((file) => file.startsWith('.')), 'nothing is written into runbooks/');
  const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
  worker.kill('SIGTERM');
  assert.equal(await exited, 0, `the worker stops cleanly on SIGTERM: ${output}`);
});
