/** Loading a project's handler entry: TypeScript and JavaScript, ESM and CommonJS, and errors that name the place. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HandlersLoadError, loadHandlerRegistry } from '../../interpreter/handlers/index.ts';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A project directory with `files` (paths relative to it); `type` is package.json's module type. */
async function project(type: 'module' | 'commonjs', files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'runbook-handlers-'));
  dirs.push(dir);
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'p', version: '1.0.0', type }));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  return dir;
}

const HANDLER = "{ name: 'demo.ping', input: { safeParse: (v) => ({ success: true, data: v }) }, output: { safeParse: (v) => ({ success: true, data: v }) }, async run() { return 'pong'; } }";

test('handler entries load in ESM and CommonJS projects, as TypeScript (ESM syntax) or JavaScript (either syntax)', async () => {
  const cases: [string, 'module' | 'commonjs', Record<string, string>][] = [
    ['TypeScript in a CommonJS project', 'commonjs', { 'handlers/index.ts': "import { ping } from './ping.js';\nexport const handlers = [ping];\n", 'handlers/ping.ts': `export const ping: { name: string } = ${HANDLER};\n` }],
    ['TypeScript in an ESM project', 'module', { 'handlers/index.ts': "import { ping } from './ping.ts';\nexport const handlers = [ping];\n", 'handlers/ping.ts': `export const ping = ${HANDLER};\n` }],
    ['CommonJS JavaScript', 'commonjs', { 'handlers/index.js': `const ping = ${HANDLER};\nmodule.exports = { handlers: [ping] };\n` }],
    ['ESM JavaScript', 'module', { 'handlers/index.js': `export const handlers = [${HANDLER}];\n` }],
    ['an .mjs entry', 'commonjs', { 'handlers/index.mjs': `export const handlers = [${HANDLER}];\n` }],
  ];
  for (const [what, type, files] of cases) {
    const dir = await project(type, files);
    const registry = await loadHandlerRegistry(join(dir, 'handlers'));
    assert.deepEqual(registry.names(), ['demo.ping'], what);
  }
});

test('an entry that cannot be loaded is a HandlersLoadError naming the file and the place of the cause', async () => {
  const cases: [string, Record<string, string>, string, RegExp][] = [
    ['a syntax error in an imported module', { 'handlers/index.ts': "import { x } from './b.js';\nexport const handlers = [x];\n", 'handlers/b.ts': 'export const x = ;\n' }, 'HANDLERS_LOAD_FAILED', /handlers\/b\.ts:1:17: Unexpected ";"/],
    ['a missing relative module', { 'handlers/index.ts': "import './nope.js';\nexport const handlers = [];\n" }, 'HANDLERS_LOAD_FAILED', /Cannot find module '\.\/nope\.js' \(imported from \/.*handlers\/index\.ts\)$/],
    ['a missing package', { 'handlers/index.ts': "import 'no-such-package-here';\nexport const handlers = [];\n" }, 'HANDLERS_LOAD_FAILED', /Cannot find module 'no-such-package-here'/],
    ['an error thrown while loading', { 'handlers/index.ts': "export const handlers = [];\nthrow new Error('API_KEY is not set');\n" }, 'HANDLERS_LOAD_FAILED', /API_KEY is not set \(at \/.*handlers\/index\.ts/],
    ['no handlers export', { 'handlers/index.ts': 'export const others = [];\n' }, 'HANDLERS_INVALID', /must export `handlers`/],
    ['an entry that is not a handler', { 'handlers/index.ts': 'export const handlers = [42];\n' }, 'HANDLERS_INVALID', /handlers\[0\] is not a defineHandler/],
    ['no entry file', { 'handlers/readme.md': 'nothing\n' }, 'HANDLERS_NOT_FOUND', /no index\.ts/],
  ];
  for (const [what, files, code, message] of cases) {
    const dir = await project('commonjs', files);
    await assert.rejects(loadHandlerRegistry(join(dir, 'handlers')), (error: unknown) => {
      assert.ok(error instanceof HandlersLoadError, `${what}: ${String(error)}`);
      assert.equal(error.code, code, what);
      assert.match(error.message, message, what);
      assert.doesNotMatch(error.message, /namespace=|node:internal|\/lib\/handlers\//, `${what}: no loader internals in ${error.message}`);
      return true;
    });
  }
  await assert.rejects(loadHandlerRegistry(join(tmpdir(), 'no-such-handlers-dir')), { code: 'HANDLERS_NOT_FOUND' });
});

test('the same TypeScript entry loads twice in one plain-node process (the console and move-step load handlers more than once)', async () => {
  const { spawnSync } = await import('node:child_process');
  const { pathToFileURL } = await import('node:url');
  const dir = await project('commonjs', { 'handlers/index.ts': "import { ping } from './ping.js';\nexport const handlers = [ping];\n", 'handlers/ping.ts': `export const ping: { name: string } = ${HANDLER};\n` });
  const lib = pathToFileURL(join(import.meta.dirname, '..', '..', 'lib', 'index.js')).href;
  const script = `const { loadHandlerRegistry } = await import(${JSON.stringify(lib)});
const a = await loadHandlerRegistry(${JSON.stringify(join(dir, 'handlers'))});
const b = await loadHandlerRegistry(${JSON.stringify(join(dir, 'handlers'))});
console.log(JSON.stringify([a.names(), b.names()]));`;
  // Plain node, no tsx loader: the compiled package registers its own TypeScript hooks.
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout.trim()), [['demo.ping'], ['demo.ping']]);
});
