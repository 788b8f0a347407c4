/**
 * The A2A adapter: an external agent addressed by its agent card URL (official `@a2a-js/sdk`, protocol
 * v1.0). A message starts a task without waiting (`returnImmediately`); the task is polled until it
 * completes, fails, is cancelled or rejected, or asks (`input-required`: the turn ends with the question).
 * An answer is sent on the same task and context. Usage is read from the task's `metadata.usage`
 * (`{tokens, cost}`, the task's total so far). Node side.
 */
import type { Part, Task, TaskState } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import type { AgentFile, AgentQuestion, AgentTaskRef, AgentUsage } from '../core/agent-types.ts';
import type { AdapterContext, AdapterRequest, AdapterTurn, AgentAdapter } from './agent-api.ts';
import { abortableSleep, usageOf } from './adapter-support.ts';

export interface A2aAgentOptions {
  /** The agent's base URL (its card at `/.well-known/agent-card.json`) or the card's full URL; a function is read at each call. */
  readonly cardUrl: string | (() => string);
}

/** The SDK, loaded at the first call: a process that only registers agents (validate) does not load it. */
let sdk: Promise<[typeof import('@a2a-js/sdk'), typeof import('@a2a-js/sdk/client')]> | undefined;
const loadSdk = (): Promise<[typeof import('@a2a-js/sdk'), typeof import('@a2a-js/sdk/client')]> => (sdk ??= Promise.all([import('@a2a-js/sdk'), import('@a2a-js/sdk/client')]));

/**
 * @example
 * adapter: a2aAgent({ cardUrl: 'https://agents.example.com/journal-drafter' })
 */
export function a2aAgent(options: A2aAgentOptions): AgentAdapter {
  const url = (): string => (typeof options.cardUrl === 'function' ? options.cardUrl() : options.cardUrl);
  const connect = async (): Promise<Client> => {
    const [, { ClientFactory, ClientFactoryOptions }] = await loadSdk();
    const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, { clientConfig: { polling: true } }));
    const target = url();
    return target.endsWith('.json') ? factory.createFromUrl(target, '') : factory.createFromUrl(target);
  };
  return {
    kind: 'a2a',
    get target() {
      return url();
    },
    async run(request, context) {
      const client = await connect();
      let task: Task;
      if (request.resume) task = await client.getTask({ tenant: '', id: request.resume.task_id }, { signal: context.signal });
      else {
        const [{ SendMessageRequest }] = await loadSdk();
        const sent = await client.sendMessage(SendMessageRequest.fromJSON({ message: messageOf(request), configuration: { returnImmediately: true } }), { signal: context.signal });
        // An agent may answer with a plain message and no task: that is its whole answer.
        if (!('status' in sent)) return completedOf(sent.parts, [], {});
        task = sent;
      }
      return poll(client, task, request, context);
    },
    async cancel(task) {
      const client = await connect();
      await client.cancelTask({ tenant: '', id: task.task_id, metadata: undefined });
    },
  };
}

async function poll(client: Client, first: Task, request: AdapterRequest, context: AdapterContext): Promise<AdapterTurn> {
  const [{ TaskState }] = await loadSdk();
  const ACTIVE = new Set([TaskState.TASK_STATE_SUBMITTED, TaskState.TASK_STATE_WORKING, TaskState.TASK_STATE_UNSPECIFIED]);
  let task = first;
  // Right after an answer the task may still show the question it answered (the agent has not moved on yet): not a new question.
  const answered = request.reply && first.status?.state === TaskState.TASK_STATE_INPUT_REQUIRED ? (first.status.message?.messageId ?? '') : undefined;
  const ref = (): AgentTaskRef => ({ task_id: task.id, context_id: task.contextId });
  for (;;) {
    context.heartbeat(ref());
    const usage = usageOf(task.metadata?.usage);
    context.reportUsage(usage);
    const state = task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED;
    if (state === TaskState.TASK_STATE_COMPLETED) return { ...completedOf(task.artifacts.flatMap((artifact) => artifact.parts), task.status?.message?.parts ?? [], usage), ...ref() };
    const stale = answered !== undefined && state === TaskState.TASK_STATE_INPUT_REQUIRED && (task.status?.message?.messageId ?? '') === answered;
    if (state === TaskState.TASK_STATE_INPUT_REQUIRED && !stale) return { state: 'input-required', question: questionOf(task.status?.message?.parts ?? []), usage, ...ref() };
    if (!ACTIVE.has(state) && !stale) {
      const said = textOf(task.status?.message?.parts ?? []);
      return { state: 'failed', message: `the agent's task ${task.id} ended ${stateName(TaskState, state)}${said ? `: ${said}` : ''}`, usage };
    }
    await abortableSleep(request.pollIntervalMs, context.signal);
    task = await client.getTask({ tenant: '', id: task.id }, { signal: context.signal });
  }
}

function messageOf(request: AdapterRequest): unknown {
  const content = request.reply ? request.reply.answer : request.input;
  const part = typeof content === 'string' ? { text: content } : { data: content ?? null, mediaType: 'application/json' };
  return {
    messageId: request.messageId,
    role: 'ROLE_USER',
    parts: [part],
    ...(request.reply ? { taskId: request.reply.task_id, contextId: request.reply.context_id } : {}),
  };
}

/** The output is the first data part (artifacts first, then the final message); without one, the text. */
function completedOf(artifactParts: readonly Part[], messageParts: readonly Part[], usage: AgentUsage): AdapterTurn {
  const parts = [...artifactParts, ...messageParts];
  const data = parts.find((part) => part.content?.$case === 'data');
  const text = textOf(parts);
  return { state: 'completed', output: data?.content?.$case === 'data' ? (data.content.value ?? null) : text, text, files: filesOf(parts), usage };
}

/** The question's text parts; a data part `{schema, ...}` offers a form for the answer. */
function questionOf(parts: readonly Part[]): AgentQuestion {
  const data = parts.find((part) => part.content?.$case === 'data');
  const value = data?.content?.$case === 'data' ? (data.content.value as unknown) : undefined;
  const record = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const schema = record?.schema;
  const { schema: _schema, ...rest } = record ?? {};
  void _schema;
  return {
    text: textOf(parts) || 'The agent asks for input.',
    ...(schema !== null && typeof schema === 'object' && !Array.isArray(schema) ? { schema: schema as Record<string, unknown> } : {}),
    ...(record ? (Object.keys(rest).length > 0 ? { data: rest } : {}) : value !== undefined ? { data: value } : {}),
  };
}

function textOf(parts: readonly Part[]): string {
  return parts.flatMap((part) => (part.content?.$case === 'text' ? [part.content.value] : [])).join('\n');
}

function filesOf(parts: readonly Part[]): AgentFile[] {
  return parts.flatMap((part): AgentFile[] => {
    const meta = { name: part.filename || null, media_type: part.mediaType || null };
    if (part.content?.$case === 'url') return [{ ...meta, url: part.content.value }];
    if (part.content?.$case === 'raw') return [{ ...meta, bytes: Buffer.from(part.content.value).toString('base64') }];
    return [];
  });
}

function stateName(names: Record<number, string>, state: TaskState): string {
  return (names[state] ?? String(state)).replace(/^TASK_STATE_/, '').toLowerCase().replace('_', '-');
}

