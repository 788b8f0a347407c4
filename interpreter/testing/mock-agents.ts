/**
 * Agent mocks for test runs, the agents' counterpart of mock-handlers.ts. One registry serves every
 * case a runtime runs (on Temporal the worker's agent activities consult it at call time): for any
 * agent name it gives a dispatching agent, which finds the case of a new task by its root run id,
 * answers from the case's mocks when one fits the step, and otherwise asks the real agent (the
 * project's agents/). A mocked task's later turns (an answer, a cancellation) stay with its mock.
 * Every turn is recorded for `expect.agents`. A mocked answer goes through the real agent's zod
 * contracts when there is one (the agent activity checks them), so a mock cannot drift.
 */
import { z } from 'zod';
import { AgentRegistry } from '../agents/agent-registry.ts';
import { defineAgent, type AdapterContext, type AdapterRequest, type AdapterTurn, type AnyAgent } from '../agents/agent-api.ts';
import type { AgentTaskRef } from '../core/agent-types.ts';
import { WorkflowError } from '../handlers/workflow-error.ts';
import type { AgentMock, AgentMockTurn } from './case-format.ts';
import { rootRunId } from './mock-handlers.ts';

/** One turn an agent was asked for, as the test saw it. */
export interface AgentCall {
  readonly agent: string;
  readonly step: string;
  readonly runId: string;
  /** `task`: a new task with `input`; `answer`: an answer sent back on a task; `cancel`: the task was cancelled. */
  readonly kind: 'task' | 'answer' | 'cancel';
  readonly input?: unknown;
  readonly answer?: unknown;
  readonly reason?: string | null;
  /** Whether a mock answered it (else the real agent). */
  readonly mocked: boolean;
}

interface Attached {
  readonly mocks: ReadonlyMap<string, readonly AgentMock[]>;
  readonly calls: AgentCall[];
  /** Turns used so far per `agent#index` (for `turns` sequences). */
  readonly used: Map<string, number>;
}

interface MockTask {
  readonly attached: Attached;
  readonly agent: string;
  readonly step: string;
  readonly runId: string;
  readonly mock: AgentMock;
  readonly key: string;
  /** Turns this task has taken (`ask` then `result`/`error`). */
  turns: number;
}

const ANY = z.unknown();

export class MockedAgents {
  private readonly cases = new Map<string, Attached>();
  private readonly tasks = new Map<string, MockTask>();
  private readonly dispatchers = new Map<string, AnyAgent>();
  private nextTask = 1;

  /** `real`: the project's agents (null: none, every agent must be mocked). */
  constructor(readonly real: AgentRegistry | null) {}

  /** A registry that has every agent name: mocked per case, else the real agent, else AGENT_UNKNOWN when invoked. */
  registry(): AgentRegistry {
    return new DispatchingRegistry(this);
  }

  /** Routes new agent tasks of run `runId` (and its children) to `mocks` until the returned function is called. */
  attach(runId: string, mocks: ReadonlyMap<string, readonly AgentMock[]>): { calls: readonly AgentCall[]; detach: () => void } {
    if (runId.includes('/')) throw new Error(`TEST_RUN_ID_INVALID: a test run id has no "/" (${runId})`);
    const attached: Attached = { mocks, calls: [], used: new Map() };
    this.cases.set(runId, attached);
    return {
      calls: attached.calls,
      detach: () => {
        this.cases.delete(runId);
        for (const [id, task] of this.tasks) if (task.attached === attached) this.tasks.delete(id);
      },
    };
  }

  /** The agent runbooks see under `name`. */
  dispatcher(name: string): AnyAgent {
    let agent = this.dispatchers.get(name);
    if (!agent) {
      const real = this.real?.get(name);
      agent = defineAgent({
        name,
        ...(real?.description ? { description: real.description } : {}),
        input: real?.input ?? ANY,
        output: real?.output ?? ANY,
        adapter: {
          kind: real?.adapter.kind ?? 'mock',
          target: real?.adapter.target ?? 'a test case mock',
          run: (request, context) => this.run(name, request, context),
          cancel: (task, reason) => this.cancel(name, task, reason),
        },
      });
      this.dispatchers.set(name, agent);
    }
    return agent;
  }

