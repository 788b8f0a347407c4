/**
 * The handler contract: what a module in `handlers/` exports.
 * Handlers are the side effects of a runbook (activities on Temporal).
 */
import type { z } from 'zod';

/** Facts about the call, as the seed's `activity.info()`. */
export interface HandlerInfo {
  readonly runId: string;
  readonly runbook: string;
  readonly stepId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** How many times this step has run before in this run (go-backs), 0 first. */
  readonly iteration: number;
  /** Stable across retries and worker restarts: `${runId}:${stepId}:${iteration}`. */
  readonly idempotencyKey: string;
}

export interface HandlerLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface HandlerContext {
  readonly info: HandlerInfo;
  readonly logger: HandlerLogger;
  /** Aborted when the attempt times out or the run is cancelled. */
  readonly abortSignal: AbortSignal;
}

export interface HandlerDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** The name runbooks call, e.g. `ledger.open_period`. */
  readonly name: string;
  readonly description?: string;
  /** zod contract for the arguments, checked before every call. */
  readonly input: I;
  /** zod contract for the result, checked after every call. */
  readonly output: O;
  run(input: z.output<I>, context: HandlerContext): Promise<z.input<O>>;
}

/** Any handler, for registries. */
export type AnyHandler = HandlerDefinition<z.ZodType, z.ZodType>;

/**
 * Declares a handler with its contracts.
 *
 * @example
 * export const openPeriod = defineHandler({
 *   name: 'ledger.open_period',
 *   input: z.object({ entity: z.string(), period: z.string() }),
 *   output: z.object({ opened: z.boolean() }),
 *   async run({ entity, period }, { info }) { ... },
 * });
 */
export function defineHandler<I extends z.ZodType, O extends z.ZodType>(definition: HandlerDefinition<I, O>): HandlerDefinition<I, O> {
  return definition;
}
