export { defineAgent } from './agent-api.ts';
export type { AgentDefinition, AnyAgent, AgentAdapter, AdapterRequest, AdapterContext, AdapterTurn } from './agent-api.ts';
export { AgentRegistry, AgentsLoadError, loadAgentRegistry, DEFAULT_AGENTS_DIR } from './agent-registry.ts';
export { a2aAgent, type A2aAgentOptions } from './a2a-adapter.ts';
export { mcpTool, type McpToolOptions } from './mcp-adapter.ts';
export { agentActivities, type AgentActivity, type AgentActivityContext, type AgentHeartbeat } from './agent-activities.ts';
export type { AgentCancellation, AgentCancelled, AgentFile, AgentQuestion, AgentResult, AgentTaskRef, AgentTurn, AgentUsage } from '../core/agent-types.ts';
export { AGENT_FAILURE } from '../core/agent-types.ts';
