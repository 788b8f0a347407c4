/**
 * `agent`: invoke a registered agent through the agent activity, which polls the agent's task until it
 * completes or asks (the run holds no workflow task meanwhile). A question becomes a pending action of
 * kind `agent`; the answer goes back on the same agent task, then polling resumes. A person may decline the
 * question instead (user action `declined`): the agent's task is cancelled and the step fails with AGENT_DECLINED,
 * routed by `on_error` like the step's other failures. Sandbox-safe.
 */
import type { AgentStep } from '../../format/runbook-format.ts';
import { AGENT_ACTIVITY, AGENT_FAILURE, AGENT_QUESTION_HINT, type AgentCancellation, type AgentCancelled, type AgentInvocation, type AgentResult, type AgentTaskRef, type AgentTurn } from '../agent-types.ts';
import type { UserAction } from '../run-state.ts';
import { parseDuration } from '../durations.ts';
import type { HandlerCall } from '../runtime-services.ts';
import type { StepScope } from '../step-scope.ts';
import { StepFailure } from '../step-failure.ts';
import { routeFailure, type StepOutcome } from '../transitions.ts';

const DEFAULT_TIMEOUT = '5m';
const DEFAULT_POLL_INTERVAL = '1s';
const DEFAULT_MAX_QUESTIONS = 5;
const DEFAULT_ACTION = 'answer_agent';
/** The activity's own deadline is the turn's timeout; the runtime's is later, so AGENT_TIMEOUT (with the task cancelled) wins. */
const TIMEOUT_MARGIN_MS = 15_000;
/** A poll heartbeats; a worker that died is noticed after this long without one (Temporal retries the activity elsewhere). */
const HEARTBEAT_MIN_MS = 10_000;
/** Cancelling the agent's task after a decline: one quick call. */
const CANCEL_TIMEOUT_MS = 30_000;

export async function executeAgent(step: AgentStep, scope: StepScope): Promise<StepOutcome> {
  try {
    return { next: 'continue', result: await converse(step, scope) };
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    const routed = await routeFailure(step.agent.on_error, error, step.id, (value, extra) => scope.evaluate(value, extra));
    if (!routed) throw error;
    return routed;
  }
}

async function converse(step: AgentStep, scope: StepScope): Promise<AgentResult> {
  const spec = step.agent;
  const input = (await scope.evaluate(spec.input ?? {})) ?? null;
  scope.checkPayloadSize(`the input of agent ${spec.name}`, input);
  const questions: { question: string; answer: unknown; actor: string | null }[] = [];
  let turn = await invoke(step, scope, { input }, 0);
  while (turn.state === 'input-required') {
    if (questions.length >= (spec.max_questions ?? DEFAULT_MAX_QUESTIONS)) {
      throw new StepFailure(`step "${step.id}": agent ${spec.name} asked more than ${spec.max_questions ?? DEFAULT_MAX_QUESTIONS} questions`, AGENT_FAILURE.tooManyQuestions, true);
    }
    const question = turn.question;
    scope.setPending(
      {
        action: spec.action ?? DEFAULT_ACTION,
        kind: 'agent',
        step: step.id,
        reason: question.text,
        display_hint: { type: AGENT_QUESTION_HINT, agent: spec.name, question: question.text, ...(question.schema ? { schema: question.schema } : {}) },
        payload: { question: question.text, ...(question.data === undefined ? {} : { data: question.data }), task_id: turn.task_id, context_id: turn.context_id },
      },
      question.schema ? { correctionsSchema: question.schema } : {},
    );
    const answer = await scope.awaitUserAction();
    const actor = answer?.actor ?? null;
    scope.record.last_actor = actor;
    if (answer?.action === 'declined') {
      scope.clearPending('user_action:declined');
      throw await decline(step, scope, turn, answer);
    }
    scope.clearPending('user_action:answered');
    questions.push({ question: question.text, answer: answer?.payload ?? null, actor });
    turn = await invoke(step, scope, { reply: { task_id: turn.task_id, context_id: turn.context_id, answer: answer?.payload ?? null } }, questions.length);
  }
  return { status: 'completed', output: turn.output ?? null, text: turn.text, files: turn.files, usage: turn.usage, questions };
}

/** A person declined the question: the agent's task is cancelled (best effort), and the step's failure says who and why. */
async function decline(step: AgentStep, scope: StepScope, task: AgentTaskRef, action: UserAction): Promise<StepFailure> {
  const reason = action.comment?.trim() || null;
  const cancellation: AgentCancellation = { agent: step.agent.name, task_id: task.task_id, context_id: task.context_id, reason };
  let cancelled: AgentCancelled;
  try {
    cancelled = (await scope.services.callHandler({
      handler: AGENT_ACTIVITY.cancel,
      args: cancellation,
      stepId: step.id,
      iteration: scope.record.iteration,
      retry: { max_attempts: 3, initial_interval: '1s', backoff_coefficient: 2, max_interval: '5s', non_retryable_types: [] },
      timeoutMs: CANCEL_TIMEOUT_MS,
      local: false,
      maxResultBytes: scope.limits.payloadBytes,
      onRetry: (attempt, error) => scope.recordRetry(attempt, error),
    })) as AgentCancelled;
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    cancelled = { cancelled: false, reason: error.message };
  }
  const who = action.actor ?? 'the person asked';
  const outcome = cancelled.cancelled ? 'its task was cancelled' : `its task could not be cancelled (${cancelled.reason})`;
  return new StepFailure(`step "${step.id}": ${who} declined agent ${step.agent.name}'s question${reason ? `: ${reason}` : ''}; ${outcome}`, AGENT_FAILURE.declined, true);
}

function invoke(step: AgentStep, scope: StepScope, message: Pick<AgentInvocation, 'input' | 'reply'>, turn: number): Promise<AgentTurn> {
  const spec = step.agent;
  const timeoutMs = parseDuration(spec.timeout ?? DEFAULT_TIMEOUT);
  const pollMs = parseDuration(spec.poll_interval ?? DEFAULT_POLL_INTERVAL);
  const invocation: AgentInvocation = {
    agent: spec.name,
    ...message,
    message_id: `${scope.runId}:${step.id}:${scope.record.iteration}:${turn}`,
    run_id: scope.runId,
    step_id: step.id,
    timeout_ms: timeoutMs,
    poll_interval_ms: pollMs,
    ...(spec.budget ? { budget: spec.budget } : {}),
  };
  const retry = spec.retry ?? {};
  const call: HandlerCall = {
    handler: AGENT_ACTIVITY.invoke,
    args: invocation,
    stepId: step.id,
    iteration: scope.record.iteration,
    retry: {
      max_attempts: retry.max_attempts ?? 3,
      initial_interval: retry.initial_interval ?? '1s',
      backoff_coefficient: retry.backoff_coefficient ?? 2,
      max_interval: retry.max_interval ?? '30s',
      non_retryable_types: retry.non_retryable_types ?? [],
    },
    timeoutMs: timeoutMs + TIMEOUT_MARGIN_MS,
    heartbeatMs: Math.max(HEARTBEAT_MIN_MS, pollMs * 5),
    local: false,
    maxResultBytes: scope.limits.payloadBytes,
    onRetry: (attempt, error) => scope.recordRetry(attempt, error),
  };
  return scope.services.callHandler(call) as Promise<AgentTurn>;
}
