/** Shared set-up for the in-process runtime tests: a simulated clock, the test handlers, a recorded event stream. */
import { z } from 'zod';
import type { RunEvent, RunFailure } from '../../interpreter/core/index.ts';
import { defineHandler, HandlerRegistry, type AnyHandler, type HandlerInfo } from '../../interpreter/handlers/index.ts';
import { SimulatedClock } from '../../interpreter/runtime/clock.ts';
import { LocalRuntime, type LocalRunHandle } from '../../interpreter/runtime/local/index.ts';
import { RunFailedError } from '../../interpreter/runtime/runtime-errors.ts';
import { definitionsOf, testHandlers } from '../support/inline-runbook.ts';

export const START = Date.parse('2026-01-31T00:00:00Z');

/** Every `info` a `test.record` call saw. */
export const recorded: HandlerInfo[] = [];

/** How many `test.track` calls run at once, and the most seen. */
export const tracking = { active: 0, max: 0 };

const silent = { debug() {}, info() {}, warn() {}, error() {} };

const extraHandlers: AnyHandler[] = [
  defineHandler({
    name: 'test.record',
    input: z.object({ value: z.unknown().optional() }),
    output: z.object({ key: z.string(), value: z.unknown().optional() }),
    async run({ value }, { info }) {
      recorded.push(info);
      return { key: info.idempotencyKey, value };
    },
  }),
  defineHandler({
    name: 'test.track',
    input: z.object({ n: z.number() }),
    output: z.object({ n: z.number() }),
    async run({ n }) {
      tracking.active += 1;
      tracking.max = Math.max(tracking.max, tracking.active);
      for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      tracking.active -= 1;
      return { n };
    },
  }),
];

export const handlers = new HandlerRegistry([...testHandlers.names().map((name) => testHandlers.get(name)!), ...extraHandlers]);

export interface Harness {
  readonly clock: SimulatedClock;
  readonly runtime: LocalRuntime;
  readonly events: RunEvent[];
  /** Lets the runs react (fires nothing that is not due). */
  settle(): Promise<void>;
}

/** A LocalRuntime over inline runbook data with a simulated clock and every event recorded. */
export function harness(...runbooks: unknown[]): Harness {
  const clock = new SimulatedClock(START);
  const runtime = new LocalRuntime({ definitions: definitionsOf(...runbooks), handlers, clock, logger: silent });
  const events: RunEvent[] = [];
  runtime.onEvent((event) => events.push(event));
  return { clock, runtime, events, settle: () => clock.advance(0) };
}

/** The failure a run ended with (the test fails if it completed). */
export async function failureOf(handle: LocalRunHandle): Promise<RunFailure> {
  try {
    await handle.result();
  } catch (error) {
    if (error instanceof RunFailedError) return error.failure;
    throw error;
  }
  throw new Error(`run ${handle.runId} completed, expected a failure`);
}

/** The status of each step by id. */
export async function statusesOf(handle: LocalRunHandle): Promise<Record<string, string>> {
  return Object.fromEntries((await handle.currentSteps()).map((step) => [step.id, step.status]));
}

/** The event types of one run, with their step ids (`type:step`). */
export function trace(events: readonly RunEvent[], runId?: string): string[] {
  return events
    .filter((event) => runId === undefined || event.runId === runId)
    .map((event) => ('stepId' in event ? `${event.type}:${event.stepId}` : event.type));
}

/** Resolves after `turns` microtask turns only: no timer or macrotask gets a chance to run. */
export async function microtasks(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}
