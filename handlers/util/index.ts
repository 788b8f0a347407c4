/**
 * Tiny generic handlers for tests, fixtures and benchmarks: no I/O, no state.
 */
import { z } from 'zod';
import { defineHandler, WorkflowError } from '../../interpreter/handlers/index.ts';
import type { AnyHandler } from '../../interpreter/handlers/index.ts';

export const echo = defineHandler({
  name: 'util.echo',
  description: 'Returns its input `{value}` unchanged.',
  input: z.strictObject({ value: z.unknown() }),
  output: z.object({ value: z.unknown() }),
  async run({ value }) {
    return { value };
  },
});

export const add = defineHandler({
  name: 'util.add',
  description: 'Adds two or three numbers.',
  input: z.strictObject({ a: z.number(), b: z.number(), c: z.number().default(0) }),
  output: z.object({ sum: z.number() }),
  async run({ a, b, c }) {
    return { sum: a + b + c };
  },
});

export const fail = defineHandler({
  name: 'util.fail',
  description: 'Throws a WorkflowError; with `times`, only on the first N attempts, then succeeds with `{attempts}`.',
  input: z.strictObject({
    type: z.string().min(1).default('TEST_FAILURE'),
    message: z.string().default('util.fail failed on purpose'),
    non_retryable: z.boolean().default(false),
    times: z.number().int().min(0).optional().meta({ description: 'Fail only while attempt <= times. Default: always.' }),
  }),
  output: z.object({ attempts: z.number().int() }),
  async run({ type, message, non_retryable, times }, { info }) {
    if (times === undefined || info.attempt <= times) {
      throw new WorkflowError(`${message} (attempt ${info.attempt})`, { type, nonRetryable: non_retryable });
    }
    return { attempts: info.attempt };
  },
});

export const sleep = defineHandler({
  name: 'util.sleep',
  description: 'Sleeps `ms` milliseconds; stops early when the attempt is aborted (timeout or cancellation).',
  input: z.strictObject({ ms: z.number().int().min(0).max(3_600_000) }),
  output: z.object({ slept_ms: z.number() }),
  run({ ms }, { abortSignal }) {
    return new Promise((resolve, reject) => {
      const aborted = (): Error => (abortSignal.reason instanceof Error ? abortSignal.reason : new WorkflowError('util.sleep was aborted', { type: 'ABORTED' }));
      if (abortSignal.aborted) return reject(aborted());
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(aborted());
      };
      const timer = setTimeout(() => {
        abortSignal.removeEventListener('abort', onAbort);
        resolve({ slept_ms: ms });
      }, ms);
      abortSignal.addEventListener('abort', onAbort, { once: true });
    });
  },
});

/** The generic handlers. */
export const utilHandlers: AnyHandler[] = [echo, add, fail, sleep];