  private async run(name: string, request: AdapterRequest, context: AdapterContext): Promise<AdapterTurn> {
    const existing = request.reply ?? request.resume;
    if (existing) {
      const task = this.tasks.get(existing.task_id);
      if (!task) return this.realRun(name, request, context);
      if (request.reply) task.attached.calls.push({ agent: name, step: task.step, runId: task.runId, kind: 'answer', answer: request.reply.answer, mocked: true });
      return this.turn(task, existing);
    }
    const runId = request.runId ?? '';
    const step = request.stepId ?? '';
    const attached = this.cases.get(rootRunId(runId));
    const list = attached?.mocks.get(name) ?? [];
    const index = list.findIndex((mock) => mock.step === undefined || mock.step === step);
    attached?.calls.push({ agent: name, step, runId, kind: 'task', input: request.input ?? null, mocked: index >= 0 });
    if (index < 0 || !attached) {
      if (!this.real?.get(name)) {
        const why = list.length > 0 ? `its mocks do not cover step "${step}"` : 'it is not mocked';
        throw new WorkflowError(`step "${step}": agent "${name}" is not registered${registeredNames(this.real?.names() ?? [])} and ${why}`, { type: 'AGENT_UNKNOWN', nonRetryable: true });
      }
      return this.realRun(name, request, context);
    }
    const id = this.nextTask++;
    const ref: AgentTaskRef = { task_id: `mock-task-${id}`, context_id: `mock-context-${id}` };
    const task: MockTask = { attached, agent: name, step, runId, mock: list[index], key: `${name}#${index}`, turns: 0 };
    this.tasks.set(ref.task_id, task);
    // No task in the heartbeat: a retried turn starts a new task, in-process and on Temporal alike.
    context.heartbeat();
    return this.turn(task, ref);
  }

  private realRun(name: string, request: AdapterRequest, context: AdapterContext): Promise<AdapterTurn> {
    const real = this.real?.get(name);
    if (!real) {
      // As the real registry says it (agents/agent-activities.ts), plus that no mock covers it.
      throw new WorkflowError(`agent "${name}" is not registered${registeredNames(this.real?.names() ?? [])} and it is not mocked`, { type: 'AGENT_UNKNOWN', nonRetryable: true });
    }
    return real.adapter.run(request, context);
  }

  /** The task's next turn: from `turns` (the mock's sequence), else `ask` first, then `result` or `error`. */
  private turn(task: MockTask, ref: AgentTaskRef): AdapterTurn {
    const { mock } = task;
    let turn: AgentMockTurn;
    if (mock.turns) {
      const used = task.attached.used.get(task.key) ?? 0;
      task.attached.used.set(task.key, used + 1);
      if (used >= mock.turns.length) {
        throw new WorkflowError(`the mock of agent ${task.agent} gave all its ${mock.turns.length} turns; turn ${used + 1} has none`, { type: 'MOCK_EXHAUSTED', nonRetryable: true });
      }
      turn = mock.turns[used];
    } else if (mock.ask && task.turns === 0) turn = { ask: mock.ask };
    else turn = mock.result ? { result: mock.result } : { error: mock.error! };
    task.turns += 1;
    if ('ask' in turn) {
      const { question, schema, data, usage } = turn.ask;
      return { state: 'input-required', question: { text: question, ...(schema ? { schema } : {}), ...(data === undefined ? {} : { data }) }, usage: usage ?? {}, ...ref };
    }
    if ('error' in turn) {
      const { type, message } = turn.error;
      throw new WorkflowError(message ?? `mocked ${type} from agent ${task.agent}`, { type, nonRetryable: type !== 'AGENT_UNAVAILABLE' });
    }
    const { output, text, files, usage } = turn.result;
    return { state: 'completed', output: output ?? null, text: text ?? '', files: files ?? [], usage: usage ?? {}, ...ref };
  }

  private async cancel(name: string, ref: AgentTaskRef, reason?: string | null): Promise<void> {
    const task = this.tasks.get(ref.task_id);
    if (!task) {
      const real = this.real?.get(name);
      // The reasons the real registry gives (agents/agent-activities.ts: cancelAgentTask).
      if (!real) throw new Error(`agent "${name}" is not registered here`);
      if (!real.adapter.cancel) throw new Error(`the ${real.adapter.kind} adapter of agent ${name} cannot cancel a task`);
      return real.adapter.cancel(ref, reason);
    }
    task.attached.calls.push({ agent: name, step: task.step, runId: task.runId, kind: 'cancel', reason: reason ?? null, mocked: true });
  }
}

/** Every name is an agent here: what a name does is decided per call (mocked, real, or AGENT_UNKNOWN). */
class DispatchingRegistry extends AgentRegistry {
  constructor(private readonly mocked: MockedAgents) {
    super([]);
  }

  override get(name: string): AnyAgent {
    return this.mocked.dispatcher(name);
  }

  override has(): boolean {
    return true;
  }

  override names(): string[] {
    return this.mocked.real?.names() ?? [];
  }
}

/** As the real registry names them in AGENT_UNKNOWN (agents/agent-activities.ts). */
function registeredNames(names: readonly string[]): string {
  return names.length > 0 ? ` (registered: ${names.join(', ')})` : ' (no agents are registered)';
}
