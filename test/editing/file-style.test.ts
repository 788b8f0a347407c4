/** What edits write follows the file: quotes, block scalars, indentation, list style, line endings, section comments. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdit, type EditOperation } from '../../interpreter/editing/index.ts';

const edited = (text: string, operation: EditOperation): string => {
  const result = applyEdit(text, operation);
  assert.ok(result.ok, result.ok ? '' : `${result.code} ${result.message}`);
  return result.text;
};

const FILE = [
  'slug: styled',
  'title: Styled',
  'steps:',
  '    # the first step',
  '    -   id: first',
  "        title: 'First'",
  '        call:',
  '            handler: util.echo',
  '            args: { value: "x" } # inline',
  '',
  '    # --- the second half ---',
  '',
  '    -   id: second',
  '        title: Second',
  '        description: >-',
  '            folded',
  '            text',
  '        timer: { duration: 1s }',
  '',
  '    -   { id: third, title: Third, timer: { duration: 2s } }',
  '',
].join('\n');

test('a quoted string keeps its quotes, a folded block scalar its style; nothing else changes', () => {
  assert.equal(edited(FILE, { op: 'set', step: 'first', path: ['title'], value: "It's first" }), FILE.replace("title: 'First'", "title: 'It''s first'"));
  const folded = edited(FILE, { op: 'set', step: 'second', path: ['description'], value: 'new words' });
  assert.equal(folded, FILE.replace('            folded\n            text', '            new words'));
});

test('a new key and a template step take the file\'s 4-space indentation and its `-   ` offset', () => {
  const timeout = edited(FILE, { op: 'set', step: 'first', path: ['call', 'timeout'], value: '5s' });
  assert.equal(timeout, FILE.replace('# inline\n', '# inline\n            timeout: 5s\n'));
  const inserted = edited(FILE, { op: 'insert', template: 'timer', at: { after: 'third' } });
  assert.ok(inserted.endsWith('    -   { id: third, title: Third, timer: { duration: 2s } }\n\n    -   id: timer_1\n        title: Wait a while\n        icon: Timer\n        timer:\n            duration: 1h\n'), inserted);
});

test('a section comment stays in place when steps move around it; a leading comment moves with its step', () => {
  const moved = edited(FILE, { op: 'move', step: 'first', to: { after: 'second' } });
  assert.ok(moved.startsWith('slug: styled\ntitle: Styled\nsteps:\n    # --- the second half ---\n\n    -   id: second'), moved);
  assert.match(moved, /timer: \{ duration: 1s \}\n\n {4}# the first step\n {4}-   id: first\n/);
});

test('set in a flow step re-renders only that step, in flow style', () => {
  const text = edited(FILE, { op: 'set', step: 'third', path: ['timer', 'duration'], value: '3s' });
  assert.equal(text, FILE.replace('{ id: third, title: Third, timer: { duration: 2s } }', '{ id: third, title: Third, timer: { duration: 3s } }'));
});

test('CRLF stays CRLF and a missing final newline stays missing', () => {
  const crlf = FILE.replace(/\n/g, '\r\n').replace(/\r\n$/, '');
  const moved = edited(crlf, { op: 'move', step: 'third', to: { index: 0 } });
  assert.doesNotMatch(moved.replace(/\r\n/g, ''), /\n/, 'every line ends in CRLF');
  assert.ok(!moved.endsWith('\n'));
  assert.ok(moved.endsWith('timer: { duration: 1s }'), JSON.stringify(moved.slice(-40)));
  const inserted = edited(crlf, { op: 'insert', template: 'call', at: { index: 3 } });
  assert.doesNotMatch(inserted.replace(/\r\n/g, ''), /\n/);
  assert.ok(!inserted.endsWith('\n'));
});

test('`- ` level with `steps:` stays so for inserted steps', () => {
  const text = 'slug: flat\ntitle: Flat\nsteps:\n- id: a\n  title: A\n  timer: { duration: 1s }\n';
  assert.equal(edited(text, { op: 'insert', template: 'timer', at: { index: 0 } }), 'slug: flat\ntitle: Flat\nsteps:\n- id: timer_1\n  title: Wait a while\n  icon: Timer\n  timer:\n    duration: 1h\n- id: a\n  title: A\n  timer: { duration: 1s }\n');
});

test('clear removes the key with its same-line comment; deleting the only step leaves steps: []', () => {
  assert.equal(edited(FILE, { op: 'clear', step: 'first', path: ['call', 'args'] }), FILE.replace('            args: { value: "x" } # inline\n', ''));
  assert.equal(edited('slug: one\nsteps:\n  - id: a\n    timer: { duration: 1s }\n', { op: 'delete', step: 'a' }), 'slug: one\nsteps: []\n');
});
