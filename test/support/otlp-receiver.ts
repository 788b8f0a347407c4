/**
 * A real OTLP/HTTP trace receiver for tests: `POST /v1/traces` with an ExportTraceServiceRequest,
 * protobuf (`application/x-protobuf`, decoded with protobufjs from the few fields of the OTLP
 * protos a test reads) or JSON (`application/json`), as a collector on port 4318 takes it. It keeps
 * every span, flattened, with its service and the content type it came in.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import protobuf from 'protobufjs';

export interface ReceivedSpan {
  /** Hex, as trace UIs show them. */
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  /** The resource's service.name. */
  readonly service: string;
  readonly contentType: string;
}

export interface OtlpReceiver {
  /** The base URL (OTEL_EXPORTER_OTLP_ENDPOINT): http://127.0.0.1:PORT */
  readonly url: string;
  readonly spans: ReceivedSpan[];
  /** Requests that were not a POST /v1/traces the receiver could decode. */
  readonly rejected: string[];
  /** Resolves with the spans once `predicate` holds of them (polls), or rejects after `timeoutMs` naming what arrived. */
  waitFor(predicate: (spans: readonly ReceivedSpan[]) => boolean, timeoutMs: number): Promise<readonly ReceivedSpan[]>;
  close(): Promise<void>;
}

// The fields of opentelemetry/proto/collector/trace/v1 and trace/v1 a test reads (other fields are skipped on decode).
const PROTO = `
syntax = "proto3";
package otlp;
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message Resource { repeated KeyValue attributes = 1; }
message ScopeSpans { repeated Span spans = 2; }
message Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; repeated KeyValue attributes = 9; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; } }
`;
const RequestType = protobuf.parse(PROTO).root.lookupType('otlp.ExportTraceServiceRequest');

interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string | { toNumber(): number };
  doubleValue?: number;
}
interface KeyValue {
  key: string;
  value?: AnyValue;
}
interface WireSpan {
  traceId: string | Uint8Array;
  spanId: string | Uint8Array;
  parentSpanId?: string | Uint8Array;
  name: string;
  attributes?: KeyValue[];
}
interface WireRequest {
  resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: WireSpan[] }[] }[];
}

const hex = (id: string | Uint8Array | undefined): string => (id === undefined ? '' : typeof id === 'string' ? id : Buffer.from(id).toString('hex'));

function valueOf(value: AnyValue | undefined): string | number | boolean {
  if (!value) return '';
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.doubleValue !== undefined) return value.doubleValue;
  const int = value.intValue;
  if (int !== undefined) return typeof int === 'object' ? int.toNumber() : Number(int);
  return '';
}

const attributesOf = (list: KeyValue[] | undefined): Record<string, string | number | boolean> => Object.fromEntries((list ?? []).map(({ key, value }) => [key, valueOf(value)]));

function flatten(request: WireRequest, contentType: string): ReceivedSpan[] {
  return (request.resourceSpans ?? []).flatMap((resourceSpans) => {
    const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name'] ?? '');
    return (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        traceId: hex(span.traceId),
        spanId: hex(span.spanId),
        parentSpanId: hex(span.parentSpanId),
        name: span.name,
        attributes: attributesOf(span.attributes),
        service,
        contentType,
      })),
    );
  });
}

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts a receiver on 127.0.0.1 (a free port). */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const rejected: string[] = [];
  const server: Server = createServer((request, response) => {
    void (async () => {
      const contentType = String(request.headers['content-type'] ?? '').split(';')[0].trim();
      const raw = await body(request);
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        rejected.push(`${request.method} ${request.url}`);
        response.writeHead(404).end();
        return;
      }
      try {
        if (contentType === 'application/x-protobuf') {
          spans.push(...flatten(RequestType.toObject(RequestType.decode(raw), { longs: Number, defaults: false }) as WireRequest, contentType));
          response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        } else if (contentType === 'application/json') {
          spans.push(...flatten(JSON.parse(raw.toString('utf8')) as WireRequest, contentType));
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } else {
          rejected.push(`content-type ${contentType}`);
          response.writeHead(415).end();
        }
      } catch (error) {
        rejected.push(`undecodable ${contentType}: ${error instanceof Error ? error.message : String(error)}`);
        response.writeHead(400).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    rejected,
    async waitFor(predicate, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(spans)) {
        if (Date.now() > deadline) throw new Error(`the spans expected did not arrive within ${timeoutMs} ms; received:\n${spans.map((span) => `  ${span.service} ${span.name} ${span.traceId}/${span.spanId}<-${span.parentSpanId} ${JSON.stringify(span.attributes)}`).join('\n') || '  none'}${rejected.length ? `\nrejected: ${rejected.join('; ')}` : ''}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return spans;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
