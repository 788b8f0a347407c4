/**
 * The in-process TestRuntime: a LocalRuntime per case (each case brings its own definitions),
 * all calling one MockedHandlers registry built from the project's handlers; each case's runs use the
 * case's own document store (CaseDocuments).
 */
import type { AgentRegistry } from '../agents/index.ts';
import type { HandlerLogger, HandlerRegistry } from '../handlers/index.ts';
import { StaticDefinitions } from '../runtime/definition-source.ts';
import { LocalRuntime } from '../runtime/local/index.ts';
import { MockedAgents } from './mock-agents.ts';
import { MockedHandlers } from './mock-handlers.ts';
import { CaseDocuments } from './case-documents.ts';
import type { TestRuntime } from './test-runtime.ts';

export interface LocalTestRuntimeOptions {
  /** The project's handlers; null when there are none (every call must then be mocked). */
  readonly handlers: HandlerRegistry | null;
  /** Handlers' log lines; default: warnings and errors on stderr. */
  readonly logger?: HandlerLogger;
  /** The project's agents (agents/), for `agent` steps a case does not mock. */
  readonly agents?: AgentRegistry;
}

/**
 * @example
 * const runtime = createLocalTestRuntime({ handlers: await loadHandlerRegistry('handlers') });
 * const result = await runTestCase(runtime, loadTestCase('tests/close.test.yaml', { library }));
 * await runtime.close();
 */
export function createLocalTestRuntime(options: LocalTestRuntimeOptions): TestRuntime {
  const handlers = new MockedHandlers(options.handlers);
  const agents = new MockedAgents(options.agents ?? null);
  const agentRegistry = agents.registry();
  const documents = new CaseDocuments();
  return {
    name: 'local',
    handlers,
    agents,
    documents,
    async start(definitions, slug, input, runId, start = {}) {
      // Mocked names need a registered handler too: every name a definition calls gets a dispatcher.
      const called = definitions.flatMap((definition) => definition.runbook.steps.flatMap((step) => ('call' in step ? [step.call.handler] : [])));
      const runtime = new LocalRuntime({ definitions: new StaticDefinitions(definitions), handlers: handlers.registry(called), logger: options.logger, agents: agentRegistry, documents: documents.storeOf(runId) });
      return runtime.start(slug, input, { runId, ...(start.startedBy === undefined ? {} : { startedBy: start.startedBy }) });
    },
    async close() {},
  };
}
