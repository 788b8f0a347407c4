/**
 * The editor's list of steps: id, kind, title, icon, lines, and how data flows between steps
 * (`$steps.X` reads in every `{% ... %}` of a step, a review's `exclude_actors_of`, and `goto`
 * targets). Tolerates invalid
 * runbooks: an unknown kind is null, an expression that does not compile reads nothing. Pure.
 */
import type { Document } from 'yaml';
import { referencedSteps } from '../expressions/step-references.ts';
import { parseTemplate } from '../expressions/template.ts';
import type { StepOutline } from './edit-types.ts';
import { isRefusal, readRunbookText, type StepBlock } from './runbook-text.ts';

type Kind = NonNullable<StepOutline['kind']>;
/** The format's step kinds (STEP_KINDS, restated: importing the format's value would bring zod into the browser editor). */
const KINDS = ['call', 'review', 'wait', 'child', 'timer', 'commit', 'previous', 'agent'] as const satisfies readonly Kind[];
/** Fails to compile when the format gains a kind this list lacks. */
const EVERY_KIND: [Exclude<Kind, (typeof KINDS)[number]>] extends [never] ? true : never = true;
void EVERY_KIND;

/**
 * The steps of a runbook text, or null when it has no `steps` list.
 *
 * @example
 * outlineSteps(text)?.map((step) => `${step.line}: ${step.id} reads ${step.reads.join(', ')}`)
 */
export function outlineSteps(text: string): StepOutline[] | null {
  const source = readRunbookText(text, true);
  if (isRefusal(source)) return null;
  const steps = source.blocks.map((block) => {
    const value = plainValue(block, source.document);
    return { block, value, reads: [...new Set([...stepReads(value), ...excludedActorsOf(value)])], gotos: stepGotos(value) };
  });
  return steps.map(({ block, value, reads, gotos }) => ({
    id: block.id ?? '',
    index: block.index,
    kind: stepKind(value),
    title: stringField(value, 'title'),
    icon: stringField(value, 'icon'),
    line: block.start + 1,
    end_line: block.end + 1,
    reads,
    read_by: block.id === null ? [] : steps.filter((other) => other.block !== block && other.reads.includes(block.id ?? '')).map((other) => other.block.id ?? ''),
    gotos,
  }));
}

function plainValue(block: StepBlock, document: Document.Parsed): Record<string, unknown> {
  try {
    const value: unknown = block.node?.toJS(document, { maxAliasCount: 100 });
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function stringField(value: Record<string, unknown>, key: string): string | null {
  return typeof value[key] === 'string' ? value[key] : null;
}

function stepKind(value: Record<string, unknown>): Kind | null {
  const present = KINDS.filter((kind) => Object.hasOwn(value, kind));
  return present.length === 1 ? present[0] : null;
}

/** Step ids read through `$steps.X` in any expression of the value, in first-use order. */
export function stepReads(value: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown, depth: number): void => {
    if (depth > 64) return;
    if (typeof node === 'string') {
      for (const part of parseTemplate(node)) if ('expr' in part) for (const id of readsOf(part.expr)) if (!found.includes(id)) found.push(id);
    } else if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
    } else if (node !== null && typeof node === 'object') {
      for (const item of Object.values(node)) visit(item, depth + 1);
    }
  };
  visit(value, 0);
  return found;
}

function readsOf(expression: string): string[] {
  try {
    return referencedSteps(expression);
  } catch {
    return []; // does not compile: the validator reports it
  }
}

/** A review's `separation_of_duties.exclude_actors_of`: it reads who acted on those steps. */
function excludedActorsOf(value: Record<string, unknown>): string[] {
  const review = value.review;
  const duties = review !== null && typeof review === 'object' ? (review as Record<string, unknown>).separation_of_duties : undefined;
  const steps = duties !== null && typeof duties === 'object' ? (duties as Record<string, unknown>).exclude_actors_of : undefined;
  return Array.isArray(steps) ? steps.filter((id): id is string => typeof id === 'string') : [];
}

/** `goto` targets of the step's outcomes, error routes and deadline. */
function stepGotos(value: Record<string, unknown>): string[] {
  const found: string[] = [];
  const add = (transition: unknown): void => {
    const target = transition !== null && typeof transition === 'object' ? (transition as Record<string, unknown>).goto : undefined;
    if (typeof target === 'string' && !found.includes(target)) found.push(target);
  };
  for (const kind of KINDS) {
    const spec = value[kind];
    if (spec === null || typeof spec !== 'object') continue;
    const { outcomes, on_error, deadline } = spec as Record<string, unknown>;
    if (outcomes !== null && typeof outcomes === 'object') for (const transition of Object.values(outcomes)) add(transition);
    if (Array.isArray(on_error)) for (const route of on_error) add(route !== null && typeof route === 'object' ? (route as Record<string, unknown>).then : undefined);
    if (deadline !== null && typeof deadline === 'object') add((deadline as Record<string, unknown>).then);
  }
  return found;
}
