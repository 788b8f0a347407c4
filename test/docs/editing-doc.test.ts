/**
 * docs/editing.md says what the code does: its library example runs as written (against the
 * editing module's source), its tables list exactly the templates, refusal codes and
 * `runbook move-step` options there are, and the CLI output it shows is what the command prints.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { applyEdit, flowConflicts, outlineSteps, STEP_TEMPLATES } from '../../interpreter/editing/index.ts';
import { BIN, ROOT } from '../support/run-cli.ts';

const DOC = readFileSync(join(ROOT, 'docs/editing.md'), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'runbook-docs-editing-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const section = (title: string): string => {
  const start = DOC.indexOf(`## ${title}`);
  assert.ok(start >= 0, title);
  const end = DOC.indexOf('\n## ', start + 1);
  return DOC.slice(start, end < 0 ? undefined : end);
};
const tableFirstColumn = (text: string): string[] => [...text.matchAll(/^\| `([^`]+)`/gm)].map((match) => match[1]);

test('the library example runs as written', () => {
  const code = /```ts\n([\s\S]*?)```/.exec(section('Library API'))?.[1];
  assert.ok(code);
  const file = join(scratch, 'example.mts');
  writeFileSync(file, code.replace("'yaml-runbook'", `'${pathToFileURL(join(ROOT, 'interpreter/editing/index.ts')).href}'`));
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^170-194 commit_trial_balance \(call\) reads ingest_documents, review_extraction$/m);
  assert.match(result.stdout, /step "commit_trial_balance" \(line 170\) reads \$steps\.review_extraction \(line 127\)/);
  assert.match(result.stdout, /- id: review_1/);
  assert.match(result.stdout, /^call, review, wait, child, timer, commit, previous, agent$/m);
});

test('the templates table lists every template, by name and kind', () => {
  const rows = [...section('Step templates').matchAll(/^\| `([^`]+)` \| (\w+) \|/gm)].map((match) => [match[1], match[2]]);
  assert.deepEqual(rows, STEP_TEMPLATES.map((template) => [template.name, template.kind]));
});

test('the refusals table lists every EditRefusalCode', () => {
  const source = readFileSync(join(ROOT, 'interpreter/editing/edit-types.ts'), 'utf8');
  const union = /export type EditRefusalCode =([\s\S]*?);/.exec(source)?.[1] ?? '';
  const codes = [...union.matchAll(/'([A-Z_]+)'/g)].map((match) => match[1]);
  assert.ok(codes.length >= 6);
  assert.deepEqual(tableFirstColumn(section('Refusals')), codes);
});

test('the move-step options table names the options the command has', () => {
  const usage = spawnSync(process.execPath, [BIN, 'move-step', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  const rows = section('`runbook move-step`').split('\n').filter((line) => line.startsWith('| `--'));
  const documented = rows.flatMap((row) => [...row.slice(1, row.indexOf(' | ')).matchAll(/--[a-z-]+/g)].map((match) => match[0]));
  assert.ok(documented.length >= 6);
  for (const option of documented) assert.match(usage.stdout + usage.stderr, new RegExp(`^\\s+${option}\\b`, 'm'), option);
});

test('the refused move shown is what the module finds on runbooks/month-end-close.yaml', () => {
  const text = readFileSync(join(ROOT, 'runbooks/month-end-close.yaml'), 'utf8');
  const [conflict] = flowConflicts(outlineSteps(text) ?? [], 'commit_trial_balance', 4);
  assert.ok(DOC.includes(conflict.message));
  const moved = applyEdit(text, { op: 'move', step: 'commit_trial_balance', to: { before: 'review_extraction' } });
  assert.ok(moved.ok);
  const lines = moved.text.split('\n');
  assert.match(lines[135], /corrections: '\{% \$steps\.review_extraction/, 'line 136 of the moved file reads review_extraction');
  assert.match(lines[146], /goto: review_extraction/, 'line 147 of the moved file goes to it');
});
