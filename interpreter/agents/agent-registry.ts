/**
 * The agents a runbook may invoke, by name. Built from an agents module (`agents/index.ts` exports
 * `agents: AnyAgent[]`), found like the handlers module. Node side.
 */
import { importProjectModule, ProjectModuleError, resolveHandlerEntry, HandlersLoadError } from '../handlers/index.ts';
import type { AnyAgent } from './agent-api.ts';

export class AgentRegistry {
  private readonly byName = new Map<string, AnyAgent>();

  constructor(agents: Iterable<AnyAgent>) {
    for (const agent of agents) {
      if (this.byName.has(agent.name)) throw new Error(`AGENT_DUPLICATE: two agents are named "${agent.name}"`);
      this.byName.set(agent.name, agent);
    }
  }

  get(name: string): AnyAgent | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}

/** The project's default agents directory. */
export const DEFAULT_AGENTS_DIR = 'agents';

/** An agents directory or entry that cannot be used; `code` says why, `file` where. */
export class AgentsLoadError extends Error {
  constructor(
    readonly code: 'AGENTS_NOT_FOUND' | 'AGENTS_LOAD_FAILED' | 'AGENTS_INVALID' | 'AGENT_DUPLICATE',
    readonly file: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/**
 * Imports the agents entry of `dir` (a directory with `index.ts` / `index.js`, or the file) and builds a
 * registry from its `agents` export. Throws AgentsLoadError naming the file and the cause.
 *
 * @example
 * const agents = await loadAgentRegistry('agents');
 */
export async function loadAgentRegistry(dir: string = DEFAULT_AGENTS_DIR, options: { readonly bundle?: boolean } = {}): Promise<AgentRegistry> {
  let entry: string;
  try {
    entry = resolveHandlerEntry(dir);
  } catch (error) {
    if (error instanceof HandlersLoadError) throw new AgentsLoadError('AGENTS_NOT_FOUND', error.file, error.message.replace(/^HANDLERS_NOT_FOUND: no handlers directory/, 'no agents directory').replace(/^HANDLERS_NOT_FOUND: /, ''));
    throw error;
  }
  let module: Record<string, unknown>;
  try {
    module = await importProjectModule(entry, options);
  } catch (error) {
    if (error instanceof ProjectModuleError) throw new AgentsLoadError('AGENTS_LOAD_FAILED', entry, `cannot load ${entry}: ${error.reason}`);
    throw error;
  }
  const exported = module.agents ?? (module.default as { agents?: unknown } | undefined)?.agents;
  if (!Array.isArray(exported)) throw new AgentsLoadError('AGENTS_INVALID', entry, `${entry} must export \`agents\` (an array of defineAgent(...) results)`);
  const invalid = exported.findIndex((agent) => !isAgent(agent));
  if (invalid >= 0) throw new AgentsLoadError('AGENTS_INVALID', entry, `${entry}: agents[${invalid}] is not a defineAgent(...) result (it needs a name, input and output contracts and an adapter)`);
  try {
    return new AgentRegistry(exported as AnyAgent[]);
  } catch (error) {
    throw new AgentsLoadError('AGENT_DUPLICATE', entry, `${entry}: ${error instanceof Error ? error.message.replace(/^AGENT_DUPLICATE: /, '') : String(error)}`);
  }
}

function isAgent(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { name?: unknown; adapter?: { run?: unknown }; input?: { safeParse?: unknown }; output?: { safeParse?: unknown } };
  return typeof candidate.name === 'string' && typeof candidate.adapter?.run === 'function' && typeof candidate.input?.safeParse === 'function' && typeof candidate.output?.safeParse === 'function';
}
