/**
 * Mutations of a parsed runbook (plain JSON data): step-level edits (delete, duplicate, swap,
 * move, re-id), and edits of any node (type, duration, expression, key dropped or added,
 * handler, string, number, nesting). Each returns false when it found nothing to change.
 */
import { DURATIONS, EXPRESSIONS, HANDLERS, HOSTILE_EXPRESSIONS, KEYS, NUMBERS, SLUGS, STRINGS, VALUES, type Json } from './mutation-pools.ts';
import type { SeededRandom } from './seeded-random.ts';

type JsonObject = { [key: string]: Json };
type Container = JsonObject | Json[];

/** A place in the document: a container and the key or index of one of its members. */
interface Slot {
  readonly parent: Container;
  readonly key: string | number;
}

const isObject = (value: Json): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function slots(root: Json): Slot[] {
  const found: Slot[] = [];
  const walk = (value: Json): void => {
    if (Array.isArray(value)) value.forEach((item, index) => (found.push({ parent: value, key: index }), walk(item)));
    else if (isObject(value)) for (const key of Object.keys(value)) found.push({ parent: value, key }), walk(value[key]);
  };
  walk(root);
  return found;
}

const get = (slot: Slot): Json => (Array.isArray(slot.parent) ? slot.parent[slot.key as number] : slot.parent[slot.key as string]);

function set(slot: Slot, value: Json): void {
  if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = value;
  else slot.parent[slot.key as string] = value;
}

function containers(root: Json): Container[] {
  const found: Container[] = isObject(root) || Array.isArray(root) ? [root] : [];
  for (const slot of slots(root)) {
    const value = get(slot);
    if (isObject(value) || Array.isArray(value)) found.push(value);
  }
  return found;
}

const steps = (doc: JsonObject): Json[] | undefined => (Array.isArray(doc.steps) ? doc.steps : undefined);
const clone = (value: Json): Json => structuredClone(value);

/** Replaces the value of a random slot that `accepts`, with `next(old)`. */
function replaceWhere(doc: JsonObject, r: SeededRandom, accepts: (slot: Slot, value: Json) => boolean, next: (old: Json) => Json): boolean {
  const candidates = slots(doc).filter((slot) => accepts(slot, get(slot)));
  if (candidates.length === 0) return false;
  const slot = r.pick(candidates);
  set(slot, next(get(slot)));
  return true;
}

/**
 * A mutation: false when it found nothing to change, true when it changed the document, or a more
 * precise name for what it did (a hostile expression is named so a fuzz test can always run it).
 */
export type ValueMutation = (doc: JsonObject, r: SeededRandom) => boolean | string;

const DURATION = /^\s*-?[0-9.e]+\s*(ms|s|m|h|d|w|y)\s*$/;
const EXPRESSION = /\{%/;

/** A random value of any kind, drawn from the pools. */
export function randomValue(r: SeededRandom): Json {
  switch (r.int(4)) {
    case 0:
      return r.pick(STRINGS);
    case 1:
      return r.pick(NUMBERS);
    case 2:
      return clone(r.pick(VALUES));
    default:
      return r.pick(EXPRESSIONS);
  }
}

function mangle(text: string, r: SeededRandom): string {
  const at = r.int(text.length + 1);
  switch (r.int(3)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + r.int(4));
    default:
      return text.slice(0, at) + r.pick(['(', ')', '[', ']', '{', '}', '$', '.', '"', "'", '%}', '{%', ' and ', '?', ':=', '~>']) + text.slice(at);
  }
}

