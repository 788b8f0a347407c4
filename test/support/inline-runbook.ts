/** Test helpers: a runbook from inline YAML-free data, a registry of tiny handlers. */
import { z } from 'zod';
import { RunbookSchema, type Runbook } from '../../interpreter/format/runbook-format.ts';
import { defineHandler, HandlerRegistry, WorkflowError } from '../../interpreter/handlers/index.ts';
import { StaticDefinitions, type ResolvedDefinition } from '../../interpreter/runtime/definition-source.ts';

/** Parses a definition through the format's zod schema (so tests never cast unvalidated data). */
export function runbookOf(data: unknown): ResolvedDefinition {
  const runbook: Runbook = RunbookSchema.parse(data);
  return { runbook, hash: `test-${runbook.slug}` };
}

export function definitionsOf(...data: unknown[]): StaticDefinitions {
  return new StaticDefinitions(data.map(runbookOf));
}

/** Counts calls per handler so tests can assert on retries. */
export const calls = new Map<string, number>();

export const testHandlers = new HandlerRegistry([
  defineHandler({
    name: 'test.add',
    input: z.object({ a: z.number(), b: z.number() }),
    output: z.object({ sum: z.number() }),
    async run({ a, b }) {
      return { sum: a + b };
    },
  }),
  defineHandler({
    name: 'test.flaky',
    input: z.object({ failures: z.number(), type: z.string().optional(), non_retryable: z.boolean().optional() }),
    output: z.object({ attempt: z.number() }),
    async run({ failures, type, non_retryable }, { info }) {
      calls.set(info.idempotencyKey, (calls.get(info.idempotencyKey) ?? 0) + 1);
      if (info.attempt <= failures) throw new WorkflowError(`attempt ${info.attempt} failed`, { type: type ?? 'FLAKY', nonRetryable: non_retryable });
      return { attempt: info.attempt };
    },
  }),
  defineHandler({
    name: 'test.bad_output',
    input: z.object({}),
    output: z.object({ ok: z.boolean() }),
    async run() {
      return { ok: 'yes' } as unknown as { ok: boolean };
    },
  }),
  defineHandler({
    name: 'test.hang',
    input: z.object({}),
    output: z.object({}),
    run(_input, { abortSignal }) {
      return new Promise((_resolve, reject) => abortSignal.addEventListener('abort', () => reject(new Error('aborted'))));
    },
  }),
]);
