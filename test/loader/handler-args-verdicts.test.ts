/** RB_HANDLER_ARGS verdicts are remembered by handler and arguments: the memo never gives one runbook another's answer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { defineHandler, HandlerRegistry } from '../../interpreter/handlers/index.ts';
import { loadRunbookSource } from '../../interpreter/loader/index.ts';

const runbook = (args: string): string => `slug: verdicts\ntitle: Verdicts\nsteps:\n  - id: call\n    title: Call\n    call:\n      handler: demo.count\n      args: ${args}\n`;

const registry = (input: z.ZodType): HandlerRegistry =>
  new HandlerRegistry([defineHandler({ name: 'demo.count', input, output: z.unknown(), async run() { return null; } })]);

const argDiagnostics = (text: string, handlers: HandlerRegistry): string[] => {
  const result = loadRunbookSource(text, 'verdicts.yaml', { handlers });
  return result.ok ? [] : result.diagnostics.filter((d) => d.code === 'RB_HANDLER_ARGS').map((d) => `${d.line}:${d.column} ${d.message}`);
};

test('the same arguments are judged once per handler, and the same each time', () => {
  const handlers = registry(z.object({ n: z.number().int() }));
  const bad = runbook('{ n: 1.5 }');
  const first = argDiagnostics(bad, handlers);
  assert.equal(first.length, 1);
  assert.match(first[0], /args\.n does not fit handler "demo\.count"/);
  assert.deepEqual(argDiagnostics(bad, handlers), first, 'remembered: the same diagnostics at the same place');
  assert.deepEqual(argDiagnostics(runbook('{ n: 2 }'), handlers), []);
  // The same arguments on another line of another file: located there.
  const moved = argDiagnostics(`# a comment\n${bad}`, handlers);
  assert.equal(moved.length, 1);
  assert.notEqual(moved[0].split(' ')[0], first[0].split(' ')[0]);
});

test('a handler loaded again with another contract is judged afresh', () => {
  const text = runbook('{ n: 1.5 }');
  assert.equal(argDiagnostics(text, registry(z.object({ n: z.number().int() }))).length, 1);
  assert.deepEqual(argDiagnostics(text, registry(z.object({ n: z.number() }))), []);
});

test('NaN and infinity are not null', () => {
  const handlers = registry(z.object({ n: z.number().nullable() }));
  assert.deepEqual(argDiagnostics(runbook('{ n: null }'), handlers), []);
  assert.equal(argDiagnostics(runbook('{ n: .nan }'), handlers).length, 1);
  assert.equal(argDiagnostics(runbook('{ n: .inf }'), handlers).length, 1);
});
