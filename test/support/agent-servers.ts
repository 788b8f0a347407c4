/**
 * Real local agent servers for tests, built with the official SDKs in the test process: an A2A agent
 * (express + @a2a-js/sdk, JSON-RPC) and an MCP server (streamable HTTP). Scripted, no model: what they
 * do is decided by the input's `mode`.
 */
import type { Server } from 'node:http';
import express from 'express';
import { AgentCard, Message, Task, TaskState } from '@a2a-js/sdk';
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore, type AgentExecutor, type ExecutionEventBus, type RequestContext } from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, UserBuilder } from '@a2a-js/sdk/server/express';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

export interface AgentServer {
  readonly url: string;
  /** The agent tasks that were cancelled, by id (A2A). */
  readonly cancelled: Set<string>;
  /** Every message the agent received (A2A: its data parts). */
  readonly received: unknown[];
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One scripted turn: what the agent publishes after a short while of working. */
function scripted(ctx: RequestContext, bus: ExecutionEventBus, cancelled: Set<string>, received: unknown[]): Promise<void> {
  const part = ctx.userMessage.parts[0]?.content;
  const data = part?.$case === 'data' ? (part.value as Record<string, unknown>) : part?.$case === 'text' ? { text: part.value } : {};
  received.push(data);
  const status = (state: TaskState, parts: unknown[] = [], usage?: { tokens?: number; cost?: number }): void =>
    bus.publish(
      AgentEvent.statusUpdate({
        taskId: ctx.taskId,
        contextId: ctx.contextId,
        status: { state, message: parts.length ? Message.fromJSON({ messageId: `${ctx.taskId}-${Date.now()}`, role: 'ROLE_AGENT', parts }) : undefined, timestamp: new Date().toISOString() },
        metadata: usage ? { usage } : undefined,
      }),
    );
  const complete = (output: unknown, text: string, usage: { tokens: number; cost: number }): void => {
    bus.publish(AgentEvent.artifactUpdate({ taskId: ctx.taskId, contextId: ctx.contextId, artifact: Task.fromJSON({ artifacts: [{ artifactId: 'result', name: 'result', parts: [{ data: output }, { text }] }] }).artifacts[0], append: false, lastChunk: true, metadata: undefined }));
    status(TaskState.TASK_STATE_COMPLETED, [], usage);
  };
  const first = !ctx.task;
  bus.publish(AgentEvent.task(ctx.task ?? Task.fromJSON({ id: ctx.taskId, contextId: ctx.contextId, status: { state: 'TASK_STATE_SUBMITTED' } })));
  return (async () => {
    status(TaskState.TASK_STATE_WORKING);
    await sleep(150);
    if (cancelled.has(ctx.taskId)) return;
    const mode = first ? String(data.mode ?? (data.vendor ? 'journal' : 'complete')) : 'answered';
    switch (mode) {
      case 'complete':
        return complete({ summary: `drafted for ${String(data.entity ?? 'nobody')}`, lines: 2 }, 'Drafted.', { tokens: 120, cost: 0.01 });
      case 'journal':
        status(TaskState.TASK_STATE_INPUT_REQUIRED, [{ text: `Which expense account should the accrual for ${String(data.vendor ?? 'the vendor')} go to?` }, { data: { schema: { type: 'object', required: ['account'], properties: { account: { type: 'string', pattern: '^[0-9]{4}$' } } } } }], { tokens: 40 });
        return;
      case 'ask':
        status(TaskState.TASK_STATE_INPUT_REQUIRED, [{ text: 'Which period?' }, { data: { schema: { type: 'object', required: ['period'], properties: { period: { type: 'string' } } } } }], { tokens: 40 });
        return;
      case 'answered': {
        const original = (ctx.task?.history[0]?.parts[0]?.content as { $case: string; value: Record<string, unknown> } | undefined)?.value ?? {};
        if ((original.mode ?? (original.vendor ? 'journal' : undefined)) === 'journal') {
          const amount = Number(original.amount ?? 0);
          return complete({ lines: [{ account: String(data.account), debit: amount, credit: 0 }, { account: '2100', debit: 0, credit: amount }], memo: `Accrual ${String(original.vendor ?? '')}` }, 'Drafted the accrual.', { tokens: 180, cost: 0.02 });
        }
        return complete({ summary: `drafted for ${String(data.period ?? '?')}`, lines: 2 }, 'Drafted after the answer.', { tokens: 200, cost: 0.02 });
      }
      case 'expensive':
        // Keeps working and reports ever more tokens: the client stops it at its budget.
        for (let tokens = 500; tokens <= 50_000 && !cancelled.has(ctx.taskId); tokens += 500) {
          status(TaskState.TASK_STATE_WORKING, [], { tokens });
          await sleep(50);
        }
        return;
      case 'fail':
        status(TaskState.TASK_STATE_FAILED, [{ text: 'the ledger is closed for this period' }]);
        return;
      case 'bad_output':
        return complete({ summary: 42 }, 'Wrong shape.', { tokens: 10, cost: 0 });
      case 'slow':
        while (!cancelled.has(ctx.taskId)) await sleep(50);
        return;
      default:
        status(TaskState.TASK_STATE_REJECTED, [{ text: `unknown mode ${mode}` }]);
    }
  })().finally(() => bus.finished());
}

function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` }));
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** An A2A agent (protocol 1.0, JSON-RPC) at `url`, its card at `/.well-known/agent-card.json`. */
export async function startA2aAgent(): Promise<AgentServer> {
  const cancelled = new Set<string>();
  const received: unknown[] = [];
  const app = express();
  const { server, url } = await listen(app);
  const card = AgentCard.fromJSON({
    name: 'Scripted drafter',
    description: 'A scripted A2A agent for tests: no model.',
    version: '1.0.0',
    supportedInterfaces: [{ url: `${url}/a2a/jsonrpc`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
    capabilities: { streaming: false },
    defaultInputModes: ['application/json', 'text/plain'],
    defaultOutputModes: ['application/json', 'text/plain'],
    skills: [{ id: 'draft', name: 'Draft', description: 'Drafts journal entries', tags: ['finance'] }],
  });
  const executor: AgentExecutor = {
    execute: (ctx, bus) => scripted(ctx, bus, cancelled, received),
    async cancelTask(taskId, bus) {
      cancelled.add(taskId);
      bus.publish(AgentEvent.statusUpdate({ taskId, contextId: '', status: { state: TaskState.TASK_STATE_CANCELED, message: undefined, timestamp: new Date().toISOString() }, metadata: undefined }));
      bus.finished();
    },
  };
  const handler = new DefaultRequestHandler(card, new InMemoryTaskStore(), executor);
  app.use('/.well-known/agent-card.json', agentCardHandler({ agentCardProvider: handler }));
  app.use('/a2a/jsonrpc', jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }));
  return { url, cancelled, received, close: () => closeServer(server) };
}

/** An MCP server (streamable HTTP, stateless) at `url` (`/mcp`) with one tool, `draft_journal`. */
export async function startMcpServer(): Promise<AgentServer> {
  const received: unknown[] = [];
  const app = express();
  app.use(express.json());
  app.post('/mcp', async (req, res) => {
    const server = new McpServer({ name: 'scripted-tools', version: '1.0.0' });
    server.registerTool(
      'draft_journal',
      { description: 'Drafts a journal (scripted)', inputSchema: { mode: z.string(), entity: z.string().optional() }, outputSchema: { summary: z.unknown(), lines: z.number().optional() } },
      async ({ mode, entity }) => {
        received.push({ mode, entity });
        if (mode === 'fail') return { isError: true, content: [{ type: 'text', text: 'the ledger is closed for this period' }] };
        if (mode === 'expensive') return { content: [{ type: 'text', text: 'Spent a lot.' }], structuredContent: { summary: 'costly', lines: 1 }, _meta: { usage: { tokens: 9000, cost: 3 } } };
        if (mode === 'slow') await sleep(5_000);
        return { content: [{ type: 'text', text: 'Drafted.' }, { type: 'resource_link', uri: 'file:///drafts/je-1.csv', name: 'je-1.csv', mimeType: 'text/csv' }], structuredContent: { summary: `drafted for ${entity ?? 'nobody'}`, lines: 2 }, _meta: { usage: { tokens: 90, cost: 0.005 } } };
      },
    );
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  const { server, url } = await listen(app);
  return { url: `${url}/mcp`, cancelled: new Set(), received, close: () => closeServer(server) };
}
