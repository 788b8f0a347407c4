/**
 * The static judgment of values against a zod input contract, shared by handler calls (RB_HANDLER_ARGS)
 * and agent steps (RB_AGENT_INPUT). Only fully static values are judged: anything an expression could
 * still provide or change is left to run time.
 */
import { hasExpression } from '../../expressions/index.ts';

/** What is judged: a zod schema (a handler's or an agent's `input`), by its safeParse. */
export interface InputContract {
  readonly input: { safeParse(value: unknown): { success: boolean; error?: { issues: readonly Issue[] } } };
}

type Issue = { readonly path: PropertyKey[]; readonly message: string; readonly code?: string; readonly keys?: string[] };

/** One judged problem: where in the value (a key that should not be there: `at: 'key'`) and the contract's message. */
export interface StaticContractIssue {
  readonly path: readonly (string | number)[];
  readonly at: 'value' | 'key';
  readonly message: string;
}

/**
 * The contract's verdict on one value, by its JSON: runbooks of a directory call the same handlers
 * (agents) with the same static values again and again (a zod parse each, ~0.2 s per 1,000 files
 * before). By contract object, so a reloaded handler or agent is judged afresh.
 */
const verdicts = new WeakMap<object, Map<string, readonly Issue[]>>();
const MAX_VERDICTS = 2048;

function contractIssues(contract: InputContract, value: unknown): readonly Issue[] {
  let known = verdicts.get(contract);
  if (!known) verdicts.set(contract, (known = new Map()));
  const key = JSON.stringify(value, nonFiniteApart);
  const found = known.get(key);
  if (found) return found;
  let issues: readonly Issue[];
  try {
    const result = contract.input.safeParse(value);
    issues = result.success ? [] : (result.error?.issues ?? []);
  } catch {
    issues = []; // async refinements and the like cannot be judged statically
  }
  if (known.size >= MAX_VERDICTS) known.clear();
  known.set(key, issues);
  return issues;
}

/** NaN and the infinities (YAML's `.nan`, `.inf`) are not JSON's null: keep them apart in the key. */
function nonFiniteApart(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? { '\u0000number': String(value) } : value;
}

/** The contract's issues with `value` that no expression could change (one per unrecognized key). */
export function staticContractIssues(contract: InputContract, value: unknown): StaticContractIssue[] {
  const found: StaticContractIssue[] = [];
  for (const issue of contractIssues(contract, value)) {
    const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
    if (!isJudgeable(value, path)) continue;
    const keys = issue.code === 'unrecognized_keys' && issue.keys ? issue.keys : [undefined];
    for (const key of keys) found.push(key === undefined ? { path, at: 'value', message: issue.message } : { path: [...path, key], at: 'key', message: issue.message });
  }
  return found;
}

/** True when nothing on the way to `path`, nor the value there, is (or contains) an expression. */
function isJudgeable(args: unknown, path: readonly (string | number)[]): boolean {
  let node = args;
  for (const segment of path) {
    if (typeof node === 'string' && hasExpression(node)) return false;
    if (node === null || typeof node !== 'object') return true;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return isStatic(node);
}

function isStatic(value: unknown): boolean {
  if (typeof value === 'string') return !hasExpression(value);
  if (Array.isArray(value)) return value.every(isStatic);
  if (value !== null && typeof value === 'object') return Object.values(value).every(isStatic);
  return true;
}
