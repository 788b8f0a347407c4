/** The validate cache: a hit reproduces a cold run exactly; every input it depends on invalidates it. */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { validateRunbookFiles } from '../../interpreter/loader/index.ts';
import { validateRunbookFilesCached, type CachedValidateOptions } from '../../interpreter/loader/validate-cached.ts';

const root = mkdtempSync(join(tmpdir(), 'validate-cache-'));
after(() => rmSync(root, { recursive: true, force: true }));

let project = 0;
/** A fresh project: runbooks, a JavaScript handlers entry (zod linked from ours), a cache dir, copies of the key files. */
function makeProject(files: Record<string, string>, handlerInput = 'z.object({ entity: z.string() })') {
  const dir = join(root, `p${project++}`);
  mkdirSync(join(dir, 'runbooks'), { recursive: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(resolve('node_modules/zod'), join(dir, 'node_modules', 'zod'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'p', version: '1.0.0', type: 'module' }));
  copyFileSync('schema/runbook.schema.json', join(dir, 'schema.json'));
  const write = (name: string, text: string): string => {
    const file = join(dir, 'runbooks', name);
    writeFileSync(file, text);
    return file;
  };
  // Each version in its own directory: this process's module cache would return the old one.
  let version = 0;
  let handlersDir = '';
  const setHandlers = (input: string, comment = ''): void => {
    handlersDir = join(dir, `handlers-${version++}`);
    mkdirSync(handlersDir);
    writeFileSync(
      join(handlersDir, 'index.mjs'),
      `${comment}import { z } from 'zod';\nexport const handlers = [{ name: 'ledger.open', input: ${input}, output: z.object({ ok: z.boolean() }), async run() { return { ok: true }; } }];\n`,
    );
  };
  setHandlers(handlerInput);
  const paths = Object.entries(files).map(([name, text]) => write(name, text));
  const options = (): CachedValidateOptions => ({
    cacheDir: join(dir, 'cache'),
    handlersDir,
    keyFiles: { packageJson: join(dir, 'package.json'), schema: join(dir, 'schema.json') },
  });
  const cold = async () => (await validateRunbookFiles(paths, { handlersDir })).diagnostics;
  return { dir, paths, write, setHandlers, options, cold, cached: () => validateRunbookFilesCached(paths, options()) };
}

const PARENT = `slug: parent
title: Parent
steps:
  - id: open
    title: Open
    call: { handler: ledger.open, args: { entity: 5 } }
  - id: sub
    title: Sub
    child: { runbook: child, input: { entity: acme } }
    whne: true
`;
const CHILD = `slug: child
title: Child
input: { type: object, required: [entity], properties: { entity: { type: string } } }
steps:
  - id: wait
    title: Wait
    timer: { duration: 1s }
`;

describe('validate cache', () => {
  it('a cache hit reproduces the diagnostics of a cold run exactly, with their lines and columns', async () => {
    const p = makeProject({ 'parent.yaml': PARENT, 'child.yaml': CHILD });
    const cold = await p.cold();
    assert.deepEqual(cold.map((d) => d.code).sort(), ['RB_HANDLER_ARGS', 'RB_UNKNOWN_KEY']);
    const first = await p.cached();
    assert.deepEqual(first.cache, { hits: 0, misses: 2 });
    const second = await p.cached();
    assert.deepEqual(second.cache, { hits: 2, misses: 0 });
    assert.deepEqual(first.diagnostics, cold);
    assert.deepEqual(second.diagnostics, cold);
    assert.ok(second.diagnostics.every((d) => d.line > 1 && d.column > 1));
  });

  it('editing a file invalidates its entry only', async () => {
    const p = makeProject({ 'parent.yaml': PARENT, 'child.yaml': CHILD });
    await p.cached();
    p.write('parent.yaml', PARENT.replace('    whne: true\n', ''));
    const report = await p.cached();
    assert.deepEqual(report.cache, { hits: 1, misses: 1 });
    assert.deepEqual(report.diagnostics, await p.cold());
    assert.deepEqual(report.diagnostics.map((d) => d.code), ['RB_HANDLER_ARGS']);
  });

  it('an edited file replaces its entry: the cache holds one entry per file however often it changes', async () => {
    const p = makeProject({ 'parent.yaml': PARENT, 'child.yaml': CHILD });
    for (let edit = 0; edit < 5; edit++) {
      p.write('parent.yaml', `${PARENT}# edit ${edit}\n`);
      assert.deepEqual((await p.cached()).cache, { hits: edit === 0 ? 0 : 1, misses: edit === 0 ? 2 : 1 });
    }
    assert.equal(storedEntries(p.dir).length, 2);
    // Going back to an earlier version is a miss (its entry was replaced), then a hit.
    p.write('parent.yaml', `${PARENT}# edit 0\n`);
    assert.deepEqual((await p.cached()).cache, { hits: 1, misses: 1 });
    assert.deepEqual((await p.cached()).cache, { hits: 2, misses: 0 });
  });

  it('editing a child runbook changes the cross-file diagnostics of its cached parent', async () => {
    // Without the unknown key the parent passes the schema, so the cross-file checks apply to it.
    const p = makeProject({ 'parent.yaml': PARENT.replace('    whne: true\n', ''), 'child.yaml': CHILD });
    await p.cached();
    p.write('child.yaml', CHILD.replace('required: [entity]', 'required: [entity, period]'));
    const report = await p.cached();
    assert.deepEqual(report.cache, { hits: 1, misses: 1 }, 'the parent itself is a hit');
    assert.ok(report.diagnostics.some((d) => d.code === 'RB_CHILD_INPUT' && d.file === p.paths[0]));
    assert.deepEqual(report.diagnostics, await p.cold());

    p.write('child.yaml', CHILD.replace('slug: child', 'slug: chidl'));
    const renamed = await p.cached();
    assert.ok(renamed.diagnostics.some((d) => d.code === 'RB_UNKNOWN_CHILD' && /did you mean "chidl"\?/.test(d.message)), JSON.stringify(renamed.diagnostics));
    assert.deepEqual(renamed.diagnostics, await p.cold());
  });

  it('a changed handler contract invalidates every entry; an edit that keeps the contracts does not', async () => {
    const p = makeProject({ 'parent.yaml': PARENT, 'child.yaml': CHILD });
    await p.cached();
    p.setHandlers('z.object({ entity: z.string() })', '// only a comment changed\n');
    assert.deepEqual((await p.cached()).cache, { hits: 2, misses: 0 });

    p.setHandlers('z.object({ entity: z.number() })');
    const report = await p.cached();
    assert.deepEqual(report.cache, { hits: 0, misses: 2 });
    assert.ok(!report.diagnostics.some((d) => d.code === 'RB_HANDLER_ARGS'));
    assert.deepEqual(report.diagnostics, await p.cold());
  });

  it('a changed schema or package version invalidates every entry', async () => {
    const p = makeProject({ 'parent.yaml': PARENT, 'child.yaml': CHILD });
    await p.cached();
    const schemaFile = join(p.dir, 'schema.json');
    writeFileSync(schemaFile, readFileSync(schemaFile, 'utf8') + '\n');
    assert.deepEqual((await p.cached()).cache, { hits: 0, misses: 2 });
    writeFileSync(join(p.dir, 'package.json'), JSON.stringify({ name: 'p', version: '1.0.1', type: 'module' }));
    assert.deepEqual((await p.cached()).cache, { hits: 0, misses: 2 });
    assert.deepEqual((await p.cached()).cache, { hits: 2, misses: 0 });
  });

  it('skipping the handler checks is another environment', async () => {
    const p = makeProject({ 'parent.yaml': PARENT, 'child.yaml': CHILD });
    await p.cached();
    const skipped = await validateRunbookFilesCached(p.paths, { ...p.options(), handlersDir: null });
    assert.deepEqual(skipped.cache, { hits: 0, misses: 2 });
    assert.ok(!skipped.diagnostics.some((d) => d.code === 'RB_HANDLER_ARGS'));
    assert.equal(skipped.handlersSkipped, 'handler checks disabled');
  });

  it('corrupt, truncated or foreign entries are ignored and rewritten, never an error', async () => {
    const p = makeProject({ 'parent.yaml': PARENT, 'child.yaml': CHILD });
    const cold = (await p.cached()).diagnostics;
    const file = join(p.dir, 'cache', 'entries.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { entries: Record<string, { format?: number; outcome: { diagnostics: { line: unknown }[] } }> };
    const [first, second] = Object.keys(stored.entries);
    stored.entries[first] = { ...stored.entries[first], format: 1 };
    // A valid file may have no diagnostics to spoil: add a malformed one.
    const entry = stored.entries[second];
    entry.outcome.diagnostics = [...entry.outcome.diagnostics, { code: 'RB_STEP_ORDER', line: 'seven' }].map((d) => ({ ...d, line: 'seven' }));
    writeFileSync(file, JSON.stringify(stored));
    const report = await p.cached();
    assert.deepEqual(report.cache, { hits: 0, misses: 2 });
    assert.deepEqual(report.diagnostics, cold);
    assert.deepEqual((await p.cached()).cache, { hits: 2, misses: 0 }, 'the entries were rewritten');
    // A truncated file is no entries at all.
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 40));
    assert.deepEqual((await p.cached()).cache, { hits: 0, misses: 2 });
    assert.deepEqual((await p.cached()).cache, { hits: 2, misses: 0 });
  });

  it('entries of files that no longer exist are dropped when the cache is written', async () => {
    const p = makeProject({ 'parent.yaml': PARENT, 'child.yaml': CHILD, 'gone.yaml': CHILD.replace('slug: child', 'slug: gone') });
    await p.cached();
    assert.equal(storedEntries(p.dir).length, 3);
    rmSync(p.paths[2]);
    p.write('parent.yaml', `${PARENT}# edited\n`);
    await validateRunbookFilesCached(p.paths.slice(0, 2), p.options());
    assert.deepEqual(storedEntries(p.dir).sort(), p.paths.slice(0, 2).map((path) => resolve(path)).sort());
  });

  it('without a cache directory nothing is read or written', async () => {
    const p = makeProject({ 'parent.yaml': PARENT, 'child.yaml': CHILD });
    const { cacheDir: _unused, ...uncached } = p.options();
    const report = await validateRunbookFilesCached(p.paths, uncached);
    assert.deepEqual(report.diagnostics, await p.cold());
    assert.deepEqual(listFiles(p.dir).filter((file) => file.includes(`${join(p.dir, 'cache')}`)), []);
  });
});

/** The paths the cache holds entries for (its one entries file). */
function storedEntries(dir: string): string[] {
  return Object.keys((JSON.parse(readFileSync(join(dir, 'cache', 'entries.json'), 'utf8')) as { entries: object }).entries);
}

function listFiles(dir: string): string[] {
  let found: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    found = entry.isDirectory() ? [...found, ...listFiles(full)] : [...found, full];
  }
  return found.sort();
}
