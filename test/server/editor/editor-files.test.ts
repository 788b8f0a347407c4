/** How the editor finds a file's slug: the top-level `slug:` line, else the parsed document, else nothing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { declaredSlug } from '../../../interpreter/server/editor/editor-files.ts';

test('a slug line, quoted or with a comment; a flow document; no slug; an indented slug is not the runbook\'s', () => {
  assert.equal(declaredSlug('# x\nslug: month-end-close\ntitle: T\n'), 'month-end-close');
  assert.equal(declaredSlug("slug: 'quoted-one'  # why\r\ntitle: T\r\n"), 'quoted-one');
  assert.equal(declaredSlug('{ slug: flow-doc, title: T, steps: [] }\n'), 'flow-doc');
  assert.equal(declaredSlug('title: no slug here\nsteps: []\n'), null);
  assert.equal(declaredSlug('title: T\ninput:\n  slug: not-this\n'), null);
  assert.equal(declaredSlug('slug: [broken\n'), null);
});
