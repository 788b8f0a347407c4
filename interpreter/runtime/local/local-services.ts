/**
 * RuntimeServices for one in-process run: handler calls with the runbook's retry
 * policy and timeouts, timers on the injected clock, event-driven waits.
 */
import type { ChildCall, ChildStarted, HandlerCall, LogLevel, RunEvent, RunSnapshot, RuntimeServices } from '../../core/index.ts';
import { FAILURE, SIZE_ERROR, StepFailure, jsonBytes, nextRetryDelay, payloadTooLarge } from '../../core/index.ts';
import { idempotencyKey, invokeHandler, type HandlerLogger, type HandlerRegistry } from '../../handlers/index.ts';
import { WorkflowError } from '../../handlers/workflow-error.ts';
import type { Clock } from '../clock.ts';
import { RunCancelledError } from '../runtime-errors.ts';

export interface LocalRunHost {
  readonly clock: Clock;
  readonly handlers: HandlerRegistry;
  /** The runtime's own activities (the document store, agents), by name; called like handlers, with the same retries. */
  readonly builtins?: Readonly<Record<string, (args: unknown, context: { readonly signal: AbortSignal }) => Promise<unknown>>>;
  readonly logger: HandlerLogger;
  /** Starts a child run; `cancel` cancels it (a cancelled parent cancels its children, as on Temporal). */
  startChild(call: ChildCall): Promise<ChildStarted & { cancel(): Promise<void> }>;
  emit(event: RunEvent): void;
}

interface Waiter {
  check(): void;
  cancel(error: Error): void;
}

/** Any thrown value as the failure shape the core routes on. */
export function toStepFailure(error: unknown): StepFailure {
  if (error instanceof StepFailure) return error;
  if (error instanceof WorkflowError) return new StepFailure(error.message, error.type ?? 'WorkflowError', error.nonRetryable);
  // A plain Error is a bug in the handler: its stack goes with the failure.
  if (error instanceof Error) return new StepFailure(error.message, error.name || 'Error', false, error.stack);
  return new StepFailure(String(error), 'Error', false);
}

export class LocalRunServices implements RuntimeServices {
  private readonly waiters = new Set<Waiter>();
  private readonly aborts = new Set<AbortController>();
  private cancelled: RunCancelledError | undefined;
  private readonly children = new Set<{ cancel(): Promise<void> }>();

  constructor(
    private readonly host: LocalRunHost,
    private readonly runId: string,
    private readonly slug: string,
  ) {}

  now(): number {
    return this.host.clock.now();
  }

  async callHandler(call: HandlerCall): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      this.throwIfCancelled();
      try {
        return await this.attempt(call, attempt);
      } catch (error) {
        if (this.cancelled) throw this.cancelled;
        const failure = toStepFailure(error);
        const delay = nextRetryDelay(call.retry, attempt, failure);
        if (delay === undefined) throw failure;
        const failed = { step: call.stepId, type: failure.type, message: failure.message };
        this.emit({ type: 'step.retrying', runId: this.runId, at: this.now(), stepId: call.stepId, attempt, error: failed });
        call.onRetry?.(attempt + 1, failed);
        await this.sleep(delay);
      }
    }
  }

  private attempt(call: HandlerCall, attempt: number): Promise<unknown> {
    const abort = new AbortController();
    this.aborts.add(abort);
    const info = { runId: this.runId, runbook: this.slug, stepId: call.stepId, attempt, iteration: call.iteration, idempotencyKey: idempotencyKey(this.runId, call.stepId, call.iteration) };
    let cancelTimer = (): void => undefined;
    const settled = new Promise<unknown>((resolve, reject) => {
      // A cancelled run does not wait for a handler that ignores its abort signal (Temporal does not either).
      abort.signal.addEventListener('abort', () => this.cancelled && reject(this.cancelled), { once: true });
      cancelTimer = this.host.clock.setTimer(call.timeoutMs, () => {
        abort.abort();
        reject(new StepFailure(`step "${call.stepId}": ${call.handler} timed out after ${call.timeoutMs}ms`, FAILURE.timeout));
      });
      const builtin = this.host.builtins && Object.hasOwn(this.host.builtins, call.handler) ? this.host.builtins[call.handler] : undefined;
      (builtin ? builtin(call.args, { signal: abort.signal }) : invokeHandler(this.host.handlers, call.handler, call.args, info, this.host.logger, abort.signal))
        .then((result) => checkResultSize(call, result))
        .then(resolve, reject);
    });
    return settled.finally(() => {
      cancelTimer();
      this.aborts.delete(abort);
    });
  }

  async startChild(call: ChildCall): Promise<ChildStarted> {
    this.throwIfCancelled();
    const child = await this.host.startChild(call);
    this.children.add(child);
    void child.result.then(
      () => this.children.delete(child),
      () => this.children.delete(child),
    );
    return child;
  }

  sleep(ms: number): Promise<void> {
    return this.waitFor(() => false, ms).then(() => undefined);
  }

  waitFor(condition: () => boolean, timeoutMs?: number): Promise<boolean> {
    this.throwIfCancelled();
    if (condition()) return Promise.resolve(true);
    return new Promise<boolean>((resolve, reject) => {
      let cancelTimer: (() => void) | undefined;
      const waiter: Waiter = {
        check: () => {
          if (!condition()) return;
          this.waiters.delete(waiter);
          cancelTimer?.();
          resolve(true);
        },
        cancel: (error) => {
          this.waiters.delete(waiter);
          cancelTimer?.();
          reject(error);
        },
      };
      this.waiters.add(waiter);
      if (timeoutMs !== undefined) {
        cancelTimer = this.host.clock.setTimer(timeoutMs, () => {
          this.waiters.delete(waiter);
          resolve(false);
        });
      }
    });
  }

  notify(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }

  betweenSteps(_takeSnapshot: () => RunSnapshot): Promise<void> {
    this.throwIfCancelled();
    return Promise.resolve();
  }

  emit(event: RunEvent): void {
    this.host.emit(event);
  }

  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    this.host.logger[level](message, { runId: this.runId, ...fields });
  }

  isCancellation(error: unknown): boolean {
    return error instanceof RunCancelledError;
  }

  /** In-process there is no history to replay: every change of behaviour applies. */
  patched(_id: string): boolean {
    return true;
  }

  /** Cancels every wait, timer and handler attempt of this run. */
  cancel(): void {
    this.cancelled ??= new RunCancelledError(this.runId);
    for (const abort of this.aborts) abort.abort();
    for (const waiter of [...this.waiters]) waiter.cancel(this.cancelled);
    for (const child of this.children) void child.cancel();
  }

  private throwIfCancelled(): void {
    if (this.cancelled) throw this.cancelled;
  }
}

/** A handler result over the runbook's payload limit fails the attempt, not retried (the same call would return as much again). */
export function checkResultSize(call: HandlerCall, result: unknown): unknown {
  const bytes = jsonBytes(result);
  if (bytes > call.maxResultBytes) {
    throw new StepFailure(`step "${call.stepId}": ${payloadTooLarge(`the result of ${call.handler}`, bytes, call.maxResultBytes)}`, SIZE_ERROR.payload, true);
  }
  return result;
}
