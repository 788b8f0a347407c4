/** Hostile and broken inputs become located diagnostics with a code: never a throw, a hang or a polluted prototype. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadRunbookSource } from '../../interpreter/loader/index.ts';

const VALID = 'slug: ok\ntitle: Ok\nsteps:\n  - id: first\n    title: First\n    timer: { duration: 1s }\n';
const codes = (text: string | Uint8Array, maxBytes?: number): string[] => {
  const result = loadRunbookSource(text, 'input.yaml', { maxBytes });
  return result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
};

describe('bad input', () => {
  it('accepts a valid runbook and hashes its bytes', () => {
    const result = loadRunbookSource(VALID, 'ok.yaml');
    assert.equal(result.ok, true);
    if (result.ok) {
      assert.equal(result.runbook.slug, 'ok');
      assert.match(result.runbook.hash, /^[0-9a-f]{64}$/);
      assert.equal(result.runbook.source, VALID);
    }
  });

  it('gives the same hash for the same text as a string and as bytes', () => {
    const a = loadRunbookSource(VALID, 'a.yaml');
    const b = loadRunbookSource(new TextEncoder().encode(VALID), 'b.yaml');
    assert.ok(a.ok && b.ok);
    if (a.ok && b.ok) assert.equal(a.runbook.hash, b.runbook.hash);
  });

  it('reports an empty or whitespace-only file as RB_EMPTY', () => {
    assert.deepEqual(codes(''), ['RB_EMPTY']);
    assert.deepEqual(codes('  \n\n# nothing\n'), ['RB_EMPTY']);
  });

  it('reports a file over the size limit as RB_TOO_LARGE', () => {
    assert.deepEqual(codes(VALID, 10), ['RB_TOO_LARGE']);
    assert.deepEqual(codes(VALID + '#'.repeat(2 * 1024 * 1024)), ['RB_TOO_LARGE']);
  });

  it('reports invalid UTF-8 as RB_ENCODING at the line of the bad byte', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('slug: ok\ntitle: '), 0xc3, 0x28, 0x0a]);
    const result = loadRunbookSource(bytes, 'bad.yaml');
    assert.equal(result.ok, false);
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.line, d.column]), [['RB_ENCODING', 2, 8]]);
  });

  it('reports binary content (NUL bytes) as RB_ENCODING', () => {
    assert.deepEqual(codes(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01])), ['RB_ENCODING']);
    assert.deepEqual(codes('slug: a\u0000b\n'), ['RB_ENCODING']);
  });

  it('accepts a UTF-8 byte order mark', () => {
    assert.deepEqual(codes(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(VALID)])), []);
  });

  it('reports a document nested hundreds of thousands deep as RB_TOO_DEEP without overflowing the stack', () => {
    const deep = VALID + 'output: ' + '['.repeat(200_000) + ']'.repeat(200_000) + '\n';
    assert.deepEqual([...new Set(codes(deep))], ['RB_TOO_DEEP']);
    const block = VALID + 'output:\n' + Array.from({ length: 80 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n') + ' 1\n';
    assert.deepEqual(codes(block), ['RB_TOO_DEEP']);
  });

  it('reports deep nesting reached through an alias as RB_TOO_DEEP', () => {
    const nested = '[' .repeat(40) + '1' + ']'.repeat(40);
    assert.deepEqual(codes(VALID + `output:\n  a: &deep ${nested}\n  b: ${'['.repeat(30)}*deep${']'.repeat(30)}\n`), ['RB_TOO_DEEP']);
  });

  it('reports an alias bomb as RB_ALIAS_LIMIT quickly', () => {
    const levels = Array.from({ length: 9 }, (_, i) => `  l${i + 1}: &l${i + 1} [${Array(9).fill(`*l${i}`).join(', ')}]`).join('\n');
    const started = Date.now();
    assert.deepEqual(codes(VALID + `output:\n  l0: &l0 lol\n${levels}\n`), ['RB_ALIAS_LIMIT']);
    assert.ok(Date.now() - started < 2000);
  });

  it('reports an alias to its own ancestor as RB_ALIAS_LIMIT', () => {
    assert.deepEqual(codes(VALID + 'output: &loop { again: *loop }\n'), ['RB_ALIAS_LIMIT']);
  });

  it('reports __proto__, constructor and prototype keys and leaves Object.prototype alone', () => {
    const text = VALID + 'output:\n  __proto__: { polluted: yes }\n  nested: { constructor: { prototype: { polluted: yes } } }\n';
    assert.deepEqual(codes(text), ['RB_FORBIDDEN_KEY', 'RB_FORBIDDEN_KEY', 'RB_FORBIDDEN_KEY']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
  });

  it('reports several documents, a list, a scalar and duplicate keys with their codes', () => {
    assert.deepEqual(codes(VALID + '---\n' + VALID), ['RB_MULTIPLE_DOCUMENTS']);
    assert.deepEqual(codes('- a\n- b\n'), ['RB_NOT_MAPPING']);
    assert.deepEqual(codes('just text\n'), ['RB_NOT_MAPPING']);
    assert.deepEqual(codes(VALID + 'slug: again\n'), ['RB_DUPLICATE_KEY']);
  });

  it('locates a YAML syntax error at the position the parser gives', () => {
    const result = loadRunbookSource('slug: ok\ntitle: "unterminated\n', 'syntax.yaml');
    assert.equal(result.ok, false);
    assert.ok(result.diagnostics.every((d) => d.code === 'RB_YAML_SYNTAX' && d.line >= 2));
  });

  it('never throws on arbitrary bytes', () => {
    let seed = 42;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = ['{', '}', '[', ']', ':', '-', ' ', '\n', '&a', '*a', '"', "'", '|', '>', '#', 'x', '!!', '%', '{%', '%}', '?', ','];
    for (let n = 0; n < 300; n++) {
      const text = Array.from({ length: Math.floor(random() * 60) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const result = loadRunbookSource(text, 'fuzz.yaml');
      assert.ok(result.ok || result.diagnostics.length > 0, JSON.stringify(text));
      assert.ok(result.diagnostics.every((d) => d.code !== 'RB_INTERNAL'), JSON.stringify([text, result.diagnostics]));
    }
  });
});
