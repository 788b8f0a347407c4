/**
 * One attempt of a handler call with its contracts checked on both sides.
 * Used by the in-process runtime and by the Temporal activity; retries are the caller's.
 */
import type { HandlerContext, HandlerInfo, HandlerLogger } from './handler-api.ts';
import type { HandlerRegistry } from './handler-registry.ts';
import { WorkflowError } from './workflow-error.ts';

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/**
 * Runs `name` with `args`. A contract violation is a non-retryable WorkflowError
 * (`HANDLER_INPUT_INVALID` / `HANDLER_OUTPUT_INVALID`) naming the step and the field.
 */
export async function invokeHandler(
  registry: HandlerRegistry,
  name: string,
  args: unknown,
  info: HandlerInfo,
  logger: HandlerLogger,
  abortSignal: AbortSignal,
): Promise<unknown> {
  const handler = registry.get(name);
  if (!handler) throw new WorkflowError(`step "${info.stepId}": no handler named "${name}" is registered`, { type: 'HANDLER_UNKNOWN', nonRetryable: true });
  const input = handler.input.safeParse(args);
  if (!input.success) {
    throw new WorkflowError(`step "${info.stepId}": arguments to ${name} violate its input contract: ${describeIssues(input.error.issues)}`, {
      type: 'HANDLER_INPUT_INVALID',
      nonRetryable: true,
    });
  }
  const context: HandlerContext = { info, logger, abortSignal };
  const result = await handler.run(input.data, context);
  const output = handler.output.safeParse(result);
  if (!output.success) {
    throw new WorkflowError(`step "${info.stepId}": result of ${name} violates its output contract: ${describeIssues(output.error.issues)}`, {
      type: 'HANDLER_OUTPUT_INVALID',
      nonRetryable: true,
    });
  }
  return output.data;
}

/** The idempotency key handed to handlers: stable across retries and worker restarts. */
export function idempotencyKey(runId: string, stepId: string, iteration: number): string {
  return `${runId}:${stepId}:${iteration}`;
}
