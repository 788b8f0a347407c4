/**
 * OpenTelemetry is loaded only by the processes that trace: no static import chain from the CLI's
 * entry, any command module or the package's entry points reaches it (interpreter/temporal/tracing.ts
 * is imported dynamically, by interpreter/cli/process-tracing.ts and createTracing). `runbook --help`,
 * `validate` and a worker without tracing never load it.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Static value imports and re-exports (`import type` is erased; `import()` is not matched). */
const STATIC_IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
const TRACING = /^@opentelemetry\/|^@temporalio\/interceptors-opentelemetry/;

/** For every file statically reachable from `entries`, the tracing packages it imports, as `file imports package`. */
function tracingImportsReachable(entries: string[]): { files: number; imports: string[] } {
  const seen = new Set<string>();
  const imports: string[] = [];
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const match of source.matchAll(STATIC_IMPORT)) {
      if (match[1]) continue;
      const specifier = match[2];
      if (TRACING.test(specifier)) imports.push(`${relative(ROOT, file)} imports ${specifier}`);
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
    }
  };
  for (const entry of entries) visit(join(ROOT, entry));
  return { files: seen.size, imports };
}

test('no static import chain from the CLI, its commands or the package entries reaches OpenTelemetry', () => {
  const commands = readdirSync(join(ROOT, 'interpreter/cli/commands')).filter((name) => name.endsWith('.ts')).map((name) => `interpreter/cli/commands/${name}`);
  const { files, imports } = tracingImportsReachable(['interpreter/cli/main.ts', ...commands, 'interpreter/index.ts', 'interpreter/temporal/index.ts']);
  assert.ok(files > 100, `the walk follows the imports (${files} files)`);
  assert.deepEqual(imports, []);
});

test('the check sees the tracing module\'s own imports (it cannot pass vacuously)', () => {
  const { imports } = tracingImportsReachable(['interpreter/temporal/tracing.ts']);
  assert.ok(imports.some((line) => line.includes('@temporalio/interceptors-opentelemetry')), imports.join('\n'));
});
