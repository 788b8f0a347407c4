/**
 * Handler entries loaded as `runbook validate` loads them (`bundle: true`) by the compiled package in
 * plain Node (no TypeScript loader active): the project's files built by esbuild into one module
 * (handlers/bundle-project-module.ts). What a handler sees must be what it would see run file by file:
 * its own import.meta.url and __dirname, require() of packages, tsconfig path aliases, one instance of
 * a module imported twice, stack traces naming its own files and lines. Whatever the build cannot do
 * falls back to the loader, with the loader's outcome and errors.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '..', '..');
const LIB = pathToFileURL(join(ROOT, 'lib', 'index.js')).href;

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function project(type: 'module' | 'commonjs', files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'runbook-bundled-'));
  dirs.push(dir);
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'p', version: '1.0.0', type }));
  // The project's own packages: zod, as a team's project has it.
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  return dir;
}

interface Loaded {
  readonly names?: string[];
  readonly results?: unknown[];
  readonly code?: string;
  readonly message?: string;
  readonly stack?: string;
}

/** Loads `handlers/` of `dir` in a plain node process with the compiled package, calls each handler, and reports. */
function load(dir: string, options: { twice?: boolean; cacheDir?: string } = {}): Loaded {
  const script = `const { loadHandlerRegistry } = await import(${JSON.stringify(LIB)});
try {
  const registry = await loadHandlerRegistry('handlers', { bundle: true });
  ${options.twice ? "const again = await loadHandlerRegistry('handlers', { bundle: true }); if (again.get(registry.names()[0]) !== registry.get(registry.names()[0])) throw new Error('a second load made a second instance');" : ''}
  const results = [];
  let stack;
  for (const name of registry.names()) {
    try { results.push(await registry.get(name).run({}, {})); } catch (error) { stack = error.stack; results.push('threw'); }
  }
  console.log(JSON.stringify({ names: registry.names(), results, stack }));
} catch (error) {
  console.log(JSON.stringify({ code: error.code, message: error.message }));
}`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '', ...(options.cacheDir ? { RUNBOOK_CACHE_DIR: options.cacheDir } : {}) } });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout.trim()) as Loaded;
}

const handler = (name: string, body: string): string =>
  `{ name: ${JSON.stringify(name)}, input: { safeParse: (v: unknown) => ({ success: true, data: v }) }, output: { safeParse: (v: unknown) => ({ success: true, data: v }) }, async run() { ${body} } }`;

test('each file keeps its own import.meta.url and __dirname; require() of a package works in a CommonJS project', async () => {
  const dir = await project('commonjs', {
    'handlers/index.ts': "import { where } from './nested/where.js';\nexport const handlers = [where];\n",
    'handlers/nested/where.ts': [
      "const z = require('zod');",
      "import { basename } from 'node:path';",
      `export const where = ${handler('demo.where', "return { dir: basename(__dirname), file: basename(__filename), url: import.meta.url.endsWith('/handlers/nested/where.ts'), zod: typeof z.object };")};`,
    ].join('\n'),
  });
  const loaded = load(dir);
  assert.deepEqual(loaded.names, ['demo.where'], loaded.message);
  assert.deepEqual(loaded.results, [{ dir: 'nested', file: 'where.ts', url: true, zod: 'function' }]);
});

test('an ESM project: packages are the instances Node resolves, tsconfig paths resolve, a module imported twice runs once', async () => {
  const dir = await project('module', {
    'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@shared/*': ['src/shared/*'] } } }),
    'src/shared/counter.ts': 'export let loads = 0;\nloads++;\nexport const count = () => loads;\n',
    'handlers/a.ts': "import { count } from '@shared/counter.ts';\nexport const a = count;\n",
    'handlers/b.ts': "import { count } from '../src/shared/counter.ts';\nexport const b = count;\n",
    'handlers/index.ts': [
      "import { z } from 'zod';",
      "import { a } from './a.ts';",
      "import { b } from './b.ts';",
      "import { createRequire } from 'node:module';",
      // The zod a handler imports is the file Node loads for `import 'zod'` from the project.
      "const nodeZod = await import(import.meta.resolve('zod'));",
      `export const handlers = [${handler('demo.shared', 'return { loads: a() + b(), same: a === b, zod: z === nodeZod.z, url: import.meta.url.endsWith("/handlers/index.ts"), require: typeof createRequire };')}];`,
    ].join('\n'),
  });
  const loaded = load(dir, { twice: true });
  assert.deepEqual(loaded.names, ['demo.shared'], loaded.message);
  assert.deepEqual(loaded.results, [{ loads: 2, same: true, zod: true, url: true, require: 'function' }]);
});

test('a handler that throws at run time has a stack naming its own file and line', async () => {
  const dir = await project('module', {
    'handlers/index.ts': "import { failing } from './failing.ts';\nexport const handlers = [failing];\n",
    'handlers/failing.ts': `type T = { a: number };\n\nexport const failing = ${handler('demo.failing', "const t: T = { a: 1 };\n    throw new Error('failed with ' + t.a);")};\n`,
  });
  const loaded = load(dir);
  assert.deepEqual(loaded.results, ['threw'], loaded.message);
  assert.match(loaded.stack ?? '', /Error: failed with 1\n\s+at .*\/handlers\/failing\.ts:4:11/);
});

test('an optional package imported dynamically inside try does not stop the load', async () => {
  const dir = await project('module', {
    'handlers/index.ts': `let driver = 'none';\ntry { await import('no-such-optional-driver'); driver = 'found'; } catch { driver = 'missing'; }\nexport const handlers = [${handler('demo.optional', 'return driver;')}];\n`,
  });
  const loaded = load(dir);
  assert.deepEqual(loaded.results, ['missing'], loaded.message);
});

