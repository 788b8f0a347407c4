/**
 * The agent activity (`$agents.invoke`): one turn of an agent step. Checks the input against the agent's
 * contract, runs the adapter until the agent completes or asks, holds it to the turn's timeout and the
 * step's budget, and checks the output. Registered by the Temporal worker (heartbeating while it polls;
 * a retry after a lost worker resumes the task its last heartbeat named) and used as a built-in
 * in-process. Node side.
 *
 * `$agents.cancel` stops an agent's task when a person declines its question (best effort: it reports
 * whether the adapter could cancel, and never fails the step itself).
 */
import type { z } from 'zod';
import { AGENT_ACTIVITY, AGENT_FAILURE, type AgentCancellation, type AgentCancelled, type AgentInvocation, type AgentTaskRef, type AgentTurn, type AgentUsage } from '../core/agent-types.ts';
import { WorkflowError } from '../handlers/workflow-error.ts';
import type { AnyAgent } from './agent-api.ts';
import type { AgentRegistry } from './agent-registry.ts';

/** What a runtime gives the activity besides its arguments. */
export interface AgentActivityContext {
  /** Aborted when the run is cancelled (or the attempt is). */
  readonly signal?: AbortSignal;
  /** On Temporal: `Context.current().heartbeat`. */
  heartbeat?(details: AgentHeartbeat): void;
  /** On Temporal: the last heartbeat of an earlier attempt of this activity. */
  readonly lastHeartbeat?: unknown;
}

/** What a heartbeat carries: the message and the agent's task it started. */
export interface AgentHeartbeat {
  readonly message_id: string;
  readonly task?: AgentTaskRef;
}

export type AgentActivity = (args: unknown, context?: AgentActivityContext) => Promise<AgentTurn | AgentCancelled>;

class OverBudget extends Error {}

/**
 * @example
 * const activities = agentActivities(await loadAgentRegistry('agents'));
 */
export function agentActivities(registry: AgentRegistry | undefined): Record<string, AgentActivity> {
  return {
    // The core built these arguments from a validated step; they are data the workflow recorded.
    [AGENT_ACTIVITY.invoke]: (args, context = {}) => invokeAgent(registry, args as AgentInvocation, context),
    [AGENT_ACTIVITY.cancel]: (args) => cancelAgentTask(registry, args as AgentCancellation),
  };
}

