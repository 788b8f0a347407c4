/**
 * RB_UNKNOWN_HANDLER / RB_HANDLER_ARGS: a call names a registered handler, and its
 * static arguments satisfy the handler's zod input. Only fully static values are
 * judged: anything an expression could still provide or change is left to run time.
 */
import { hasExpression } from '../../expressions/index.ts';
import type { AnyHandler } from '../../handlers/index.ts';
import { didYouMean } from '../did-you-mean.ts';
import { joinPointer, toPointer } from '../json-pointer.ts';
import type { CheckContext, RunbookCheck } from './check-api.ts';

export const handlerCalls: RunbookCheck = {
  name: 'handler-calls',
  check(context) {
    const { runbook, handlers, report } = context;
    if (!handlers) return;
    runbook.steps.forEach((step, index) => {
      if (!('call' in step)) return;
      const handler = handlers.get(step.call.handler);
      if (!handler) {
        report({
          code: 'RB_UNKNOWN_HANDLER',
          message: `step "${step.id}" calls handler "${step.call.handler}", which is not registered${didYouMean(step.call.handler, handlers.names())}`,
          pointer: `/steps/${index}/call/handler`,
        });
        return;
      }
      // Omitted args are {} at run time (core/steps/call-step.ts): judge what the handler will get.
      checkStaticArgs(context, handler, step.id, step.call.args ?? {}, `/steps/${index}/call`);
    });
  },
};

type Issue = { readonly path: PropertyKey[]; readonly message: string; readonly code?: string; readonly keys?: string[] };

/**
 * The contract's verdict on one handler's arguments, by their JSON: runbooks of a directory call the
 * same handlers with the same static arguments again and again (a zod parse each, ~0.2 s per 1,000
 * files before). By handler object, so a reloaded handler is judged afresh.
 */
const verdicts = new WeakMap<AnyHandler, Map<string, readonly Issue[]>>();
const MAX_VERDICTS = 2048;

function contractIssues(handler: AnyHandler, args: unknown): readonly Issue[] {
  let known = verdicts.get(handler);
  if (!known) verdicts.set(handler, (known = new Map()));
  const key = JSON.stringify(args, nonFiniteApart);
  const found = known.get(key);
  if (found) return found;
  let issues: readonly Issue[];
  try {
    const result = handler.input.safeParse(args);
    issues = result.success ? [] : result.error.issues;
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

function checkStaticArgs(context: CheckContext, handler: AnyHandler, stepId: string, args: unknown, callPointer: string): void {
  const issues = contractIssues(handler, args);
  for (const issue of issues) {
    const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
    if (!isJudgeable(args, path)) continue;
    const keys = issue.code === 'unrecognized_keys' && issue.keys ? issue.keys : [undefined];
    for (const key of keys) {
      const at = key === undefined ? path : [...path, key];
      const where = at.length > 0 ? `args.${at.join('.')}` : 'args';
      context.report({
        code: 'RB_HANDLER_ARGS',
        message: `step "${stepId}": ${where} does not fit handler "${handler.name}": ${issue.message}`,
        pointer: joinPointer(callPointer, 'args') + toPointer(at),
        at: key === undefined ? 'value' : 'key',
      });
    }
  }
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
