/**
 * The agent contract: what a module in `agents/` exports. An agent is an external service (an A2A agent,
 * an MCP tool) with a name runbooks use, a zod input and output contract, and an adapter that talks to it.
 * Node side.
 */
import type { z } from 'zod';
import type { AgentFile, AgentQuestion, AgentTaskRef, AgentUsage } from '../core/agent-types.ts';

/** What an adapter gets for one turn. */
export interface AdapterRequest {
  /** A new task with this input, or an answer on a task the agent asked on. */
  readonly input?: unknown;
  readonly reply?: AgentTaskRef & { readonly answer: unknown };
  readonly messageId: string;
  /** The run and step that ask (a child run's id starts with its parent's, `root/step/0`). */
  readonly runId?: string;
  readonly stepId?: string;
  /** A task this activity already sent (its last heartbeat, after a worker died): poll it instead of sending again. */
  readonly resume?: AgentTaskRef;
  readonly pollIntervalMs: number;
}

export interface AdapterContext {
  /** Aborted at the turn's deadline, or when the run is cancelled. */
  readonly signal: AbortSignal;
  /** The agent's task is known / still alive (on Temporal: an activity heartbeat with the task, so a retry resumes it). */
  heartbeat(task?: AgentTaskRef): void;
  /** Usage so far; throws (the budget) to stop the agent — the adapter cancels the task then. */
  reportUsage(usage: AgentUsage): void;
}

/** How a turn ended on the agent's side, before the output is checked against the contract. */
export type AdapterTurn =
  | ({ readonly state: 'completed'; readonly output: unknown; readonly text: string; readonly files: readonly AgentFile[]; readonly usage: AgentUsage } & Partial<AgentTaskRef>)
  | ({ readonly state: 'input-required'; readonly question: AgentQuestion; readonly usage: AgentUsage } & AgentTaskRef)
  | { readonly state: 'failed'; readonly message: string; readonly usage: AgentUsage };

/** Talks to one kind of agent service. `kind` names it in messages and docs. */
export interface AgentAdapter {
  readonly kind: 'a2a' | 'mcp' | (string & {});
  /** Where the agent is, for messages (a URL, a command). */
  readonly target: string;
  run(request: AdapterRequest, context: AdapterContext): Promise<AdapterTurn>;
  /** Best effort: stop the agent's task (a timeout, an exceeded budget, a person declined its question: `reason`, their comment). */
  cancel?(task: AgentTaskRef, reason?: string | null): Promise<void>;
}

export interface AgentDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** The name runbooks use, e.g. `journal.drafter`. */
  readonly name: string;
  readonly description?: string;
  /** zod contract for the step's input, checked before the agent is asked. */
  readonly input: I;
  /** zod contract for the agent's output, checked when it completes (AGENT_OUTPUT_INVALID otherwise). */
  readonly output: O;
  readonly adapter: AgentAdapter;
}

/** Any agent, for registries. */
export type AnyAgent = AgentDefinition<z.ZodType, z.ZodType>;

/**
 * Declares an agent with its contracts and adapter.
 *
 * @example
 * export const drafter = defineAgent({
 *   name: 'journal.drafter',
 *   input: z.object({ entity: z.string(), period: z.string() }),
 *   output: z.object({ lines: z.array(z.object({ account: z.string(), debit: z.number(), credit: z.number() })) }),
 *   adapter: a2aAgent({ cardUrl: () => process.env.JOURNAL_DRAFTER_URL ?? 'http://127.0.0.1:41241' }),
 * });
 */
export function defineAgent<I extends z.ZodType, O extends z.ZodType>(definition: AgentDefinition<I, O>): AgentDefinition<I, O> {
  return definition;
}