test('an entry that cannot be built falls back to the loader: its outcome, and its errors naming the place', async () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['a syntax error in an imported module', { 'handlers/index.ts': "import { x } from './b.js';\nexport const handlers = [x];\n", 'handlers/b.ts': 'export const x = ;\n' }, /handlers\/b\.ts:1:17: Unexpected ";"/],
    ['a missing relative module', { 'handlers/index.ts': "import './nope.js';\nexport const handlers = [];\n" }, /Cannot find module '\.\/nope\.js' \(imported from \/.*handlers\/index\.ts\)$/],
    ['a missing package', { 'handlers/index.ts': "\nimport 'no-such-package-here';\nexport const handlers = [];\n" }, /Cannot find module 'no-such-package-here'/],
    ['an error thrown while loading', { 'handlers/index.ts': "export const handlers = [];\nthrow new Error('API_KEY is not set');\n" }, /API_KEY is not set \(at \/.*handlers\/index\.ts/],
  ];
  for (const [what, files, message] of cases) {
    const dir = await project('commonjs', files);
    const loaded = load(dir);
    assert.equal(loaded.code, 'HANDLERS_LOAD_FAILED', `${what}: ${JSON.stringify(loaded)}`);
    assert.match(loaded.message ?? '', message, what);
    assert.doesNotMatch(loaded.message ?? '', /yaml-runbook\/modules|node:internal|\/lib\/handlers\/|namespace=/, `${what}: no bundle or loader internals in ${loaded.message}`);
  }
});

test('what the build imports differently from the loader falls back to it: a CommonJS package whose names only run time shows', async () => {
  const dir = await project('commonjs', {
    // Named exports Node's CommonJS lexer cannot see: an ESM import of them fails, the loader's require works.
    'vendor/dynamic-exports/package.json': JSON.stringify({ name: 'dynamic-exports', version: '1.0.0', main: 'index.js' }),
    'vendor/dynamic-exports/index.js': "Object.assign(module.exports, { enable() { return 'on'; } });\n",
    'handlers/index.ts': `import { enable } from 'dynamic-exports';\nexport const handlers = [${handler('demo.enable', 'return enable();')}];\n`,
  });
  await rm(join(dir, 'node_modules'));
  await mkdir(join(dir, 'node_modules'));
  await symlink(join(ROOT, 'node_modules', 'zod'), join(dir, 'node_modules', 'zod'));
  await symlink(join(dir, 'vendor', 'dynamic-exports'), join(dir, 'node_modules', 'dynamic-exports'));
  const loaded = load(dir);
  assert.deepEqual(loaded.names, ['demo.enable'], loaded.message);
  assert.deepEqual(loaded.results, ['on']);
});

test('a build is reused while its files are unchanged, and made again when one changes (a file, a tsconfig)', async () => {
  const dir = await project('module', {
    'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@lib/*': ['./lib/a/*'] } } }),
    'lib/a/value.ts': "export const value = 'a';\n",
    'lib/b/value.ts': "export const value = 'b';\n",
    'handlers/index.ts': `import { value } from '@lib/value.ts';\nimport { suffix } from './suffix.ts';\nexport const handlers = [${handler('demo.value', 'return value + suffix;')}];\n`,
    'handlers/suffix.ts': "export const suffix = '1';\n",
  });
  const cacheDir = join(dir, 'user-cache');
  const outputs = async (): Promise<string[]> => (await readdir(join(cacheDir, 'modules'))).filter((name) => name.endsWith('.mjs')).sort();
  assert.deepEqual(load(dir, { cacheDir }).results, ['a1']);
  const first = await outputs();
  assert.equal(first.length, 1);
  assert.deepEqual(load(dir, { cacheDir }).results, ['a1'], 'unchanged: the same output');
  assert.deepEqual(await outputs(), first);
  await writeFile(join(dir, 'handlers', 'suffix.ts'), "export const suffix = '22';\n");
  assert.deepEqual(load(dir, { cacheDir }).results, ['a22'], 'a changed file is built again');
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { paths: { '@lib/*': ['./lib/b/*'] } } }));
  assert.deepEqual(load(dir, { cacheDir }).results, ['b22'], 'a changed tsconfig is built again');
  assert.equal((await outputs()).length, 3);
  // A file added that an import now resolves to (./suffix resolved to suffix/index.ts, now to suffix.ts).
  await rm(join(dir, 'handlers', 'suffix.ts'));
  await mkdir(join(dir, 'handlers', 'suffix'));
  await writeFile(join(dir, 'handlers', 'suffix', 'index.ts'), "export const suffix = 'dir';\n");
  await writeFile(join(dir, 'handlers', 'index.ts'), `import { value } from '@lib/value.ts';\nimport { suffix } from './suffix';\nexport const handlers = [${handler('demo.value', 'return value + suffix;')}];\n`);
  assert.deepEqual(load(dir, { cacheDir }).results, ['bdir']);
  await writeFile(join(dir, 'handlers', 'suffix.ts'), "export const suffix = 'file';\n");
  assert.deepEqual(load(dir, { cacheDir }).results, ['bfile'], 'a file added beside an input is seen');
  // A base config named by `extends`.
  await mkdir(join(dir, 'cfg'));
  await writeFile(join(dir, 'cfg', 'base.json'), JSON.stringify({ compilerOptions: { paths: { '@lib/*': ['../lib/a/*'] } } }));
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ extends: './cfg/base.json' }));
  assert.deepEqual(load(dir, { cacheDir }).results, ['afile']);
  await writeFile(join(dir, 'cfg', 'base.json'), JSON.stringify({ compilerOptions: { paths: { '@lib/*': ['../lib/b/*'] } } }));
  assert.deepEqual(load(dir, { cacheDir }).results, ['bfile'], 'an extended tsconfig changed is built again');
});
