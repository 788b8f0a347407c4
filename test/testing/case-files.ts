/** Helpers for the testing tests: case files written to a temporary directory, a small handler registry. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { defineHandler, HandlerRegistry, WorkflowError } from '../../interpreter/handlers/index.ts';
import { loadTestCase, NO_RUNBOOKS, type RunbookLibrary, type TestCase } from '../../interpreter/testing/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'runbook-testing-'));
let counter = 0;

/** Writes `text` to a fresh file (or `name` under the temporary directory) and returns its path. */
export function writeCase(text: string, name = `case-${++counter}.test.yaml`): string {
  const file = join(dir, name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** Writes and loads a case. */
export function caseOf(text: string, library: RunbookLibrary = NO_RUNBOOKS): TestCase {
  return loadTestCase(writeCase(text), { library, id: `case-${counter}.test.yaml` });
}

/** Real handlers: `calc.add` (contract {a,b} → {sum}), `calc.fail` (throws BROKEN), `calc.log` (logs, then returns its input). */
export const calcHandlers = new HandlerRegistry([
  defineHandler({
    name: 'calc.add',
    input: z.object({ a: z.number(), b: z.number() }),
    output: z.object({ sum: z.number() }),
    async run({ a, b }) {
      return { sum: a + b };
    },
  }),
  defineHandler({
    name: 'calc.fail',
    input: z.object({}),
    output: z.object({}),
    async run() {
      throw new WorkflowError('the real calc.fail ran', { type: 'BROKEN', nonRetryable: true });
    },
  }),
]);

/** A runbook in case YAML: `add` calls calc.add twice, through a retry policy, routing errors. */
export const ADD_RUNBOOK = `runbook:
  slug: adder
  title: Adder
  steps:
    - id: first
      title: First sum
      call:
        handler: calc.add
        args: { a: 1, b: 2 }
        retry: { max_attempts: 3, initial_interval: 10ms }
        on_error:
          - { type: SOFT, then: continue }
          - { type: HARD, then: { fail: 'first gave up: {% $result.error.message %}' } }
    - id: second
      title: Second sum
      call:
        handler: calc.add
        args: { a: 10, b: 20 }
  output:
    first: '{% $steps.first.sum %}'
    first_error: '{% $steps.first.error.type %}'
    second: '{% $steps.second.sum %}'
`;
