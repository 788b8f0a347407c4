/**
 * Seeded, deterministic mutants of the example runbooks for fuzzing the validator and the
 * runtime: edits of the parsed document (value-mutations.ts), then written back as YAML, and
 * edits of the text itself (truncation, lines deleted, duplicated or swapped, garbage, bad
 * bytes, re-indentation, alias bombs, a second document). Mutant i of a seed is always the same
 * bytes, and can be regenerated alone with `mutantAt`.
 */
import { parse, stringify } from 'yaml';
import type { Json } from './mutation-pools.ts';
import { SeededRandom } from './seeded-random.ts';
import { VALUE_MUTATIONS } from './value-mutations.ts';

export interface MutationBase {
  readonly slug: string;
  readonly text: string;
}

export interface Mutant {
  readonly index: number;
  /** The example it came from. */
  readonly base: string;
  /** The mutations applied, in order. */
  readonly ops: readonly string[];
  readonly bytes: Uint8Array;
}

const GARBAGE: readonly string[] = [
  ':', ': :', '- ', '[', ']', '{', '}', '&a', '*a', '!!binary', '!!js/function', '? ', '|', '>', '#', '%YAML 1.1', '\t', '"', "'", '@', '`',
  '\\', '{% $ %}', '<<: *a', '0x', '~', '\r', '\u2028', '\ufeff',
];

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

function lines(bytes: Uint8Array): string[] {
  return new TextDecoder().decode(bytes).split('\n');
}

const TEXT_MUTATIONS: Record<string, (bytes: Uint8Array, r: SeededRandom) => Uint8Array> = {
  truncate: (bytes, r) => bytes.slice(0, r.int(bytes.length)),
  'delete-line'(bytes, r) {
    const all = lines(bytes);
    all.splice(r.int(all.length), 1 + (r.chance(0.2) ? r.int(5) : 0));
    return encode(all.join('\n'));
  },
  'duplicate-line'(bytes, r) {
    const all = lines(bytes);
    const at = r.int(all.length);
    all.splice(at, 0, all[at]);
    return encode(all.join('\n'));
  },
  'swap-lines'(bytes, r) {
    const all = lines(bytes);
    const [a, b] = [r.int(all.length), r.int(all.length)];
    [all[a], all[b]] = [all[b], all[a]];
    return encode(all.join('\n'));
  },
  'insert-garbage'(bytes, r) {
    const text = new TextDecoder().decode(bytes);
    const at = r.int(text.length + 1);
    return encode(text.slice(0, at) + r.pick(GARBAGE) + text.slice(at));
  },
  reindent(bytes, r) {
    const all = lines(bytes);
    const at = r.int(all.length);
    all[at] = r.chance(0.5) ? `${' '.repeat(1 + r.int(3))}${all[at]}` : all[at].replace(/^ {1,2}/, '');
    return encode(all.join('\n'));
  },
  'insert-bytes'(bytes, r) {
    const at = r.int(bytes.length + 1);
    const bad = r.pick([[0x00], [0xff, 0xfe], [0xc3], [0xed, 0xa0, 0x80], [0xef, 0xbb, 0xbf]]);
    return new Uint8Array([...bytes.slice(0, at), ...bad, ...bytes.slice(at)]);
  },
  'alias-bomb'(bytes) {
    let bomb = 'x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let level = 1; level < 9; level++) bomb += `x${level}: &a${level} [${Array(9).fill(`*a${level - 1}`).join(', ')}]\n`;
    return encode(`${new TextDecoder().decode(bytes)}\n${bomb}`);
  },
  'second-document': (bytes, r) => encode(`${new TextDecoder().decode(bytes)}\n---\n${r.chance(0.5) ? 'slug: another\n' : ''}`),
};

const VALUE_OPS = Object.keys(VALUE_MUTATIONS);
const TEXT_OPS = Object.keys(TEXT_MUTATIONS);

type JsonObject = { [key: string]: Json };

/** Parsing is most of a mutant's cost: each base is parsed once, then cloned. */
const parsed = new WeakMap<MutationBase, JsonObject>();

function parsedCopy(base: MutationBase): JsonObject {
  let doc = parsed.get(base);
  if (!doc) {
    const value = parse(base.text) as Json;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`example ${base.slug} is not a mapping`);
    doc = value;
    parsed.set(base, doc);
  }
  return structuredClone(doc);
}

/** Mutant `index` of `seed`: 1–3 edits of the parsed document, sometimes followed (or replaced) by a text edit. */
export function mutantAt(bases: readonly MutationBase[], seed: number, index: number): Mutant {
  const r = SeededRandom.forItem(seed, index);
  const base = r.pick(bases);
  const ops: string[] = [];
  let bytes = encode(base.text);
  if (r.chance(0.8)) {
    const doc = parsedCopy(base);
    for (let count = 1 + r.int(3); count > 0; count--) {
      const op = r.pick(VALUE_OPS);
      const done = VALUE_MUTATIONS[op](doc, r);
      if (done) ops.push(typeof done === 'string' ? done : op);
    }
    bytes = encode(stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 }));
  }
  if (ops.length === 0 || r.chance(0.25)) {
    const op = r.pick(TEXT_OPS);
    bytes = TEXT_MUTATIONS[op](bytes, r);
    ops.push(op);
  }
  return { index, base: base.slug, ops, bytes };
}

/** `count` mutants of `seed`, in index order. */
export function generateMutants(bases: readonly MutationBase[], seed: number, count: number): Mutant[] {
  return Array.from({ length: count }, (_, index) => mutantAt(bases, seed, index));
}
