/** RB_UNKNOWN_AGENT: an agent step names a registered agent, with a did-you-mean; skipped without a registry. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { AgentRegistry, defineAgent, type AgentAdapter } from '../../interpreter/agents/index.ts';
import { loadRunbookSource } from '../../interpreter/loader/load-runbook.ts';

const never: AgentAdapter = { kind: 'a2a', target: 'nowhere', run: () => Promise.reject(new Error('not called')) };
const agents = new AgentRegistry([defineAgent({ name: 'journal.drafter', input: z.object({}), output: z.unknown(), adapter: never })]);

const text = (name: string): string => `slug: agent-check
title: Agent check
steps:
  - id: draft
    title: Draft
    agent:
      name: ${name}
      input: { entity: acme }
`;

describe('agent names', () => {
  test('a registered agent is clean', () => {
    const result = loadRunbookSource(text('journal.drafter'), 'agent.yaml', { agents });
    assert.deepEqual(result.diagnostics.map((d) => d.code), []);
  });

  test('an unknown agent is RB_UNKNOWN_AGENT at its name, with a did-you-mean', () => {
    const result = loadRunbookSource(text('journal.drafer'), 'agent.yaml', { agents });
    const [diagnostic] = result.diagnostics;
    assert.equal(diagnostic?.code, 'RB_UNKNOWN_AGENT');
    assert.equal(diagnostic.pointer, '/steps/0/agent/name');
    assert.equal(diagnostic.line, 7);
    assert.match(diagnostic.message, /did you mean "journal\.drafter"/i);
  });

  test('without a registry agent names are not judged; a malformed agent step is still a schema error', () => {
    assert.deepEqual(loadRunbookSource(text('journal.drafer'), 'agent.yaml').diagnostics.map((d) => d.code), []);
    const bad = loadRunbookSource(text('Journal Drafter'), 'agent.yaml', { agents });
    assert.ok(bad.diagnostics.length > 0 && bad.diagnostics.every((d) => d.code.startsWith('RB_')));
    assert.ok(bad.diagnostics.some((d) => d.pointer.startsWith('/steps/0/agent')));
  });
});
