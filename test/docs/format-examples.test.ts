/**
 * The YAML examples of docs/format.md validate as written.
 *
 * Every ```yaml block is classified by its shape:
 * - a complete runbook (a mapping with slug, title and a list of steps) is validated as is;
 * - a runbook whose `steps` is a placeholder (`steps: [...]`) gets stub steps for the ids it reads;
 * - a step, or a list of steps, is wrapped into a minimal runbook, after stub steps for every
 *   `$steps.X` and `goto: X` it names outside itself, with every signal it waits for declared;
 * - a mapping of review keys (e.g. `outcomes:`) is wrapped into a review step;
 * - anything else (the editor modeline) is counted and skipped.
 * Each candidate must load with no error diagnostic (warnings are allowed), with the project's handlers.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { parse } from 'yaml';
import { ReviewSchema } from '../../interpreter/format/runbook-format.ts';
import { loadHandlerRegistry, type HandlerRegistry } from '../../interpreter/handlers/index.ts';
import { formatDiagnosticsPretty, loadRunbookSource } from '../../interpreter/loader/index.ts';
import { ROOT } from '../support/run-cli.ts';

const DOC = 'docs/format.md';
const MINIMUM_CHECKED = 10;

interface Block {
  /** 1-based, in order of appearance. */
  readonly index: number;
  /** Line of the opening fence in the doc. */
  readonly line: number;
  readonly text: string;
}

type Kind = 'runbook' | 'runbook with placeholder steps' | 'steps' | 'review fragment' | 'skipped';

interface Candidate {
  readonly block: Block;
  readonly kind: Kind;
  /** The runbook text that is validated (undefined when skipped). */
  readonly source?: string;
}

/** Every fenced yaml block (also indented ones, e.g. inside a list), dedented. */
function yamlBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const fence = /^([ \t]*)```yaml[ \t]*\n([\s\S]*?)^\1```[ \t]*$/gm;
  for (let match = fence.exec(markdown); match; match = fence.exec(markdown)) {
    const indent = match[1];
    const text = match[2]
      .split('\n')
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
      .join('\n');
    const line = markdown.slice(0, match.index).split('\n').length;
    blocks.push({ index: blocks.length + 1, line, text });
  }
  return blocks;
}

const isMapping = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isStepLike = (value: unknown): boolean => isMapping(value) && 'id' in value && 'title' in value;
const indent = (text: string, by: number): string =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => (line.length > 0 ? ' '.repeat(by) + line : line))
    .join('\n');

/** Step ids a block reads (`$steps.X`) or goes back to (`goto: X`). */
function namedSteps(text: string): Set<string> {
  const ids = new Set<string>();
  for (const match of text.matchAll(/\$steps\.([a-z][a-z0-9_]*)/g)) ids.add(match[1]);
  for (const match of text.matchAll(/\bgoto:\s*([a-z][a-z0-9_]*)/g)) ids.add(match[1]);
  return ids;
}

function stubSteps(ids: Iterable<string>): string {
  return [...ids].map((id) => `  - id: ${id}\n    title: Stub ${id}\n    call: { handler: util.echo, args: { value: stub } }`).join('\n');
}

/** A minimal runbook around some steps, with stubs for the steps they name but do not hold. */
function wrapSteps(stepsText: string, steps: readonly Record<string, unknown>[]): string {
  const own = new Set(steps.map((step) => String(step.id)));
  const stubs = [...namedSteps(stepsText)].filter((id) => !own.has(id));
  const signals = new Set<string>();
  for (const step of steps) {
    const wait = step.wait;
    if (isMapping(wait)) for (const name of [wait.signal].flat()) if (typeof name === 'string') signals.add(name);
  }
  return [
    'slug: doc-example',
    'title: Doc example',
    ...(signals.size > 0 ? ['signals:', ...[...signals].map((name) => `  ${name}: {}`)] : []),
    'steps:',
    ...(stubs.length > 0 ? [stubSteps(stubs)] : []),
    stepsText,
    '',
  ].join('\n');
}

const REVIEW_KEYS = new Set(Object.keys(ReviewSchema.shape));

function classify(block: Block): Candidate {
  let value: unknown;
  try {
    value = parse(block.text);
  } catch {
    // A block that is not YAML at all is a doc error, not a fragment: validating it reports the syntax error.
    return { block, kind: 'runbook', source: block.text };
  }
  if (isMapping(value) && 'slug' in value && 'title' in value && 'steps' in value) {
    const steps = value.steps;
    if (Array.isArray(steps) && steps.some((step) => !isMapping(step))) {
      const ids = namedSteps(block.text);
      const stubs = stubSteps(ids.size > 0 ? ids : ['placeholder']);
      return { block, kind: 'runbook with placeholder steps', source: block.text.replace(/^steps:.*$/m, `steps:\n${stubs}`) };
    }
    return { block, kind: 'runbook', source: block.text };
  }
  if (Array.isArray(value) && value.length > 0 && value.every(isStepLike)) {
    return { block, kind: 'steps', source: wrapSteps(indent(block.text, 2), value as Record<string, unknown>[]) };
  }
  if (isMapping(value) && 'id' in value) {
    const text = indent(block.text, 4).replace(/^ {4}/, '  - ');
    return { block, kind: 'steps', source: wrapSteps(text, [value]) };
  }
  if (isMapping(value) && Object.keys(value).length > 0 && Object.keys(value).every((key) => REVIEW_KEYS.has(key))) {
    const text = `  - id: doc_review\n    title: Doc review\n    review:\n${indent(block.text, 6)}`;
    return { block, kind: 'review fragment', source: wrapSteps(text, [{ id: 'doc_review' }]) };
  }
  return { block, kind: 'skipped' };
}

const blocks = yamlBlocks(readFileSync(join(ROOT, DOC), 'utf8'));
const candidates = blocks.map(classify);
const checked = candidates.filter((candidate) => candidate.source !== undefined);

let handlers: HandlerRegistry;
before(async () => {
  handlers = await loadHandlerRegistry(join(ROOT, 'handlers'));
});

test(`docs/format.md has at least ${MINIMUM_CHECKED} yaml examples that are runbooks or steps`, (t) => {
  const counts = new Map<Kind, number>();
  for (const { kind } of candidates) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  t.diagnostic(`${blocks.length} yaml blocks: ${[...counts].map(([kind, n]) => `${n} ${kind}`).join(', ')}`);
  assert.ok(checked.length >= MINIMUM_CHECKED, `only ${checked.length} of ${blocks.length} blocks could be checked`);
});

for (const { block, kind, source } of checked) {
  test(`the yaml example at docs/format.md line ${block.line} (${kind}) validates without errors`, () => {
    const result = loadRunbookSource(source!, `${DOC}#block-${block.index}`, { handlers });
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    assert.deepEqual(errors, [], `${formatDiagnosticsPretty(errors)}\nvalidated text:\n${source}`);
  });
}