export const VALUE_MUTATIONS: Record<string, ValueMutation> = {
  'delete-step'(doc, r) {
    const list = steps(doc);
    if (!list?.length) return false;
    list.splice(r.int(list.length), 1);
    return true;
  },
  'duplicate-step'(doc, r) {
    const list = steps(doc);
    if (!list?.length) return false;
    const copy = clone(r.pick(list));
    if (r.chance(0.5) && isObject(copy)) copy.id = `${String(copy.id)}_copy`;
    list.splice(r.int(list.length + 1), 0, copy);
    return true;
  },
  'swap-steps'(doc, r) {
    const list = steps(doc);
    if (!list || list.length < 2) return false;
    const [a, b] = [r.int(list.length), r.int(list.length)];
    [list[a], list[b]] = [list[b], list[a]];
    return true;
  },
  'move-step'(doc, r) {
    const list = steps(doc);
    if (!list || list.length < 2) return false;
    const [moved] = list.splice(r.int(list.length), 1);
    list.splice(r.int(list.length + 1), 0, moved);
    return true;
  },
  'change-step-id'(doc, r) {
    const list = steps(doc)?.filter(isObject);
    if (!list?.length) return false;
    const ids = list.map((step) => step.id);
    r.pick(list).id = r.chance(0.5) ? clone(r.pick(ids)) : r.pick<Json>(['renamed', 'Bad Id!', '', 'x'.repeat(300), 42, null, 'open_period', '__proto__']);
    return true;
  },
  'change-type': (doc, r) => replaceWhere(doc, r, () => true, (old) => {
    const value = randomValue(r);
    return typeof value === typeof old && r.chance(0.5) ? (Array.isArray(old) ? {} : []) : value;
  }),
  'change-duration': (doc, r) => replaceWhere(doc, r, (_, value) => typeof value === 'string' && DURATION.test(value), () => r.pick(DURATIONS)),
  'change-expression'(doc, r) {
    let hostile = false;
    const changed = replaceWhere(doc, r, (_, value) => typeof value === 'string' && EXPRESSION.test(value), (old) => {
      const roll = r.next();
      hostile = roll < 0.04;
      if (hostile) return r.pick(HOSTILE_EXPRESSIONS);
      if (roll < 0.5) return r.pick(EXPRESSIONS);
      return mangle(String(old), r);
    });
    return changed && hostile ? 'hostile-expression' : changed;
  },
  'drop-key'(doc, r) {
    const objects = containers(doc).filter((c): c is JsonObject => isObject(c) && Object.keys(c).length > 0);
    if (objects.length === 0) return false;
    const target = r.pick(objects);
    delete target[r.pick(Object.keys(target))];
    return true;
  },
  'add-key'(doc, r) {
    const objects = containers(doc).filter(isObject);
    if (objects.length === 0) return false;
    // defineProperty: an own "__proto__" key, as a YAML parser would produce it.
    Object.defineProperty(r.pick(objects), r.pick(KEYS), { value: randomValue(r), enumerable: true, writable: true, configurable: true });
    return true;
  },
  'change-handler': (doc, r) => replaceWhere(doc, r, (slot) => slot.key === 'handler', () => r.pick(HANDLERS)),
  'change-slug': (doc, r) => replaceWhere(doc, r, (slot) => slot.key === 'slug' || slot.key === 'runbook', () => r.pick(SLUGS)),
  'change-string': (doc, r) => replaceWhere(doc, r, (_, value) => typeof value === 'string', () => r.pick(STRINGS)),
  'change-number': (doc, r) => replaceWhere(doc, r, (_, value) => typeof value === 'number', () => r.pick(NUMBERS)),
  'empty-container': (doc, r) => replaceWhere(doc, r, (_, value) => typeof value === 'object' && value !== null, (old) => (Array.isArray(old) ? [] : {})),
  'nest-deep': (doc, r) =>
    replaceWhere(doc, r, () => true, (old) => {
      let value = old;
      for (let depth = 20 + r.int(60); depth > 0; depth--) value = r.chance(0.5) ? [value] : { a: value };
      return value;
    }),
  'set-limits'(doc, r) {
    const limits: JsonObject = isObject(doc.limits) ? doc.limits : {};
    const key = r.pick(['expression_steps', 'expression_value_bytes', 'expression_depth', 'payload_bytes', 'state_bytes', 'bogus_limit']);
    limits[key] = r.pick<Json>([1, 2, 10, 1023, 1024, 1_000_000, 1_000_001, 2_000, 67_108_864, 1_572_864, 0, -1, 0.5, null, 'big']);
    doc.limits = r.chance(0.05) ? r.pick<Json>([null, [], 'none']) : limits;
    return true;
  },
  'swap-values'(doc, r) {
    const all = slots(doc);
    if (all.length < 2) return false;
    const [a, b] = [r.pick(all), r.pick(all)];
    const [va, vb] = [clone(get(a)), clone(get(b))];
    set(a, vb);
    set(b, va);
    return true;
  },
};
