/** docs/agents.md: its step examples validate against the project's agents and handlers; its failure table lists every agent failure type. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify, parse } from 'yaml';
import { AGENT_FAILURE, loadAgentRegistry } from '../../interpreter/agents/index.ts';
import { loadHandlerRegistry } from '../../interpreter/handlers/index.ts';
import { formatDiagnosticsPretty, loadRunbookSource } from '../../interpreter/loader/index.ts';
import { ROOT } from '../support/run-cli.ts';

const doc = readFileSync(join(ROOT, 'docs', 'agents.md'), 'utf8');
const blocks = (lang: string): string[] => [...doc.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]);

test('every YAML step of docs/agents.md validates, with the agent it names registered in agents/', async () => {
  const agents = await loadAgentRegistry(join(ROOT, 'agents'));
  const handlers = await loadHandlerRegistry(join(ROOT, 'handlers'));
  const yaml = blocks('yaml');
  assert.ok(yaml.length >= 1);
  for (const block of yaml) {
    const steps = parse(block) as unknown[];
    const source = stringify({ slug: 'agents-doc', title: 'Agents doc', steps });
    const result = loadRunbookSource(source, 'docs/agents.md', { agents, handlers });
    assert.equal(result.ok, true, formatDiagnosticsPretty(result.diagnostics));
  }
});

test('the JSON examples of docs/agents.md parse, and the failure table lists every agent failure type', () => {
  for (const block of blocks('json')) JSON.parse(block);
  for (const type of Object.values(AGENT_FAILURE)) assert.match(doc, new RegExp('`' + type + '`'), `${type} is not in docs/agents.md`);
});
