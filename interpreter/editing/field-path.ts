/**
 * Following a field path (`['call', 'retry', 'max_attempts']`) into a step's parsed mapping: the
 * nodes on the way, where it stops, and the first flow collection on it (edits re-render that one
 * whole). Pure.
 */
import { isAlias, isCollection, isMap, isScalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { findStep, isTextRefusal } from './find-step.ts';
import { isRefusal, readRunbookText, type RunbookText, type StepBlock, type TextRefusal } from './runbook-text.ts';

export type PathSegment = string | number;

export interface PathWalk {
  /** Collections on the path: `containers[k]` holds `path[k]` (containers[0] is the step). */
  readonly containers: readonly (YAMLMap | YAMLSeq)[];
  /** How many segments lead to existing nodes (path.length when the field exists). */
  readonly found: number;
  /** The pair of the last found map segment, or null for a list item. */
  readonly pair: Pair | null;
  /** The node at the last found segment (its value). */
  readonly node: Node | null;
  /** Index into containers of the first flow collection, if any. */
  readonly flowAt: number | null;
}

function fieldName(path: readonly PathSegment[], upTo: number): string {
  return path.slice(0, upTo).map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`)).join('').replace(/^\./, '') || '(the step)';
}

/** Checks what every set/clear refuses: an empty path, the id, segments that are neither keys nor indexes. */
export function checkFieldPath(path: readonly PathSegment[]): TextRefusal | undefined {
  if (path.length === 0) return { code: 'EDIT_FIELD_INVALID', message: 'the field path is empty: name a field of the step, e.g. ["title"] or ["call", "timeout"]' };
  if (path[0] === 'id') return { code: 'EDIT_FIELD_INVALID', message: "a step's id cannot be set or cleared here: other steps and runs in flight refer to it (rename the step instead)" };
  const bad = path.find((segment) => (typeof segment === 'number' ? !Number.isInteger(segment) || segment < 0 : typeof segment !== 'string' || segment === ''));
  if (bad !== undefined) return { code: 'EDIT_FIELD_INVALID', message: `field path segment ${JSON.stringify(bad)} is neither a key nor a list index` };
  return undefined;
}

/** What set and clear start from: the text read, the step's mapping found, the path followed as far as it goes. */
export interface StepField {
  readonly source: RunbookText;
  readonly block: StepBlock & { readonly node: YAMLMap };
  readonly walk: PathWalk;
}

/** Reads `text`, finds step `step` and walks `path` into it; a refusal when any of that cannot be done. */
export function locateStepField(text: string, step: string, path: readonly PathSegment[]): StepField | TextRefusal {
  const source = readRunbookText(text);
  if (isRefusal(source)) return source;
  const block = findStep(source, step);
  if (isTextRefusal(block)) return block;
  const node = block.node;
  if (!isMap(node)) return { code: 'EDIT_FIELD_INVALID', message: `step "${step}" is not a mapping` };
  const walk = walkPath(node, path);
  if (isTextRefusal(walk)) return walk;
  return { source, block: { ...block, node }, walk };
}

export function walkPath(step: YAMLMap, path: readonly PathSegment[]): PathWalk | TextRefusal {
  const containers: (YAMLMap | YAMLSeq)[] = [step];
  let flowAt: number | null = step.flow ? 0 : null;
  let pair: Pair | null = null;
  let node: Node | null = null;
  for (let at = 0; at < path.length; at++) {
    const container = containers[at];
    const segment = path[at];
    if (isMap(container)) {
      if (typeof segment !== 'string') return { code: 'EDIT_FIELD_INVALID', message: `${fieldName(path, at)} is a mapping: ${segment} is not one of its keys` };
      const found = container.items.find((candidate) => isScalar(candidate.key) && candidate.key.value === segment);
      if (!found) return { containers, found: at, pair, node, flowAt };
      pair = found;
      node = (found.value ?? null) as Node | null;
    } else {
      if (typeof segment !== 'number') return { code: 'EDIT_FIELD_INVALID', message: `${fieldName(path, at)} is a list: "${segment}" is not an index` };
      if (segment >= container.items.length) return { containers, found: at, pair, node, flowAt };
      pair = null;
      node = (container.items[segment] ?? null) as Node | null;
    }
    if (at === path.length - 1) break;
    if (isAlias(node)) return { code: 'EDIT_FIELD_INVALID', message: `${fieldName(path, at + 1)} is an alias (*name): edit the anchored value instead` };
    if (isScalar(node) && node.value === null) return { containers, found: at + 1, pair, node, flowAt };
    if (!isCollection(node)) return { code: 'EDIT_FIELD_INVALID', message: `${fieldName(path, at + 1)} is a value, not a mapping or list: ${fieldName(path, path.length)} cannot be under it` };
    containers.push(node);
    if (flowAt === null && node.flow) flowAt = containers.length - 1;
  }
  return { containers, found: path.length, pair, node, flowAt };
}

/** A copy of `value` with `path` set to `leaf` (intermediate mappings or lists made as needed). */
export function setIn(value: unknown, path: readonly PathSegment[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const list = Array.isArray(value) ? [...(value as unknown[])] : [];
    list[head] = setIn(list[head], rest, leaf);
    return list;
  }
  const record = value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
  record[head] = setIn(record[head], rest, leaf);
  return record;
}

/** A copy of `value` without `path`. */
export function deleteIn(value: unknown, path: readonly PathSegment[]): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return value;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    if (typeof head !== 'number') return value;
    if (rest.length === 0) return value.filter((_, at) => at !== head);
    return value.map((item, at) => (at === head ? deleteIn(item, rest) : item));
  }
  const record = { ...(value as Record<string, unknown>) };
  if (typeof head !== 'string') return record;
  if (rest.length === 0) delete record[head];
  else if (head in record) record[head] = deleteIn(record[head], rest);
  return record;
}

/** A path part that does not exist yet may only create a list with its first item (index 0). */
export function checkNewPath(path: readonly PathSegment[]): TextRefusal | undefined {
  if (!path.some((segment) => typeof segment === 'number' && segment !== 0)) return undefined;
  return { code: 'EDIT_FIELD_INVALID', message: 'a list that does not exist yet can only get its first item (index 0)' };
}
