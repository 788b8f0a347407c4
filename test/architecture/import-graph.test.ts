/**
 * No import circles in the library: every relative import of every interpreter/**\/*.ts (type-only
 * and dynamic ones included: a type two modules share lives in the lower one) forms a graph with
 * no cycle. A failure names each cycle, file by file.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const LIBRARY = join(ROOT, 'interpreter');

/** `import ... from '…'`, `export ... from '…'`, `import '…'` and `import('…')` with a literal specifier. */
const IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Every .ts file under `dir` (sorted, so the report is stable). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(path);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
    })
    .sort();
}

/** Comments removed (an `@example` in JSDoc is not an import); strings are kept. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** The files `file` imports by relative path, resolved as the compiler would. */
function relativeImports(file: string): string[] {
  const targets = new Set<string>();
  for (const match of withoutComments(readFileSync(file, 'utf8')).matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2];
    if (!specifier.startsWith('.')) continue;
    const base = resolve(dirname(file), specifier);
    const target = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')].find((path) => path.endsWith('.ts') && existsSync(path));
    if (target) targets.add(target);
  }
  return [...targets].sort();
}

/**
 * The cycles closed by the back edges of a depth-first walk (none exactly when the graph has no
 * cycle), each once, as its files in import order starting at the smallest.
 */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = path.slice(path.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(rotated.join(' → '), rotated);
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return [...cycles.values()];
}

test('the import graph of interpreter/ has no cycle', () => {
  const files = sourceFiles(LIBRARY);
  assert.ok(files.length > 50, `found the library's files (${files.length})`);
  const graph = new Map(files.map((file) => [file, relativeImports(file)]));
  const cycles = findCycles(graph).map((cycle) => [...cycle, cycle[0]].map((file) => relative(ROOT, file)).join(' → '));
  assert.deepEqual(cycles, [], `import circles:\n${cycles.join('\n')}`);
});

test('the cycle finder names a cycle, its files in import order', () => {
  const graph = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a', 'd']],
    ['d', []],
  ]);
  assert.deepEqual(findCycles(graph), [['a', 'b', 'c']]);
  assert.deepEqual(findCycles(new Map([['a', ['b']], ['b', []]])), []);
});

test('imports are read from every form: type-only, re-exports, side effects and dynamic import()', () => {
  const dir = join(ROOT, 'interpreter/cli');
  const imports = relativeImports(join(dir, 'commands/run.ts')).map((file) => relative(ROOT, file));
  assert.ok(imports.includes('interpreter/cli/command.ts'), 'an `import type` counts');
  assert.ok(imports.includes('interpreter/cli/run/run-temporal.ts'), 'a dynamic import() counts');
});
