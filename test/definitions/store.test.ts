import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DefinitionStore, nextDefinitionEvent } from '../../interpreter/definitions/index.ts';
import type { DefinitionEvent } from '../../interpreter/definitions/index.ts';
import { handlers, hashOf, recordEvents, renameOver, runbookYaml, sleep, tempRunbooksDir, truncateThenWrite } from './fixtures.ts';

const SETTLE = 40;
const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function setup(files: Record<string, string>, settleMs = SETTLE) {
  const { dir, remove } = await tempRunbooksDir();
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const logged: string[] = [];
  const log = { info: (m: string) => logged.push(`INFO ${m}`), warn: (m: string) => logged.push(`WARN ${m}`), error: (m: string) => logged.push(`ERROR ${m}`) };
  const store = await DefinitionStore.open({ dir, handlers, settleMs, log });
  cleanups.push(remove, () => store.close());
  return { dir, store, logged, events: recordEvents(store) };
}

const V1 = runbookYaml('demo', ['a', 'b', 'c']);
const V2 = runbookYaml('demo', ['a', 'c', 'b']);
const of = (type: DefinitionEvent['type'], slug?: string) => (e: DefinitionEvent) => e.type === type && (slug === undefined || ('slug' in e && e.slug === slug));

test('loads a directory: slug, sha256 of the source, file and load time per definition', async () => {
  const before = Date.now();
  const { dir, store } = await setup({ 'demo.yaml': V1, 'other.yml': runbookYaml('other', ['x']), 'notes.txt': 'not a runbook', '.demo.yaml.swp': 'junk' });
  assert.deepEqual(store.slugs(), ['demo', 'other']);
  const entry = store.entry('demo')!;
  assert.equal(entry.hash, hashOf(V1));
  assert.equal(entry.file, join(dir, 'demo.yaml'));
  assert.ok(entry.loadedAt >= before && entry.loadedAt <= Date.now());
  assert.deepEqual(store.resolve('demo')?.runbook.steps.map((s) => s.id), ['a', 'b', 'c']);
  assert.equal(store.resolve('demo')?.hash, hashOf(V1));
  assert.equal(store.resolve('nope'), undefined);
});

test('a changed valid file becomes the definition of its slug; a deleted one stops being served', async () => {
  const { dir, store, events } = await setup({ 'demo.yaml': V1 });
  const loaded = nextDefinitionEvent(store, of('loaded', 'demo'));
  await writeFile(join(dir, 'demo.yaml'), V2);
  assert.deepEqual(await loaded, { type: 'loaded', slug: 'demo', file: join(dir, 'demo.yaml'), hash: hashOf(V2), previousHash: hashOf(V1), at: (await loaded).at });
  assert.deepEqual(store.resolve('demo')?.runbook.steps.map((s) => s.id), ['a', 'c', 'b']);

  const removed = nextDefinitionEvent(store, of('removed', 'demo'));
  await unlink(join(dir, 'demo.yaml'));
  assert.equal((await removed).type, 'removed');
  assert.equal(store.resolve('demo'), undefined);
  assert.deepEqual(store.slugs(), []);
  assert.deepEqual(events.map((e) => e.type), ['loaded', 'removed']);
});

test('an invalid file is rejected with located diagnostics, logged, and the previous definition stays live', async () => {
  const { dir, store, logged } = await setup({ 'demo.yaml': V1 });
  const broken = V2.replace('util.echo, args: { value: c }', 'util.nope, args: { value: c }');
  const rejected = nextDefinitionEvent(store, of('rejected'));
  await writeFile(join(dir, 'demo.yaml'), broken);
  const event = await rejected;
  assert.ok(event.type === 'rejected');
  assert.equal(event.slug, 'demo');
  assert.equal(event.hash, hashOf(broken));
  assert.deepEqual(event.kept, { slug: 'demo', hash: hashOf(V1), loadedAt: store.entry('demo')!.loadedAt });
  const error = event.diagnostics.find((d) => d.severity === 'error')!;
  assert.equal(error.file, join(dir, 'demo.yaml'));
  const errorLine = broken.split('\n').findIndex((text) => text.includes('util.nope')) + 1;
  assert.equal(error.line, errorLine);
  assert.match(error.code, /^RB_/);
  assert.equal(store.resolve('demo')?.hash, hashOf(V1));
  assert.ok(logged.some((line) => line.startsWith('WARN definitions: rejected') && line.includes(`demo.yaml:${errorLine}:`)), logged.join('\n'));

  let listing = store.snapshot().definitions.find((d) => d.slug === 'demo')!;
  assert.equal(listing.hash, hashOf(V1));
  assert.equal(listing.lastRejected?.hash, hashOf(broken));
  assert.equal(listing.lastRejected?.outstanding, true);

  const fixed = nextDefinitionEvent(store, of('loaded', 'demo'));
  await writeFile(join(dir, 'demo.yaml'), V2);
  await fixed;
  listing = store.snapshot().definitions.find((d) => d.slug === 'demo')!;
  assert.equal(listing.hash, hashOf(V2));
  assert.equal(listing.lastRejected?.outstanding, false, 'the last rejected attempt is kept, marked as replaced');
});

