/**
 * docs/console.md's examples are valid as written: every YAML block with a `console:` or `temporal:`
 * section is a valid runbook.config.yaml, and every step list is a valid runbook's steps (wrapped into
 * a runbook that declares the signal and input it uses).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { ConfigSchema } from '../../interpreter/config/config-format.ts';
import { formatDiagnosticsPretty, loadRunbookSource } from '../../interpreter/loader/index.ts';
import { ROOT } from '../support/run-cli.ts';

const text = readFileSync(join(ROOT, 'docs/console.md'), 'utf8');
const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]);

test('docs/console.md has its configuration and step examples', () => {
  assert.ok(blocks.length >= 2, `expected at least 2 yaml blocks, found ${blocks.length}`);
});

test('every configuration example of docs/console.md is a valid runbook.config.yaml', () => {
  const configs = blocks.map((block) => parse(block) as unknown).filter((value) => value && typeof value === 'object' && !Array.isArray(value) && ('console' in value || 'temporal' in value));
  assert.ok(configs.length >= 1);
  for (const config of configs) {
    const parsed = ConfigSchema.safeParse(config);
    assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues, null, 2));
  }
});

test('every step example of docs/console.md validates inside a runbook', () => {
  const stepLists = blocks.map((block) => parse(block) as unknown).filter((value): value is unknown[] => Array.isArray(value));
  assert.ok(stepLists.length >= 1);
  for (const steps of stepLists) {
    const runbook = {
      slug: 'doc-example',
      title: 'Doc example',
      input: { type: 'object', properties: { period: { type: 'string' } } },
      signals: { tb_submitted: { payload: { type: 'object' } } },
      steps,
    };
    const result = loadRunbookSource(stringify(runbook), 'docs/console.md');
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    assert.deepEqual(errors, [], formatDiagnosticsPretty(errors));
  }
});