async function cancelAgentTask(registry: AgentRegistry | undefined, call: AgentCancellation): Promise<AgentCancelled> {
  const agent = registry?.get(call.agent);
  if (!agent) return { cancelled: false, reason: `agent "${call.agent}" is not registered here` };
  if (!agent.adapter.cancel) return { cancelled: false, reason: `the ${agent.adapter.kind} adapter of agent ${agent.name} cannot cancel a task` };
  try {
    await agent.adapter.cancel({ task_id: call.task_id, context_id: call.context_id }, call.reason);
    return { cancelled: true };
  } catch (error) {
    // A task that already ended cannot be cancelled, an agent gone cannot be asked: the decline stands either way.
    return { cancelled: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

async function invokeAgent(registry: AgentRegistry | undefined, call: AgentInvocation, context: AgentActivityContext): Promise<AgentTurn> {
  const agent = registry?.get(call.agent);
  if (!agent) throw new WorkflowError(`agent "${call.agent}" is not registered${registry && registry.names().length ? ` (registered: ${registry.names().join(', ')})` : ' (no agents are registered)'}`, { type: AGENT_FAILURE.unknown, nonRetryable: true });
  const input = call.reply ? undefined : checked(agent, agent.input, call.input, AGENT_FAILURE.inputInvalid, 'input');
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error('timeout')), call.timeout_ms);
  const signal = context.signal ? AbortSignal.any([deadline.signal, context.signal]) : deadline.signal;
  const resumed = resumedTask(context.lastHeartbeat, call.message_id);
  let task: AgentTaskRef | undefined = resumed ?? (call.reply ? { task_id: call.reply.task_id, context_id: call.reply.context_id } : undefined);
  let overBy: string | undefined;
  const stopOverBudget = (usage: AgentUsage): void => {
    overBy = overBudget(usage, call.budget);
    if (overBy) throw new OverBudget(overBy);
  };
  const name = `agent ${agent.name} (${agent.adapter.kind} ${agent.adapter.target})`;
  try {
    const turn = await agent.adapter.run(
      { input, ...(call.reply ? { reply: call.reply } : {}), messageId: call.message_id, ...(call.run_id === undefined ? {} : { runId: call.run_id }), ...(call.step_id === undefined ? {} : { stepId: call.step_id }), ...(resumed ? { resume: resumed } : {}), pollIntervalMs: call.poll_interval_ms },
      {
        signal,
        heartbeat(current) {
          if (current) task = current;
          context.heartbeat?.({ message_id: call.message_id, ...(task ? { task } : {}) });
        },
        reportUsage: stopOverBudget,
      },
    );
    stopOverBudget(turn.usage);
    if (turn.state === 'failed') throw new WorkflowError(`${name} failed: ${turn.message}`, { type: AGENT_FAILURE.failed, nonRetryable: true });
    if (turn.state === 'input-required') return turn;
    return { ...turn, output: checked(agent, agent.output, turn.output, AGENT_FAILURE.outputInvalid, 'output') };
  } catch (error) {
    if (error instanceof WorkflowError) {
      if (error.type === AGENT_FAILURE.budget) await cancelQuietly(agent, task);
      throw error;
    }
    if (overBy !== undefined) {
      await cancelQuietly(agent, task);
      throw new WorkflowError(`${name} went over its budget: ${overBy}; its task was cancelled`, { type: AGENT_FAILURE.budget, nonRetryable: true });
    }
    if (deadline.signal.aborted) {
      await cancelQuietly(agent, task);
      throw new WorkflowError(`${name} did not complete or ask within ${call.timeout_ms}ms; its task was cancelled`, { type: AGENT_FAILURE.timeout, nonRetryable: true });
    }
    if (context.signal?.aborted) {
      await cancelQuietly(agent, task);
      throw error;
    }
    // Anything else is the agent not being reachable (refused, reset, a 5xx): transient, retried by the step's policy.
    throw new WorkflowError(`${name} could not be reached: ${error instanceof Error ? error.message : String(error)}`, { type: AGENT_FAILURE.unavailable, nonRetryable: false });
  } finally {
    clearTimeout(timer);
  }
}

function checked(agent: AnyAgent, contract: z.ZodType, value: unknown, type: string, what: string): unknown {
  const result = contract.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : '(the whole value)'}: ${issue.message}`).join('; ');
  throw new WorkflowError(`the ${what} of agent ${agent.name} does not fit its contract: ${problems}`, { type, nonRetryable: true });
}

function overBudget(usage: AgentUsage, budget: AgentUsage | undefined): string | undefined {
  if (!budget) return undefined;
  if (budget.tokens !== undefined && usage.tokens !== undefined && usage.tokens > budget.tokens) return `${usage.tokens} tokens, the budget is ${budget.tokens}`;
  if (budget.cost !== undefined && usage.cost !== undefined && usage.cost > budget.cost) return `cost ${usage.cost}, the budget is ${budget.cost}`;
  return undefined;
}

function resumedTask(heartbeat: unknown, messageId: string): AgentTaskRef | undefined {
  if (heartbeat === null || typeof heartbeat !== 'object') return undefined;
  const { message_id: id, task } = heartbeat as Partial<AgentHeartbeat>;
  return id === messageId && task && typeof task.task_id === 'string' && typeof task.context_id === 'string' ? task : undefined;
}

async function cancelQuietly(agent: AnyAgent, task: AgentTaskRef | undefined): Promise<void> {
  if (!task || !agent.adapter.cancel) return;
  try {
    await agent.adapter.cancel(task);
  } catch {
    // Best effort: the step fails for its own reason either way.
  }
}
