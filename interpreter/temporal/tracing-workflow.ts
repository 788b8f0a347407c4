/**
 * The workflow side of tracing (./tracing.ts), bundled into the workflow code only when a worker
 * traces (`workflowInterceptorModules`): the SDK package's workflow interceptors (RunWorkflow,
 * StartActivity, StartChildWorkflow, HandleSignal, HandleUpdate spans, their context passed on in
 * headers; queries are left out), and ours inside them, which name the runbook and the step on the
 * span the package opened. Runs in the workflow sandbox: no Node built-ins; the spans leave through the package's
 * `exporter` sink (never called on replay, so a replayed task exports nothing twice).
 */
import { trace, type Attributes } from '@opentelemetry/api';
import { OpenTelemetryInboundInterceptor, OpenTelemetryInternalsInterceptor, OpenTelemetryOutboundInterceptor } from '@temporalio/interceptors-opentelemetry/lib/workflow/index.js';
import type {
  ActivityInput,
  LocalActivityInput,
  Next,
  SignalInput,
  StartChildWorkflowExecutionInput,
  UpdateInput,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptors,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { workflowInfo } from '@temporalio/workflow';
import { RESOLVE_DEFINITION_ACTIVITY, type HandlerActivityMeta, type InterpreterWorkflowInput } from './workflow-contract.ts';

const defined = (attributes: Record<string, string | number | undefined>): Attributes =>
  Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined && value !== '')) as Attributes;

const slugOf = (start: unknown): string | undefined => {
  const slug = (start as Partial<InterpreterWorkflowInput> | undefined)?.slug;
  return typeof slug === 'string' ? slug : undefined;
};

const annotate = (attributes: Attributes): void => {
  trace.getActiveSpan()?.setAttributes(attributes);
};

/**
 * The package's inbound interceptor without queries: RunWorkflow (named with the runbook), HandleSignal,
 * HandleUpdate and ValidateUpdate are spans; a query is not (the console and `runbook run` poll them: each
 * would be a trace of its own, hundreds per run).
 */
class RunbookInbound implements WorkflowInboundCallsInterceptor {
  private readonly traced = new OpenTelemetryInboundInterceptor();

  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    return this.traced.execute(input, (inner) => {
      annotate(defined({ 'runbook.slug': slugOf(inner.args[0]), 'runbook.run_id': workflowInfo().workflowId }));
      return next(inner);
    });
  }

  handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>): Promise<void> {
    return this.traced.handleSignal(input, next);
  }

  handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>): Promise<unknown> {
    return this.traced.handleUpdate(input, next);
  }

  validateUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'validateUpdate'>): void {
    this.traced.validateUpdate(input, next);
  }
}

/** Inside the package's outbound spans: the runbook and step on StartActivity, and on StartChildWorkflow with the child's runbook and run id. */
class RunbookOutboundAttributes implements WorkflowOutboundCallsInterceptor {
  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>): Promise<unknown> {
    const meta = input.args[1] as Partial<HandlerActivityMeta> | undefined;
    if (meta && typeof meta === 'object') annotate(defined({ 'runbook.slug': meta.runbook, 'runbook.step_id': meta.stepId, 'runbook.iteration': meta.iteration }));
    return next(input);
  }

  scheduleLocalActivity(input: LocalActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>): Promise<unknown> {
    if (input.activityType === RESOLVE_DEFINITION_ACTIVITY) {
      if (typeof input.args[0] === 'string') annotate({ 'runbook.slug': input.args[0] });
    } else {
      const meta = input.args[1] as Partial<HandlerActivityMeta> | undefined;
      if (meta && typeof meta === 'object') annotate(defined({ 'runbook.slug': meta.runbook, 'runbook.step_id': meta.stepId, 'runbook.iteration': meta.iteration }));
    }
    return next(input);
  }

  startChildWorkflowExecution(input: StartChildWorkflowExecutionInput, next: Next<WorkflowOutboundCallsInterceptor, 'startChildWorkflowExecution'>): Promise<[Promise<string>, Promise<unknown>]> {
    const start = input.options.args?.[0] as Partial<InterpreterWorkflowInput> | undefined;
    // The span is the parent's: its runbook and step (the child's origin names them), then the child.
    const parent = start?.origin?.parent;
    annotate(defined({ 'runbook.slug': parent?.runbook, 'runbook.step_id': parent?.step, 'runbook.child_slug': slugOf(start), 'runbook.child_run_id': input.options.workflowId }));
    return next(input);
  }
}

/** The module's interceptors: the package's outbound first (outermost: it opens the spans), our attributes inside it. */
export const interceptors = (): WorkflowInterceptors => ({
  inbound: [new RunbookInbound()],
  outbound: [new OpenTelemetryOutboundInterceptor(), new RunbookOutboundAttributes()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});
