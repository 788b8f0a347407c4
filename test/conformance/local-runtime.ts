/**
 * The in-process ConformanceRuntime: a LocalRuntime per run (each case brings its
 * own definitions), the project's `handlers/` registry, and a fresh data directory
 * for the domain handlers' JSON store for the whole suite.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHandlerRegistry } from '../../interpreter/handlers/index.ts';
import { StaticDefinitions } from '../../interpreter/runtime/definition-source.ts';
import { LocalRuntime } from '../../interpreter/runtime/local/index.ts';
import { REPO_ROOT } from './load-cases.ts';
import type { ConformanceRuntime } from './run-fixture.ts';

/**
 * @example
 * const runtime = await localConformanceRuntime();
 * const result = await runFixture(runtime, loadCase('test/cases/call/args-mapping.yaml'));
 * await runtime.close();
 */
export async function localConformanceRuntime(): Promise<ConformanceRuntime> {
  const dataDir = await mkdtemp(join(tmpdir(), 'runbook-conformance-'));
  const previous = process.env.RUNBOOK_DATA_DIR;
  process.env.RUNBOOK_DATA_DIR = dataDir;
  const handlers = await loadHandlerRegistry(join(REPO_ROOT, 'handlers'));
  return {
    name: 'local',
    async start(definitions, slug, input, runId) {
      const runtime = new LocalRuntime({ definitions: new StaticDefinitions(definitions), handlers });
      return runtime.start(slug, input, { runId });
    },
    async close() {
      if (previous === undefined) delete process.env.RUNBOOK_DATA_DIR;
      else process.env.RUNBOOK_DATA_DIR = previous;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
