/**
 * The parts that run inside Temporal's workflow sandbox stay free of Node built-ins, I/O and
 * handler code; the interpreter core imports no runtime. Checked by walking the import graph.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { test } from 'node:test';

const IMPORT = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

interface Edge {
  readonly from: string;
  readonly specifier: string;
  readonly typeOnly: boolean;
}

/** Every value import reachable from `entry` (type-only imports are erased and do not count). */
function reachableImports(entry: string): Edge[] {
  const seen = new Set<string>();
  const edges: Edge[] = [];
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(IMPORT)) {
      const typeOnly = match[2] !== undefined;
      const specifier = match[3] ?? match[4];
      edges.push({ from: relative(process.cwd(), file), specifier, typeOnly });
      if (!typeOnly && specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
    }
  };
  visit(resolve(entry));
  return edges.filter((edge) => !edge.typeOnly);
}

function offending(edges: Edge[], forbidden: (specifier: string, from: string) => boolean): string[] {
  return edges.filter((edge) => forbidden(edge.specifier, edge.from)).map((edge) => `${edge.from} imports ${edge.specifier}`);
}

test('the Temporal workflow module reaches no Node built-in, loader, handler or runtime code', () => {
  const edges = reachableImports('interpreter/temporal/workflow.ts');
  const problems = offending(edges, (specifier, from) => {
    if (specifier.startsWith('node:')) return true;
    if (['fs', 'path', 'os', 'child_process', 'crypto', 'url'].includes(specifier)) return true;
    if (specifier.startsWith('@temporalio/') && !['@temporalio/workflow', '@temporalio/common'].includes(specifier)) return true;
    const target = resolve(dirname(from), specifier);
    return specifier.startsWith('.') && /\/(loader|handlers|runtime|cli|definitions)\//.test(relative(process.cwd(), target) + '/');
  });
  assert.deepEqual(problems, []);
  assert.ok(edges.some((edge) => edge.specifier === 'jsonata'), 'the walk does follow the interpreter core');
});

test('the interpreter core and expressions import no runtime: no @temporalio, no node:', () => {
  for (const entry of ['interpreter/core/index.ts', 'interpreter/expressions/index.ts']) {
    const problems = offending(reachableImports(entry), (specifier) => specifier.startsWith('node:') || specifier.startsWith('@temporalio/'));
    assert.deepEqual(problems, [], entry);
  }
});

test('the boundary check notices a forbidden import (it cannot pass vacuously)', () => {
  const edges = reachableImports('interpreter/runtime/local/local-services.ts');
  assert.ok(offending(edges, (specifier) => specifier.startsWith('node:') || specifier.includes('handlers')).length > 0);
});

test('the interpreter core and expressions read no host clock, timer or randomness (time comes from the runtime)', async () => {
  const { readdirSync } = await import('node:fs');
  const files = ['interpreter/core', 'interpreter/core/steps', 'interpreter/expressions'].flatMap((dir) =>
    readdirSync(dir).filter((name) => name.endsWith('.ts')).map((name) => `${dir}/${name}`),
  );
  const problems = files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line, index) => ({ line, index }))
      .filter(({ line }) => /\bDate\.now\(|new Date\(\)|Math\.random\(|\bsetTimeout\(|\bsetInterval\(|performance\.now\(/.test(line) && !line.trim().startsWith('*') && !line.trim().startsWith('//'))
      .map(({ index }) => `${file}:${index + 1}`),
  );
  assert.ok(files.length > 10);
  assert.deepEqual(problems, []);
});

test('the workflow side of tracing reaches no Node built-in: the SDK package\'s workflow interceptors, the OpenTelemetry API and the workflow contract only', () => {
  const edges = reachableImports('interpreter/temporal/tracing-workflow.ts');
  const allowed = ['@opentelemetry/api', '@temporalio/workflow', '@temporalio/interceptors-opentelemetry/lib/workflow/index.js'];
  const problems = offending(edges, (specifier) => specifier.startsWith('node:') || (!specifier.startsWith('.') && !allowed.includes(specifier)));
  assert.deepEqual(problems, []);
  assert.ok(edges.some((edge) => edge.specifier.startsWith('@temporalio/interceptors-opentelemetry/')), 'the walk sees the package\'s interceptors');
});
