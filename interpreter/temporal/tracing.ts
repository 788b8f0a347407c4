/**
 * OpenTelemetry tracing through the Temporal SDK's interceptors (`@temporalio/interceptors-opentelemetry`):
 * a client's start, the workflow run, its activities and children become spans of one trace,
 * exported over OTLP/HTTP (protobuf or JSON) in batches. Node side; loaded only by processes that
 * trace (nothing imports it statically but its users' dynamic imports), so the rest pay nothing.
 *
 * The workflow side is in the workflow bundle (`workflowInterceptorModules`, ./tracing-workflow.ts):
 * its spans leave the sandbox through the package's `exporter` sink, which this module's processor
 * exports with the rest. Our own interceptors sit inside the package's and add the runbook's names
 * to its spans (`runbook.slug`, `runbook.step_id`, `runbook.iteration`, `runbook.run_id`).
 *
 * An export that fails (collector down, wrong URL) drops that batch and is reported through
 * `onExportError` (first failure, then at most once a minute): tracing never fails a run or a worker.
 *
 * @example
 * const tracing = createTracing({ url: 'http://127.0.0.1:4318/v1/traces', serviceName: 'runbook' });
 * const worker = await createInterpreterWorker({ ...options, tracing });
 * const client = new Client({ connection, interceptors: { workflow: tracing.clientInterceptors() } });
 * // ... and on the way out:
 * await tracing.shutdown();
 */
import { context, propagation, trace, type Attributes, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { Resource, envDetectorSync } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import type {
  Next,
  RequestCancelWorkflowExecutionResponse,
  TerminateWorkflowExecutionResponse,
  WorkflowCancelInput,
  WorkflowClientInterceptor,
  WorkflowSignalInput,
  WorkflowSignalWithStartInput,
  WorkflowStartInput,
  WorkflowStartOutput,
  WorkflowStartUpdateInput,
  WorkflowStartUpdateOutput,
  WorkflowStartUpdateWithStartInput,
  WorkflowStartUpdateWithStartOutput,
  WorkflowTerminateInput,
} from '@temporalio/client';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { RESOLVE_DEFINITION_ACTIVITY, type HandlerActivityMeta, type InterpreterWorkflowInput } from './workflow-contract.ts';

/** The workflow interceptor module beside this one (the package's interceptors and ours), for the workflow bundle. */
export const TRACING_WORKFLOW_MODULE = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './tracing-workflow.ts' : './tracing-workflow.js', import.meta.url));

export type TracingProtocol = 'http/protobuf' | 'http/json';

export interface TracingOptions {
  /** The collector's OTLP/HTTP traces URL, such as http://127.0.0.1:4318/v1/traces. */
  readonly url: string;
  /** Default "http/protobuf" (the OTLP default); "http/json" for a receiver that wants JSON. */
  readonly protocol?: TracingProtocol;
  /** The spans' service.name. Default "runbook". */
  readonly serviceName?: string;
  /** The spans' service.version (the package's version, say). */
  readonly serviceVersion?: string;
  /** Told, in one line, when spans could not be exported: the first failure, then at most once a minute. Default: a process warning. */
  readonly onExportError?: (message: string) => void;
  /** Headers sent with every export (an API key of a hosted backend). Default: OTEL_EXPORTER_OTLP_(TRACES_)HEADERS, read by the exporter. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a worker needs of a tracing (createInterpreterWorker's `tracing`). */
export interface WorkerTracing {
  /** Bundled into the workflow code (the bundle is made per set of modules). */
  readonly workflowInterceptorModules: readonly string[];
  /** The activity interceptors: the package's RunActivity span, our attributes inside it. */
  activityInterceptors(): ActivityInterceptorsFactory[];
  /** The `exporter` sink the workflow interceptors send their spans through. */
  sinks(): InjectedSinks<OpenTelemetrySinks>;
}

export interface RunbookTracing extends WorkerTracing {
  readonly url: string;
  readonly protocol: TracingProtocol;
  readonly tracer: Tracer;
  /** A client's workflow interceptors (StartWorkflow, signals, updates, cancel; not queries), for `new Client({ interceptors: { workflow } })`. */
  clientInterceptors(): WorkflowClientInterceptor[];
  /** Sends what is buffered (bounded by `timeoutMs`, default 5 s: a collector that does not answer never holds the exit). */
  flush(timeoutMs?: number): Promise<void>;
  /** Flushes and stops (bounded the same way). Idempotent. */
  shutdown(timeoutMs?: number): Promise<void>;
}

const REPORT_EVERY_MS = 60_000;

/** Wraps the exporter to report failed exports (they are otherwise silent) without ever failing one. */
class ReportingExporter implements SpanExporter {
  private lastReport = 0;
  private failedSince = 0;

