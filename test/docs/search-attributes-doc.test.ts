/**
 * The search attributes as the docs tell them: docs/temporal.md's table names every attribute the
 * interpreter maintains (with the type of the Datetime one), its "stuck on a step" question asks
 * RunbookWaitingSince, not StartTime, and the README's create commands register each attribute with its type,
 * as the worker's own hint (searchAttributeCreateCommands) does.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEV_SERVER_SEARCH_ATTRIBUTES, searchAttributeCreateCommands } from '../../interpreter/temporal/search-attributes.ts';
import { SEARCH_ATTRIBUTE_TYPES, SEARCH_ATTRIBUTES } from '../../interpreter/temporal/workflow-contract.ts';
import { ROOT } from '../support/run-cli.ts';

const temporalDoc = readFileSync(join(ROOT, 'docs/temporal.md'), 'utf8');
const section = temporalDoc.slice(temporalDoc.indexOf('## Search attributes'), temporalDoc.indexOf('## Schedules'));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** name -> type of `temporal operator search-attribute create ... --type T --name A --name B` commands (line continuations joined). */
function createdBy(text: string): Map<string, string> {
  const created = new Map<string, string>();
  for (const [command] of text.replace(/\\\n\s*/g, ' ').matchAll(/temporal operator search-attribute create [^\n`]*/g)) {
    const type = /--type (\w+)/.exec(command)?.[1];
    assert.ok(type, command);
    for (const [, name] of command.matchAll(/--name (\w+)/g)) created.set(name!, type);
  }
  return created;
}

test('every attribute is in docs/temporal.md\'s table; the Datetime one says so', () => {
  const rows = [...section.matchAll(/^\| (`Runbook.*?) \|/gm)].map((match) => match[1]!);
  for (const name of Object.values(SEARCH_ATTRIBUTES)) {
    const row = rows.find((cells) => cells.includes(`\`${name}\``));
    assert.ok(row, `${name} has a row`);
    if (SEARCH_ATTRIBUTE_TYPES[name] !== 'Keyword') assert.match(row, new RegExp(SEARCH_ATTRIBUTE_TYPES[name]), `${name} is a ${SEARCH_ATTRIBUTE_TYPES[name]}`);
  }
});

test('"stuck on a step for more than a day" asks when the wait began, not when the run started', () => {
  const query = /# stuck on a step[^\n]*\n([^\n]+)/.exec(section)?.[1];
  assert.ok(query, 'the question is there');
  assert.match(query, /RunbookStatus='waiting' AND RunbookStep='review_extraction' AND RunbookWaitingSince < '[0-9T:-]+Z'/);
  assert.doesNotMatch(query, /StartTime/);
});

test('the README\'s commands and the worker\'s hint create every attribute with its type; the dev server gets the same types', () => {
  const expected = new Map(Object.entries(SEARCH_ATTRIBUTE_TYPES));
  assert.deepEqual(createdBy(readme.slice(readme.indexOf('### Search attributes'))), expected);
  assert.deepEqual(createdBy(searchAttributeCreateCommands('NS').join('\n')), expected);
  assert.deepEqual(new Map(Object.entries(DEV_SERVER_SEARCH_ATTRIBUTES)), expected);
  assert.equal(SEARCH_ATTRIBUTE_TYPES[SEARCH_ATTRIBUTES.waitingSince], 'Datetime');
});