test('an empty file (truncated, written later) is rejected and the previous definition serves meanwhile', async () => {
  const { dir, store, events } = await setup({ 'demo.yaml': V1 });
  const file = join(dir, 'demo.yaml');
  const rejected = nextDefinitionEvent(store, of('rejected'));
  const loaded = nextDefinitionEvent(store, of('loaded', 'demo'));
  const saving = truncateThenWrite(file, V2, { splitAt: 0, pauseMs: SETTLE * 4 });
  const event = await rejected;
  assert.ok(event.type === 'rejected');
  assert.equal(event.diagnostics[0].code, 'RB_EMPTY');
  assert.equal(store.resolve('demo')?.hash, hashOf(V1));
  await saving;
  assert.equal((await loaded).hash, hashOf(V2));
  assert.deepEqual(events.map((e) => e.type), ['rejected', 'loaded']);
});

test('a half-written file that pauses is rejected, never loaded; the whole file then loads', async () => {
  const { dir, store, events } = await setup({ 'demo.yaml': V1 });
  const file = join(dir, 'demo.yaml');
  const splitAt = V2.indexOf('util.echo, args: { value: c }') + 5; // mid-word: `util.` is no handler
  const loaded = nextDefinitionEvent(store, of('loaded', 'demo'));
  await truncateThenWrite(file, V2, { splitAt, pauseMs: SETTLE * 4 });
  assert.equal((await loaded).hash, hashOf(V2));
  assert.deepEqual(events.map((e) => e.type), ['rejected', 'loaded']);
  assert.notEqual(events[0].hash, hashOf(V2));
});

test('a save split into chunks closer together than the quiet period is read once, whole', async () => {
  // The first chunk alone would be a VALID runbook (steps a and b): it must never be served.
  const { dir, store, events } = await setup({ 'demo.yaml': V1 });
  const file = join(dir, 'demo.yaml');
  const splitAt = V2.indexOf('  - id: b');
  const prefix = V2.slice(0, splitAt);
  assert.equal((await DefinitionStore.open({ dir: (await writePrefix(prefix)).dir, handlers, watch: false })).slugs().length, 1, 'the prefix alone validates');
  for (let i = 0; i < 10; i++) {
    await truncateThenWrite(file, i % 2 ? V1 : V2, { splitAt, pauseMs: 2 });
    await sleep(SETTLE * 3);
  }
  await store.idle();
  const seen = new Set(events.map((e) => e.hash));
  assert.ok(!seen.has(hashOf(prefix)), 'the prefix was never loaded or rejected');
  assert.ok(events.every((e) => e.type === 'loaded'), JSON.stringify(events.map((e) => e.type)));
  assert.equal(store.resolve('demo')?.hash, hashOf(V1));
});

async function writePrefix(text: string) {
  const made = await tempRunbooksDir();
  cleanups.push(made.remove);
  await writeFile(join(made.dir, 'demo.yaml'), text);
  return made;
}

test('write-temp-then-rename-over loads the new version once, with no rejection', async () => {
  const { dir, store, events } = await setup({ 'demo.yaml': V1 });
  const loaded = nextDefinitionEvent(store, of('loaded', 'demo'));
  await renameOver(join(dir, 'demo.yaml'), V2);
  assert.equal((await loaded).hash, hashOf(V2));
  await store.idle();
  assert.deepEqual(events.map((e) => e.type), ['loaded']);
});

test('a burst of saves settles to the last one: one load, no intermediate version served', async () => {
  const { dir, store, events } = await setup({ 'demo.yaml': V1 });
  const versions = Array.from({ length: 20 }, (_, i) => runbookYaml('demo', ['a', 'b', 'c'], { title: `Version ${i}` }));
  const last = versions.at(-1)!;
  const loaded = nextDefinitionEvent(store, (e) => e.type === 'loaded' && e.hash === hashOf(last));
  for (const [i, text] of versions.entries()) {
    if (i % 2) await renameOver(join(dir, 'demo.yaml'), text);
    else await writeFile(join(dir, 'demo.yaml'), text);
    await sleep(2);
  }
  await loaded;
  await store.idle();
  assert.deepEqual(events.map((e) => [e.type, e.hash]), [['loaded', hashOf(last)]]);
});

