/**
 * The MCP adapter: one tool on an MCP server (`@modelcontextprotocol/sdk`), over streamable HTTP or
 * stdio. A call is one turn: the tool's structured content is the output (else its text), resource
 * links and embedded resources are files, `isError` fails the step, and usage is read from the result's
 * `_meta.usage` (`{tokens, cost}`). Progress notifications keep the call alive (and heartbeat on
 * Temporal). MCP tools do not ask questions here: the client offers no elicitation. Node side.
 */
import type { AgentFile } from '../core/agent-types.ts';
import type { AgentAdapter } from './agent-api.ts';
import { usageOf } from './adapter-support.ts';

export type McpToolOptions =
  | { readonly url: string | (() => string); readonly tool: string }
  | { readonly command: string; readonly args?: readonly string[]; readonly env?: Readonly<Record<string, string>>; readonly cwd?: string; readonly tool: string };

/**
 * @example
 * adapter: mcpTool({ url: 'http://127.0.0.1:3001/mcp', tool: 'draft_journal' })
 * adapter: mcpTool({ command: 'node', args: ['agents/drafter-server.js'], tool: 'draft_journal' })
 */
export function mcpTool(options: McpToolOptions): AgentAdapter {
  const describe = (): string => ('url' in options ? (typeof options.url === 'function' ? options.url() : options.url) : [options.command, ...(options.args ?? [])].join(' '));
  return {
    kind: 'mcp',
    get target() {
      return `${describe()} tool ${options.tool}`;
    },
    async run(request, context) {
      // The SDK at the first call: a process that only registers agents (validate) does not load it.
      const [{ Client }, { StdioClientTransport }, { StreamableHTTPClientTransport }] = await Promise.all([
        import('@modelcontextprotocol/sdk/client/index.js'),
        import('@modelcontextprotocol/sdk/client/stdio.js'),
        import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
      ]);
      const client = new Client({ name: 'yaml-runbook', version: '1' });
      const transport =
        'url' in options
          ? new StreamableHTTPClientTransport(new URL(typeof options.url === 'function' ? options.url() : options.url))
          : new StdioClientTransport({ command: options.command, args: [...(options.args ?? [])], ...(options.env ? { env: { ...options.env } } : {}), ...(options.cwd ? { cwd: options.cwd } : {}), stderr: 'ignore' });
      await client.connect(transport, { signal: context.signal });
      try {
        context.heartbeat();
        const result = await client.callTool({ name: options.tool, arguments: toArguments(request.reply ? request.reply.answer : request.input) }, undefined, {
          signal: context.signal,
          // The turn's deadline is the signal; the SDK's own 60 s default would cut a long tool short.
          timeout: 2 ** 31 - 1,
          onprogress: () => context.heartbeat(),
        });
        const usage = usageOf((result._meta as Record<string, unknown> | undefined)?.usage);
        context.reportUsage(usage);
        const content = Array.isArray(result.content) ? (result.content as ContentItem[]) : [];
        const text = content.flatMap((item) => (item.type === 'text' && typeof item.text === 'string' ? [item.text] : [])).join('\n');
        if (result.isError) return { state: 'failed', message: `tool ${options.tool} failed${text ? `: ${text}` : ''}`, usage };
        return { state: 'completed', output: result.structuredContent ?? text, text, files: filesOf(content), usage };
      } finally {
        await client.close();
      }
    },
  };
}

interface ContentItem {
  readonly type: string;
  readonly text?: unknown;
  readonly uri?: unknown;
  readonly name?: unknown;
  readonly mimeType?: unknown;
  readonly resource?: { readonly uri?: unknown; readonly mimeType?: unknown; readonly blob?: unknown; readonly text?: unknown };
}

/** MCP tool arguments are an object: anything else is passed as `{input: value}`. */
function toArguments(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { input: value };
}

function filesOf(content: readonly ContentItem[]): AgentFile[] {
  const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  return content.flatMap((item): AgentFile[] => {
    if (item.type === 'resource_link') return [{ name: str(item.name), media_type: str(item.mimeType), ...(str(item.uri) ? { url: str(item.uri)! } : {}) }];
    if (item.type === 'resource' && item.resource) {
      const { uri, mimeType, blob, text } = item.resource;
      const bytes = str(blob) ?? (typeof text === 'string' ? Buffer.from(text).toString('base64') : null);
      return [{ name: str(uri), media_type: str(mimeType), ...(str(uri) ? { url: str(uri)! } : {}), ...(bytes ? { bytes } : {}) }];
    }
    return [];
  });
}
