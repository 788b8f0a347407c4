/**
 * Cross-file checks: duplicate slugs, unknown child slugs, child input missing
 * what the child requires, and cycles of child dispatch.
 */
import type { Runbook } from '../format/index.ts';
import type { PendingDiagnostic } from './diagnostic.ts';
import { didYouMean } from './did-you-mean.ts';
import { isRecord } from './is-record.ts';
import { documentUses, type DocumentUses } from './document-references.ts';

/** A problem to place in one file. */
export interface FileProblem {
  readonly file: string;
  readonly problem: PendingDiagnostic;
}

/** What the cross-file checks read of a schema-valid runbook: plain data, so the validate cache can keep it. */
export interface ChildGraphNode {
  readonly file: string;
  readonly slug: string;
  /** `input.required` of the runbook's input schema, when it has one. */
  readonly required?: unknown;
  readonly children: readonly ChildCall[];
  /** Its commit and previous steps (document-references.ts). */
  readonly documents?: DocumentUses;
}

/** One child step: where it is, which slug it runs, and its input (static object, expression or list). */
export interface ChildCall {
  readonly stepId: string;
  readonly index: number;
  readonly runbook: string;
  readonly input?: unknown;
}

/** The node of a schema-valid runbook. */
export function childGraphNode(file: string, runbook: Runbook): ChildGraphNode {
  const children: ChildCall[] = [];
  runbook.steps.forEach((step, index) => {
    if ('child' in step) children.push({ stepId: step.id, index, runbook: step.child.runbook, ...(step.child.input === undefined ? {} : { input: step.child.input }) });
  });
  const required = runbook.input?.required;
  return { file, slug: runbook.slug, ...(required === undefined ? {} : { required }), children, documents: documentUses(runbook) };
}

interface ChildEdge {
  readonly from: ChildGraphNode;
  readonly to: string;
  readonly pointer: string;
}

/**
 * @param checked the runbooks whose problems are reported
 * @param known every runbook that may be dispatched (checked ones and references)
 * @param otherSlugs slugs of files that exist but did not validate (not "unknown", just broken)
 */
export function checkChildRunbooks(checked: readonly ChildGraphNode[], known: readonly ChildGraphNode[], otherSlugs: ReadonlySet<string> = new Set()): FileProblem[] {
  const problems: FileProblem[] = [];
  const bySlug = new Map<string, ChildGraphNode>();
  for (const loaded of known) {
    const first = bySlug.get(loaded.slug);
    if (!first) bySlug.set(loaded.slug, loaded);
    else if (checked.includes(loaded)) {
      problems.push({
        file: loaded.file,
        problem: { code: 'RB_DUPLICATE_SLUG', message: `slug "${loaded.slug}" is also used by ${first.file}; slugs must be unique`, pointer: '/slug', related: [{ message: `"${loaded.slug}" first defined here`, pointer: '/slug', file: first.file }] },
      });
    }
  }
  const edges = (loaded: ChildGraphNode): ChildEdge[] =>
    loaded.children.map(({ runbook, index }) => ({ from: loaded, to: runbook, pointer: `/steps/${index}/child/runbook` }));

  for (const loaded of checked) {
    for (const step of loaded.children) {
      const { index, runbook: slug } = step;
      const child = bySlug.get(slug);
      if (!child) {
        if (otherSlugs.has(slug)) continue;
        problems.push({ file: loaded.file, problem: { code: 'RB_UNKNOWN_CHILD', message: `step "${step.stepId}" runs runbook "${slug}", which is not loaded${didYouMean(slug, bySlug.keys())}`, pointer: `/steps/${index}/child/runbook` } });
        continue;
      }
      const missing = missingChildInput(step, child);
      if (missing.length > 0) {
        problems.push({
          file: loaded.file,
          problem: {
            code: 'RB_CHILD_INPUT',
            message: `step "${step.stepId}" runs "${slug}" without ${missing.map((name) => `"${name}"`).join(', ')}, required by its input schema`,
            pointer: `/steps/${index}/child${step.input === undefined ? '' : '/input'}`,
            at: 'key',
            related: [{ message: `"${slug}" requires them here`, pointer: '/input/required', file: child.file }],
          },
        });
      }
    }
  }
  problems.push(...findCycles(known, checked, edges));
  return problems;
}

/** Required top-level properties of the child's input schema absent from a static input object. */
function missingChildInput(step: ChildCall, child: ChildGraphNode): string[] {
  const { required } = child;
  if (!Array.isArray(required)) return [];
  const input = step.input;
  if (input !== undefined && !isRecord(input)) return []; // an expression or a list: judged at run time
  return required.filter((name): name is string => typeof name === 'string' && !(input !== undefined && Object.hasOwn(input, name)));
}

/** Cycles found by depth-first search (one per back edge), each reported once, on an edge of a checked runbook. */
function findCycles(known: readonly ChildGraphNode[], checked: readonly ChildGraphNode[], edges: (loaded: ChildGraphNode) => ChildEdge[]): FileProblem[] {
  const bySlug = new Map<string, ChildGraphNode>();
  for (const loaded of known) if (!bySlug.has(loaded.slug)) bySlug.set(loaded.slug, loaded);
  const state = new Map<string, 'active' | 'done'>();
  const stack: ChildEdge[] = [];
  const seen = new Set<string>();
  const problems: FileProblem[] = [];

  const visit = (slug: string): void => {
    state.set(slug, 'active');
    const loaded = bySlug.get(slug);
    for (const edge of loaded ? edges(loaded) : []) {
      if (!bySlug.has(edge.to)) continue;
      stack.push(edge);
      if (state.get(edge.to) === 'active') report(stack.slice(stack.findIndex((e) => e.from.slug === edge.to)));
      else if (!state.has(edge.to)) visit(edge.to);
      stack.pop();
    }
    state.set(slug, 'done');
  };

  const report = (cycle: ChildEdge[]): void => {
    const slugs = cycle.map((edge) => edge.from.slug);
    const start = slugs.indexOf([...slugs].sort()[0]);
    const ordered = [...cycle.slice(start), ...cycle.slice(0, start)];
    const key = ordered.map((edge) => edge.from.slug).join('>');
    if (seen.has(key)) return;
    seen.add(key);
    const anchor = ordered.find((edge) => checked.includes(edge.from));
    if (!anchor) return;
    const path = [...ordered.map((edge) => edge.from.slug), ordered[0].from.slug].join(' → ');
    problems.push({
      file: anchor.from.file,
      problem: {
        code: 'RB_CHILD_CYCLE',
        message: `child runbooks dispatch each other in a cycle: ${path}`,
        pointer: anchor.pointer,
        related: ordered.filter((edge) => edge !== anchor).map((edge) => ({ message: `"${edge.from.slug}" runs "${edge.to}"`, pointer: edge.pointer, file: edge.from.file })),
      },
    });
  };

  for (const slug of [...bySlug.keys()].sort()) if (!state.has(slug)) visit(slug);
  return problems;
}
