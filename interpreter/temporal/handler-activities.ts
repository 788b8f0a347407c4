/**
 * The activities a worker registers: one per handler (activity type = handler name)
 * plus the local activity that resolves a slug to the worker's current definition.
 * Node side.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { idempotencyKey, invokeHandler, type HandlerLogger, type HandlerRegistry } from '../handlers/index.ts';
import { WorkflowError } from '../handlers/workflow-error.ts';
import { FAILURE } from '../core/step-failure.ts';
import { SIZE_ERROR, SIZE_LIMITS, jsonBytes, payloadTooLarge } from '../core/size-limits.ts';
import type { DefinitionSource } from '../runtime/definition-source.ts';
import { agentActivities, type AgentRegistry } from '../agents/index.ts';
import { documentActivities, openSqliteDocumentStore, storeOpener, type DocumentStoreSource } from '../documents/index.ts';
import { RESOLVE_DEFINITION_ACTIVITY, type HandlerActivityMeta, type PinnedDefinition } from './workflow-contract.ts';

type Activity = (...args: never[]) => Promise<unknown>;

function activityLogger(): HandlerLogger {
  const log = Context.current().log;
  return {
    debug: (message, fields) => log.debug(message, fields),
    info: (message, fields) => log.info(message, fields),
    warn: (message, fields) => log.warn(message, fields),
    error: (message, fields) => log.error(message, fields),
  };
}

/**
 * A WorkflowError crosses the activity boundary as an ApplicationFailure with its type and no stack
 * (it is a decision, not a bug); a plain Error goes as it is, and the SDK sends its stack along.
 */
function toApplicationFailure(error: unknown): unknown {
  if (error instanceof WorkflowError) {
    return withoutStack(ApplicationFailure.create({ message: error.message, type: error.type ?? 'WorkflowError', nonRetryable: error.nonRetryable }));
  }
  return error;
}

function withoutStack(failure: ApplicationFailure): ApplicationFailure {
  failure.stack = '';
  return failure;
}

/** `documents`: where `commit` and `previous` go; default a private in-memory store of this worker. `agents`: what `agent` steps invoke. */
export function createHandlerActivities(handlers: HandlerRegistry, definitions: DefinitionSource, documents?: DocumentStoreSource, agents?: AgentRegistry): Record<string, Activity> {
  const activities: Record<string, Activity> = {};
  for (const name of handlers.names()) {
    activities[name] = async (args: unknown, meta: HandlerActivityMeta) => {
      const context = Context.current();
      const info = {
        runId: meta.runId,
        runbook: meta.runbook,
        stepId: meta.stepId,
        attempt: context.info.attempt,
        iteration: meta.iteration,
        idempotencyKey: idempotencyKey(meta.runId, meta.stepId, meta.iteration),
      };
      // The worker enforces the step's timeout itself, as the in-process runtime does: the handler's
      // abortSignal fires on timeout (the server only records the timeout; the attempt would run on).
      const abort = new AbortController();
      const onCancel = (): void => abort.abort(context.cancellationSignal.reason);
      if (context.cancellationSignal.aborted) onCancel();
      else context.cancellationSignal.addEventListener('abort', onCancel, { once: true });
      const timeoutMs = context.info.startToCloseTimeoutMs;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        if (!timeoutMs) return;
        timer = setTimeout(() => {
          abort.abort();
          reject(withoutStack(ApplicationFailure.create({ message: `step "${meta.stepId}": ${name} timed out after ${timeoutMs}ms`, type: FAILURE.timeout, nonRetryable: false })));
        }, timeoutMs);
      });
      try {
        const result = await Promise.race([invokeHandler(handlers, name, args, info, activityLogger(), abort.signal), timedOut]);
        // Checked here, before the result is sent: a result over Temporal's 2 MB would fail the workflow task instead.
        const limit = meta.maxResultBytes ?? SIZE_LIMITS.payloadBytes.default;
        const bytes = jsonBytes(result);
        if (bytes > limit) {
          const message = `step "${meta.stepId}": ${payloadTooLarge(`the result of ${name}`, bytes, limit)}`;
          throw withoutStack(ApplicationFailure.create({ message, type: SIZE_ERROR.payload, nonRetryable: true }));
        }
        return result;
      } catch (error) {
        throw toApplicationFailure(error);
      } finally {
        clearTimeout(timer);
        context.cancellationSignal.removeEventListener('abort', onCancel);
      }
    };
  }
  for (const [name, activity] of Object.entries(documentActivities(storeOpener(documents, inMemoryStoreWithWarning)))) {
    activities[name] = async (args: unknown) => {
      try {
        return await activity(args);
      } catch (error) {
        throw toApplicationFailure(error);
      }
    };
  }
  for (const [name, activity] of Object.entries(agentActivities(agents))) {
    // Heartbeats while it polls the agent; a retry after a lost worker resumes the task the last heartbeat named.
    activities[name] = async (args: unknown) => {
      const context = Context.current();
      try {
        return await activity(args, { signal: context.cancellationSignal, heartbeat: (details) => context.heartbeat(details), lastHeartbeat: context.info.heartbeatDetails });
      } catch (error) {
        throw toApplicationFailure(error);
      }
    };
  }
  activities[RESOLVE_DEFINITION_ACTIVITY] = async (slug: string): Promise<PinnedDefinition | null> => {
    const found = definitions.resolve(slug);
    return found ? { runbook: found.runbook, hash: found.hash, ...(found.expressionLocations ? { expressionLocations: found.expressionLocations } : {}) } : null;
  };
  return activities;
}

/**
 * The store of a worker created without one: in memory, so commits are lost when the worker stops and
 * each worker sees its own. Said once, on first use, so a library user does not lose documents silently
 * (`runbook worker` always passes the configured store).
 */
function inMemoryStoreWithWarning(): ReturnType<typeof openSqliteDocumentStore> {
  process.emitWarning(
    'no document store was given to createInterpreterWorker: commit and previous use an in-memory store, lost when this worker stops and not shared with other workers; pass `documents` (e.g. openDocumentStore) to keep them',
    { code: 'RUNBOOK_DOCUMENTS_IN_MEMORY' },
  );
  return openSqliteDocumentStore(':memory:');
}
