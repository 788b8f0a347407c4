/**
 * RB_AGENT_INPUT: an agent step's static input is judged against the agent's zod input contract exactly
 * as a handler call's arguments are (RB_HANDLER_ARGS); expressions are left to run time. Validation
 * workers get agent names only: the main thread checks the inputs of the files they loaded.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { AgentRegistry, defineAgent, type AgentAdapter } from '../../interpreter/agents/index.ts';
import { validateRunbookFiles } from '../../interpreter/loader/index.ts';
import { loadRunbookSource } from '../../interpreter/loader/load-runbook.ts';

const never: AgentAdapter = { kind: 'a2a', target: 'nowhere', run: () => Promise.reject(new Error('not called')) };
const agents = new AgentRegistry([
  defineAgent({
    name: 'journal.drafter',
    input: z.strictObject({ entity: z.string(), period: z.string(), vendor: z.string(), amount: z.number().positive() }),
    output: z.unknown(),
    adapter: never,
  }),
]);

const text = (input: string, slug = 'agent-input'): string => `slug: ${slug}
title: Agent input
steps:
  - id: draft
    title: Draft
    agent:
      name: journal.drafter
      input: ${input}
`;

const codes = (source: string, options = { agents }): string[] => loadRunbookSource(source, 'agent.yaml', options).diagnostics.map((d) => d.code);

describe('agent step inputs', () => {
  test('a static input that fits is clean', () => {
    assert.deepEqual(codes(text('{ entity: acme, period: "2024-01", vendor: v, amount: 5 }')), []);
  });

  test('a static value the contract refuses is RB_AGENT_INPUT at that value', () => {
    const result = loadRunbookSource(text('{ entity: acme, period: "2024-01", vendor: v, amount: -5 }'), 'agent.yaml', { agents });
    assert.equal(result.ok, false);
    const [diagnostic] = result.diagnostics;
    assert.equal(diagnostic?.code, 'RB_AGENT_INPUT');
    assert.equal(diagnostic.severity, 'error');
    assert.equal(diagnostic.pointer, '/steps/0/agent/input/amount');
    assert.equal(diagnostic.line, 8);
    assert.match(diagnostic.message, /input\.amount does not fit agent "journal\.drafter"/);
  });

  test('a missing field, an unknown key, and an omitted input are judged; expressions are not', () => {
    const missing = loadRunbookSource(text('{ entity: acme, period: "2024-01", amount: 5 }'), 'agent.yaml', { agents });
    assert.deepEqual(missing.diagnostics.map((d) => [d.code, d.pointer]), [['RB_AGENT_INPUT', '/steps/0/agent/input/vendor']]);
    const extra = loadRunbookSource(text('{ entity: acme, period: "2024-01", vendor: v, amount: 5, colour: red }'), 'agent.yaml', { agents });
    assert.deepEqual(extra.diagnostics.map((d) => [d.code, d.pointer]), [['RB_AGENT_INPUT', '/steps/0/agent/input/colour']]);
    const omitted = loadRunbookSource(text('{}').replace('      input: {}\n', ''), 'agent.yaml', { agents });
    assert.deepEqual(omitted.diagnostics.map((d) => d.code), ['RB_AGENT_INPUT', 'RB_AGENT_INPUT', 'RB_AGENT_INPUT', 'RB_AGENT_INPUT']);
    assert.deepEqual(codes(text(`{ entity: acme, period: "2024-01", vendor: v, amount: '{% $input.amount %}' }`)), []);
    assert.deepEqual(codes(text(`'{% $input %}'`)), []);
  });

  test('names only (a validation worker) or no agents: inputs are not judged', () => {
    const bad = text('{ entity: acme, period: "2024-01", vendor: v, amount: -5 }');
    assert.deepEqual(codes(bad, { agents: { names: () => ['journal.drafter'] } } as never), []);
    assert.deepEqual(loadRunbookSource(bad, 'agent.yaml').diagnostics, []);
  });

  describe('a batch large enough for worker threads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-inputs-'));
    const saved = process.env.RUNBOOK_VALIDATE_PARALLEL_MIN;
    after(() => {
      rmSync(dir, { recursive: true, force: true });
      if (saved === undefined) delete process.env.RUNBOOK_VALIDATE_PARALLEL_MIN;
      else process.env.RUNBOOK_VALIDATE_PARALLEL_MIN = saved;
    });

    test('reports every file\'s RB_AGENT_INPUT, as the single-thread path does', async () => {
      const files = Array.from({ length: 1200 }, (_, index) => {
        const file = join(dir, `r${String(index).padStart(4, '0')}.yaml`);
        writeFileSync(file, text(`{ entity: acme, period: "2024-01", vendor: v, amount: ${index % 2 === 0 ? -index - 1 : index + 1} }`, `r${index}`));
        return file;
      });
      process.env.RUNBOOK_VALIDATE_PARALLEL_MIN = '400';
      const parallel = await validateRunbookFiles(files, { handlers: null, agents });
      // A caller's readFile keeps the batch on this thread.
      const single = await validateRunbookFiles(files, { handlers: null, agents, readFile: (file) => readFile(file) });
      assert.equal(single.diagnostics.length, 600);
      assert.ok(single.diagnostics.every((d) => d.code === 'RB_AGENT_INPUT' && d.pointer === '/steps/0/agent/input/amount'));
      assert.deepStrictEqual(parallel.diagnostics, single.diagnostics);
      assert.equal(parallel.runbooks.length, 600);
      assert.ok(readFileSync(files[0], 'utf8').includes('amount: -1'));
    });
  });
});