  constructor(
    private readonly inner: SpanExporter,
    private readonly url: string,
    private readonly report: (message: string) => void,
  ) {}

  export(spans: ReadableSpan[], done: Parameters<SpanExporter['export']>[1]): void {
    this.inner.export(spans, (result) => {
      // ExportResultCode.SUCCESS is 0.
      if (result.code !== 0) this.failed(spans.length, result.error);
      done(result);
    });
  }

  private failed(count: number, error: Error | undefined): void {
    this.failedSince += count;
    const now = Date.now();
    if (this.lastReport !== 0 && now - this.lastReport < REPORT_EVERY_MS) return;
    this.lastReport = now;
    const why = describeExportError(error);
    this.report(`TRACING_EXPORT_FAILED: ${this.failedSince} span(s) could not be sent to ${this.url} (${why}) and were dropped; runs are not affected. Check tracing.endpoint / OTEL_EXPORTER_OTLP_ENDPOINT and that the collector listens there (OTLP/HTTP, port 4318)`);
    this.failedSince = 0;
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

function describeExportError(error: Error | undefined): string {
  if (!error) return 'no reason given';
  const code = (error as { code?: unknown }).code;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const parts = [typeof code === 'string' || typeof code === 'number' ? String(code) : '', error.message, typeof cause?.code === 'string' ? cause.code : ''].filter(Boolean);
  return [...new Set(parts)].join(': ').slice(0, 300) || error.name;
}

/** `promise`, or done after `ms` whatever it does (never throws). */
async function bounded(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

const defined = (attributes: Record<string, string | number | undefined>): Attributes =>
  Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined && value !== '')) as Attributes;

/** The runbook names of an activity: the handler meta every step's activity gets (second argument), or the slug resolve_definition takes. */
function activityAttributes(input: ActivityExecuteInput, activityType: string): Attributes {
  if (activityType === RESOLVE_DEFINITION_ACTIVITY) return typeof input.args[0] === 'string' ? { 'runbook.slug': input.args[0] } : {};
  const meta = input.args[1] as Partial<HandlerActivityMeta> | undefined;
  if (!meta || typeof meta !== 'object' || typeof meta.stepId !== 'string') return {};
  return defined({ 'runbook.slug': meta.runbook, 'runbook.step_id': meta.stepId, 'runbook.iteration': meta.iteration, 'runbook.run_id': meta.runId });
}

/** Inside the package's RunActivity span: names the runbook and step on it. */
class ActivityAttributes implements ActivityInboundCallsInterceptor {
  constructor(private readonly activityType: string) {}

  execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    trace.getActiveSpan()?.setAttributes(activityAttributes(input, this.activityType));
    return next(input);
  }
}

/**
 * The package's client interceptor, the start named with the runbook (`runbook.slug` on StartWorkflow);
 * queries and describes are not traced (the console and `runbook run` poll them: each would be a trace of its own).
 */
class RunbookClientInterceptor implements WorkflowClientInterceptor {
  constructor(private readonly traced: OpenTelemetryWorkflowClientInterceptor) {}

  private named<I extends WorkflowStartInput, O>(next: (input: I) => Promise<O>): (input: I) => Promise<O> {
    return (input) => {
      const start = input.options.args?.[0] as Partial<InterpreterWorkflowInput> | undefined;
      if (typeof start?.slug === 'string') trace.getActiveSpan()?.setAttribute('runbook.slug', start.slug);
      return next(input);
    };
  }

  start(input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, 'start'>): Promise<string> {
    return this.traced.start(input, this.named(next));
  }

  startWithDetails(input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, 'startWithDetails'>): Promise<WorkflowStartOutput> {
    return this.traced.startWithDetails(input, this.named(next));
  }

  signal(input: WorkflowSignalInput, next: Next<WorkflowClientInterceptor, 'signal'>): Promise<void> {
    return this.traced.signal(input, next);
  }

  signalWithStart(input: WorkflowSignalWithStartInput, next: Next<WorkflowClientInterceptor, 'signalWithStart'>): Promise<string> {
    return this.traced.signalWithStart(input, next);
  }

