/**
 * The validator's fast parse (js-yaml) agrees with the `yaml` package wherever it
 * answers: same value, and never a value where `yaml` reports an error or a warning.
 * Where it cannot vouch for a text it answers undefined and the full path runs.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { fastParseRunbookYaml } from '../../interpreter/loader/fast-yaml.ts';

/** What the full path would make of the text: its value, or 'rejected' when yaml reports anything. */
function viaYaml(text: string): unknown {
  const documents = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false, strict: true, logLevel: 'error' });
  if (!Array.isArray(documents) || documents.length !== 1) return 'rejected';
  const [document] = documents;
  if (document.errors.length > 0 || document.warnings.length > 0) return 'rejected';
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch {
    return 'rejected';
  }
}

function assertAgrees(text: string, label: string): 'fast' | 'fallback' {
  const fast = fastParseRunbookYaml(text);
  if (fast === undefined) return 'fallback';
  assert.deepStrictEqual(fast, viaYaml(text), `${label}: fast value differs from yaml's`);
  return 'fast';
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

describe('fast parse (js-yaml) against the yaml package', () => {
  it('agrees on every example runbook and validation fixture, and takes the fast path for the examples', () => {
    for (const file of yamlFiles('runbooks')) assert.equal(assertAgrees(readFileSync(file, 'utf8'), file), 'fast', file);
    for (const file of yamlFiles('test/cases/validation')) assertAgrees(readFileSync(file, 'utf8'), file);
  });

  it('resolves plain scalars as the YAML 1.2 core schema of the yaml package does', () => {
    const scalars = [
      '0o17', '0o8', '0x1F', '0X1F', '0b101', '1_000', '+12', '-0', '012', '.5', '-.5', '1.', '1.0', '1e3', '1E-3', '+1.5e+3', '1.5e', '.inf', '-.Inf', '+.INF', '.NaN', '.nan', 'nan',
      '~', 'null', 'Null', 'NULL', 'nULL', '', 'true', 'True', 'TRUE', 'tRUE', 'yes', 'no', 'on', 'off', 'y', 'n', '2001-12-14', '12:30:00', '190:20:30',
      '99999999999999999999999999', '1' + '0'.repeat(400), '1' + '0'.repeat(400) + '.5', '0x' + 'f'.repeat(300), "'012'", '"true"', '"\\u00e9\\x41"', "'it''s'", 'a: b', 'a #c', 'a#c',
    ];
    for (const scalar of scalars) {
      const text = `slug: s\nvalue: ${scalar}\nlist: [${scalar === '' ? '~' : scalar}]\n`;
      assertAgrees(text, JSON.stringify(scalar));
    }
  });

  it('leaves to the full path what it cannot vouch for', () => {
    const refused = {
      'duplicate key': 'a: 1\na: 2\n',
      'null key': 'a: 1\n~: 2\n',
      'number key': 'a: 1\n1: 2\n',
      'collection key': 'a: 1\n? [x]\n: 2\n',
      '__proto__ key': 'a: 1\n__proto__: { polluted: true }\n',
      'constructor key': 'a: { constructor: 1 }\n',
      'prototype key': 'a: [{ prototype: 1 }]\n',
      'alias': 'a: &x [1]\nb: *x\n',
      'anchor': 'a: &x 1\n',
      'tag': 'a: !!str 1\n',
      'custom tag': 'a: !thing 1\n',
      'directive': '%YAML 1.2\n---\na: 1\n',
      'two documents': 'a: 1\n---\nb: 2\n',
      'empty': '',
      'comment only': '# nothing\n',
      'list': '- a\n- b\n',
      'scalar': 'just text\n',
      'tab': 'a:\t1\n',
      'carriage return': 'a: 1\r\nb: 2\r\n',
      'flow end at the parent indent': 'a: [\n  1,\n]\n',
      'long line': `a: ${'x'.repeat(2000)}\n`,
      'deep nesting': 'a: ' + '['.repeat(70) + ']'.repeat(70) + '\n',
      'syntax error': 'a: [\n',
      'flow mapping entry without a value, a collection': 'a: { type: string, [x, y] }\n',
      'flow mapping entry without a value, a number': 'a: { b: 1, 5 }\n',
      'flow mapping key after a comment': 'a: { b: 1, # note\n  [c] }\n',
      'explicit key in a flow mapping': 'a: { ? 1\n  : 2 }\n',
      'block explicit key after a sequence entry': 'a:\n  - ? 1\n    : 2\n',
      'verbatim tag': 'a: !<tag:yaml.org,2002:str> 1\n',
      'non-specific tag': 'a: ! 1\n',
      'comment glued to a double-quoted scalar': 'a: "x"#c\n',
      'comment glued to a single-quoted scalar': "a: 'x'#c\n",
      'comment glued to a flow sequence': 'a: [1]#c\n',
      'comment glued to a flow mapping': 'a: {b: 1}#c\n',
      'content on the document start line': '--- a: 1\n',
      'a \\U escape past U+10FFFF': 'a: "\\U00110000"\n',
    };
    for (const [what, text] of Object.entries(refused)) assert.equal(fastParseRunbookYaml(text), undefined, what);
  });

  it('takes the fast path for ordinary block, flow and block-scalar runbook text', () => {
    const text = 'slug: s\ntitle: "T: x"\nsteps:\n  - id: a\n    call: { handler: h, args: { n: 1, list: [1, two, "3"] } }\n    when: >-\n      {% $input.x\n      ] %}\n  - id: b\n    review:\n      payload: |\n        {% [1,\n        2] %}\n';
    assert.equal(assertAgrees(text, 'ordinary'), 'fast');
  });

  it('never answers where yaml reports a problem, over mutations of the example runbooks', () => {
    // Deterministic mutations at many positions.
    const inserts = [' ', ':', '-', '[', ']', '{', '}', '"', "'", '#', '\n', '|', '>', '&', '*', '!', '%', '?', ',', '@', '`'];
    let seed = 42;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    for (const file of yamlFiles('runbooks')) {
      const text = readFileSync(file, 'utf8');
      for (let round = 0; round < 400; round++) {
        const at = random(text.length);
        const kind = random(4);
        const from = random(text.length);
        // Delete, duplicate or insert a character, or copy a short slice of the text elsewhere (a `[list]` into a `{ map }`...).
        const mutated =
          kind === 0 ? text.slice(0, at) + text.slice(at + 1)
          : kind === 1 ? text.slice(0, at) + text[at] + text.slice(at)
          : kind === 2 ? text.slice(0, at) + inserts[random(inserts.length)] + text.slice(at)
          : text.slice(0, at) + text.slice(from, from + 1 + random(40)) + text.slice(at);
        assertAgrees(mutated, `${file} mutation ${round} (${kind} at ${at})`);
      }
    }
  });
});
