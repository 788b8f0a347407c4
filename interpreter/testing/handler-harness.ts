/**
 * Unit tests for handler modules: call one handler as a runbook step would (its zod contracts
 * checked on both sides), with the call's info (attempt, run id, step) chosen by the test and
 * a logger that captures what the handler logs.
 */
import type { z } from 'zod';
import type { HandlerDefinition, HandlerInfo, HandlerLogger } from '../handlers/index.ts';
import { HandlerRegistry, idempotencyKey, invokeHandler } from '../handlers/index.ts';

export interface LogEntry {
  readonly level: keyof HandlerLogger;
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

export interface TestHandlerOptions {
  /** 1 for the first attempt (default 1). */
  readonly attempt?: number;
  readonly runId?: string;
  readonly runbook?: string;
  readonly stepId?: string;
  /** Go-backs before this call (default 0). */
  readonly iteration?: number;
  /** Aborts the call as a timeout or cancellation would. */
  readonly abortSignal?: AbortSignal;
  /** Log entries are appended here too (so a test can read them after a rejection). */
  readonly logs?: LogEntry[];
}

export interface HandlerTestResult<O> {
  readonly output: O;
  readonly logs: readonly LogEntry[];
  readonly info: HandlerInfo;
}

/** A logger that records every entry in `into`. */
export function captureLogger(into: LogEntry[] = []): HandlerLogger & { readonly entries: LogEntry[] } {
  const at = (level: keyof HandlerLogger) => (message: string, fields?: Record<string, unknown>) => void into.push({ level, message, ...(fields ? { fields } : {}) });
  return { entries: into, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * Calls `handler` with `input`; resolves to its (contract-checked) output and what it logged,
 * rejects with what it threw (a WorkflowError keeps its type and nonRetryable; a contract
 * violation is HANDLER_INPUT_INVALID / HANDLER_OUTPUT_INVALID).
 *
 * @example
 * const { output, logs } = await testHandler(openPeriod, { entity: 'acme', period: '2024-01' }, { attempt: 2 });
 * assert.equal(output.opened, true);
 * await assert.rejects(testHandler(openPeriod, { entity: '' }), { type: 'HANDLER_INPUT_INVALID' });
 */
export async function testHandler<I extends z.ZodType, O extends z.ZodType>(handler: HandlerDefinition<I, O>, input: unknown, options: TestHandlerOptions = {}): Promise<HandlerTestResult<z.output<O>>> {
  const runId = options.runId ?? 'test-run';
  const stepId = options.stepId ?? 'step';
  const iteration = options.iteration ?? 0;
  const info: HandlerInfo = {
    runId,
    runbook: options.runbook ?? 'test-runbook',
    stepId,
    attempt: options.attempt ?? 1,
    iteration,
    idempotencyKey: idempotencyKey(runId, stepId, iteration),
  };
  const logger = captureLogger(options.logs ?? []);
  const registry = new HandlerRegistry([handler as HandlerDefinition]);
  const output = await invokeHandler(registry, handler.name, input, info, logger, options.abortSignal ?? new AbortController().signal);
  // invokeHandler returned what handler.output parsed: its type is the contract's.
  return { output: output as z.output<O>, logs: logger.entries, info };
}