  startUpdate(input: WorkflowStartUpdateInput, next: Next<WorkflowClientInterceptor, 'startUpdate'>): Promise<WorkflowStartUpdateOutput> {
    return this.traced.startUpdate(input, next);
  }

  startUpdateWithStart(input: WorkflowStartUpdateWithStartInput, next: Next<WorkflowClientInterceptor, 'startUpdateWithStart'>): Promise<WorkflowStartUpdateWithStartOutput> {
    return this.traced.startUpdateWithStart(input, next);
  }

  terminate(input: WorkflowTerminateInput, next: Next<WorkflowClientInterceptor, 'terminate'>): Promise<TerminateWorkflowExecutionResponse> {
    return this.traced.terminate(input, next);
  }

  cancel(input: WorkflowCancelInput, next: Next<WorkflowClientInterceptor, 'cancel'>): Promise<RequestCancelWorkflowExecutionResponse> {
    return this.traced.cancel(input, next);
  }
}

/**
 * The WorkflowInfo fields a workflow span keeps. The package copies the whole WorkflowInfo onto every
 * workflow span, memo, search attributes and last result included (the run's data, and objects no
 * backend shows): only these identifying scalars are kept.
 */
const WORKFLOW_SPAN_INFO = ['workflowId', 'runId', 'workflowType', 'namespace', 'taskQueue', 'attempt', 'firstExecutionRunId', 'continuedFromExecutionRunId', 'historyLength', 'currentBuildId'] as const;

function workflowSpanSink(sink: InjectedSinks<OpenTelemetrySinks>['exporter']): InjectedSinks<OpenTelemetrySinks> {
  const inner = sink.export;
  return {
    exporter: {
      export: {
        ...inner,
        fn: (info, spans) => {
          const kept = Object.fromEntries(WORKFLOW_SPAN_INFO.map((key) => [key, info[key]]).filter(([, value]) => typeof value === 'string' || typeof value === 'number')) as unknown as typeof info;
          inner.fn(kept, spans);
        },
      },
    },
  };
}

let contextInstalled = false;

/**
 * The process-wide pieces the package's Node-side interceptors rely on, installed once: a context
 * manager (so the active span survives awaits and a start's span reaches its headers) and the W3C
 * trace-context (and baggage) propagator. No tracer provider is made global: each tracing passes its
 * own tracer to the interceptors, so two in one process (a test) do not share spans.
 */
function installContext(): void {
  if (contextInstalled) return;
  contextInstalled = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
}

/** A tracing exporting to `options.url`. Call `shutdown()` when the process is done (it flushes). */
export function createTracing(options: TracingOptions): RunbookTracing {
  installContext();
  const protocol = options.protocol ?? 'http/protobuf';
  const report = options.onExportError ?? ((message: string) => process.emitWarning(message, { code: 'TRACING_EXPORT_FAILED' }));
  const exporterConfig = { url: options.url, ...(options.headers ? { headers: { ...options.headers } } : {}) };
  const inner = protocol === 'http/json' ? new OtlpJsonExporter(exporterConfig) : new OtlpProtobufExporter(exporterConfig);
  const resource = Resource.default()
    .merge(envDetectorSync.detect())
    .merge(new Resource(defined({ 'service.name': options.serviceName ?? 'runbook', 'service.version': options.serviceVersion })));
  const processor = new BatchSpanProcessor(new ReportingExporter(inner, options.url, report), { scheduledDelayMillis: 1_000 });
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  const tracer = provider.getTracer('yaml-runbook');
  const interceptorOptions = { tracer };
  let stopped: Promise<void> | undefined;
  return {
    url: options.url,
    protocol,
    tracer,
    workflowInterceptorModules: [TRACING_WORKFLOW_MODULE],
    activityInterceptors: () => [
      (ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx, interceptorOptions), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) }),
      (ctx) => ({ inbound: new ActivityAttributes(ctx.info.activityType) }),
    ],
    sinks: () => workflowSpanSink(makeWorkflowExporter(processor, resource)),
    clientInterceptors: () => [new RunbookClientInterceptor(new OpenTelemetryWorkflowClientInterceptor(interceptorOptions))],
    flush: (timeoutMs = 5_000) => bounded(provider.forceFlush(), timeoutMs),
    shutdown: (timeoutMs = 5_000) => (stopped ??= bounded(provider.shutdown(), timeoutMs)),
  };
}
