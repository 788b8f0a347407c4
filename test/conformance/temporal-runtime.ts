/**
 * The Temporal runtime for the conformance suite: the library's Temporal TestRuntime (a worker
 * in this process on its own task queue) on the test dev server, with the project's
 * `handlers/` and `agents/` (cases mock the agents; the real ones give their contracts), a fresh data directory, and a warm-up so the first cases' elapsed_ms bounds see
 * a steady worker.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgentRegistry } from '../../interpreter/agents/index.ts';
import { loadHandlerRegistry } from '../../interpreter/handlers/index.ts';
import { temporalTestRuntime, type TemporalTestRuntime } from '../../interpreter/testing/index.ts';
import { runbookOf } from '../support/inline-runbook.ts';
import { getTestTemporal } from '../support/temporal-env.ts';
import { REPO_ROOT } from './cases.ts';
import { storeSampleUploads } from '../support/sample-uploads.ts';

export interface TemporalConformanceRuntime extends TemporalTestRuntime {
  readonly dataDir: string;
}

const warmUp = runbookOf({ slug: 'conformance-warm-up', title: 'Warm-up', steps: [{ id: 'echo', title: 'Echo', call: { handler: 'util.echo', args: { value: 1 } } }] });

/**
 * @example
 * const runtime = await temporalConformanceRuntime();
 * const outcome = await checkTestCase(runtime, loadConformanceCase(file), { timeoutMs: 20_000 });
 * await runtime.close();
 */
export async function temporalConformanceRuntime(): Promise<TemporalConformanceRuntime> {
  const temporal = await getTestTemporal();
  // The worker runs in this process: the domain handlers read RUNBOOK_DATA_DIR at call time.
  const dataDir = await mkdtemp(join(tmpdir(), 'runbook-conformance-temporal-'));
  const previous = process.env.RUNBOOK_DATA_DIR;
  process.env.RUNBOOK_DATA_DIR = dataDir;
  // The by-reference samples (runbooks/*.by-reference.json) name documents stored beforehand, as a user does.
  await storeSampleUploads();
  const runtime = await temporalTestRuntime({
    connection: await temporal.connection(),
    nativeConnection: await temporal.nativeConnection(),
    namespace: temporal.namespace,
    taskQueue: temporal.taskQueue('conformance'),
    handlers: await loadHandlerRegistry(join(REPO_ROOT, 'handlers')),
    agents: await loadAgentRegistry(join(REPO_ROOT, 'agents')),
  });
  // Warm up (workflow sandbox, activity path, connections).
  await Promise.all(Array.from({ length: 4 }, async (_, index) => (await runtime.start([warmUp], warmUp.runbook.slug, {}, `warm-up-${process.pid}-${Date.now()}-${index}`)).result()));
  return {
    ...runtime,
    dataDir,
    async close() {
      await runtime.close();
      if (previous === undefined) delete process.env.RUNBOOK_DATA_DIR;
      else process.env.RUNBOOK_DATA_DIR = previous;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
