/**
 * The in-process runtime for the conformance suite: the library's local TestRuntime with the
 * project's `handlers/` and `agents/` (cases mock the agents; the real ones give their contracts),
 * and a fresh data directory for the domain handlers' JSON store.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgentRegistry } from '../../interpreter/agents/index.ts';
import { loadHandlerRegistry } from '../../interpreter/handlers/index.ts';
import { createLocalTestRuntime, type TestRuntime } from '../../interpreter/testing/index.ts';
import { REPO_ROOT } from './cases.ts';
import { storeSampleUploads } from '../support/sample-uploads.ts';

/**
 * @example
 * const runtime = await localConformanceRuntime();
 * const outcome = await checkTestCase(runtime, loadConformanceCase(file));
 * await runtime.close();
 */
export async function localConformanceRuntime(): Promise<TestRuntime> {
  const dataDir = await mkdtemp(join(tmpdir(), 'runbook-conformance-'));
  const previous = process.env.RUNBOOK_DATA_DIR;
  process.env.RUNBOOK_DATA_DIR = dataDir;
  // The by-reference samples (runbooks/*.by-reference.json) name documents stored beforehand, as a user does.
  await storeSampleUploads();
  const runtime = createLocalTestRuntime({ handlers: await loadHandlerRegistry(join(REPO_ROOT, 'handlers')), agents: await loadAgentRegistry(join(REPO_ROOT, 'agents')) });
  return {
    ...runtime,
    async close() {
      await runtime.close();
      if (previous === undefined) delete process.env.RUNBOOK_DATA_DIR;
      else process.env.RUNBOOK_DATA_DIR = previous;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
