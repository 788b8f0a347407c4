/**
 * The project's agents for a command that runs runbooks: the configured (or flagged) agents entry,
 * or `agents/` when it exists; none otherwise. An entry that cannot be loaded throws
 * AgentsLoadError (AGENTS_*, exit 2 in main.ts, naming the file and the cause).
 */
import type { AgentRegistry } from '../agents/agent-registry.ts';
import { agentsEntry, type CliConfig } from './project-config.ts';

/** The registry, or undefined when the project has no agents. The adapters' SDKs load only when it has some. */
export async function loadProjectAgents(config: CliConfig): Promise<AgentRegistry | undefined> {
  const entry = agentsEntry(config);
  if (entry === undefined) return undefined;
  const { loadAgentRegistry } = await import('../agents/agent-registry.ts');
  return loadAgentRegistry(entry);
}