test('cross-file: a parent whose child is not loaded is rejected, and loads once the child appears', async () => {
  const parent = 'slug: parent\ntitle: Parent\nsteps:\n  - id: run_child\n    title: Run child\n    child: { runbook: kid }\n';
  const { dir, store } = await setup({ 'demo.yaml': V1 });
  const rejected = nextDefinitionEvent(store, of('rejected'));
  await writeFile(join(dir, 'parent.yaml'), parent);
  const event = await rejected;
  assert.ok(event.type === 'rejected');
  assert.equal(event.diagnostics[0].code, 'RB_UNKNOWN_CHILD');
  assert.equal(store.resolve('parent'), undefined);
  assert.deepEqual(store.snapshot().rejectedUnloaded.map((r) => [r.slug, r.outstanding]), [['parent', true]]);

  const parentLoaded = nextDefinitionEvent(store, of('loaded', 'parent'));
  await writeFile(join(dir, 'kid.yaml'), runbookYaml('kid', ['x']));
  await parentLoaded;
  assert.deepEqual(store.slugs(), ['demo', 'kid', 'parent']);
  assert.deepEqual(store.snapshot().rejectedUnloaded, []);
});

test('a broken child keeps its previous definition, so its parent still validates and loads', async () => {
  const parent = 'slug: parent\ntitle: Parent\nsteps:\n  - id: run_child\n    title: Run child\n    child: { runbook: kid }\n';
  const { dir, store } = await setup({ 'kid.yaml': runbookYaml('kid', ['x']) });
  const rejected = nextDefinitionEvent(store, of('rejected'));
  const loaded = nextDefinitionEvent(store, of('loaded', 'parent'));
  await writeFile(join(dir, 'kid.yaml'), 'slug: kid\ntitle: [unclosed\n');
  await writeFile(join(dir, 'parent.yaml'), parent);
  await Promise.all([rejected, loaded]);
  assert.deepEqual(store.slugs(), ['kid', 'parent']);
});

test('a new file reusing a served slug is rejected as a duplicate; the served one stays', async () => {
  const { dir, store } = await setup({ 'demo.yaml': V1 });
  const rejected = nextDefinitionEvent(store, of('rejected'));
  await writeFile(join(dir, 'a-copy.yaml'), V2);
  const event = await rejected;
  assert.ok(event.type === 'rejected');
  assert.equal(event.file, join(dir, 'a-copy.yaml'));
  assert.equal(event.diagnostics[0].code, 'RB_DUPLICATE_SLUG');
  assert.equal(store.entry('demo')?.file, join(dir, 'demo.yaml'));
});

test('renaming a file keeps its slug served throughout (no removal)', async () => {
  const { dir, store, events } = await setup({ 'demo.yaml': V1 });
  const loaded = nextDefinitionEvent(store, of('loaded', 'demo'));
  await rename(join(dir, 'demo.yaml'), join(dir, 'renamed.yaml'));
  const probe = setInterval(() => assert.ok(store.resolve('demo')), 1);
  try {
    await loaded;
    await store.idle();
  } finally {
    clearInterval(probe);
  }
  assert.equal(store.entry('demo')?.file, join(dir, 'renamed.yaml'));
  assert.deepEqual(events.map((e) => e.type), ['loaded']);
});

test('files in subdirectories are served and watched', async () => {
  const { dir, store } = await setup({ 'demo.yaml': V1 });
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(dir, 'team'));
  const loaded = nextDefinitionEvent(store, of('loaded', 'nested'));
  await writeFile(join(dir, 'team', 'nested.yaml'), runbookYaml('nested', ['x']));
  await loaded;
  const changed = nextDefinitionEvent(store, of('loaded', 'nested'));
  await writeFile(join(dir, 'team', 'nested.yaml'), runbookYaml('nested', ['x', 'y']));
  assert.deepEqual((await changed).type, 'loaded');
  assert.deepEqual(store.resolve('nested')?.runbook.steps.map((s) => s.id), ['x', 'y']);
});

test('close() stops watching; definitions stay resolvable', async () => {
  const { dir, store, events } = await setup({ 'demo.yaml': V1 });
  await store.close();
  await writeFile(join(dir, 'demo.yaml'), V2);
  await sleep(SETTLE * 4);
  assert.deepEqual(events, []);
  assert.equal(store.resolve('demo')?.hash, hashOf(V1));
});

test('an invalid file at start is rejected and logged; the valid ones load', async () => {
  const { store, logged } = await setup({ 'demo.yaml': V1, 'bad.yaml': 'slug: bad\ntitle: Bad\nsteps: []\n' });
  assert.deepEqual(store.slugs(), ['demo']);
  assert.deepEqual(store.snapshot().rejectedUnloaded.map((r) => r.slug), ['bad']);
  assert.ok(logged.some((line) => line.includes('rejected') && line.includes('bad.yaml:')), logged.join('\n'));
  assert.equal(typeof (await readFile(store.entry('demo')!.file, 'utf8')), 'string');
});
