/**
 * The running account of one evaluation against its limits: steps taken and bytes built.
 * One budget spans every expression of a template value (a step's `args`, a review's
 * payload...), so splitting a runaway into several expressions does not multiply it.
 * Sandbox-safe.
 */
import { ExpressionLimitError } from './expression-errors.ts';
import { EXPRESSION_LIMIT_KEYS, type ExpressionLimits } from './expression-limits.ts';

/** Bytes counted for one array item or object entry (a pointer-sized slot). */
export const SLOT_BYTES = 8;

export class EvaluationBudget {
  readonly limits: ExpressionLimits;
  private stepsTaken = 0;
  private bytesBuilt = 0;

  constructor(limits: ExpressionLimits) {
    this.limits = limits;
  }

  /** One evaluation step at `depth`; throws when the steps or the depth go over their limits. */
  step(depth: number): void {
    this.stepsTaken += 1;
    if (this.stepsTaken > this.limits.steps) {
      throw new ExpressionLimitError(EXPRESSION_LIMIT_KEYS.steps, this.limits.steps, `the evaluation took more than ${this.limits.steps} steps (a loop or recursion that does not end?)`);
    }
    if (depth > this.limits.depth) {
      throw new ExpressionLimitError(EXPRESSION_LIMIT_KEYS.depth, this.limits.depth, `the evaluation nested more than ${this.limits.depth} levels deep (a recursion that does not end?)`);
    }
  }

  /** `count` steps of work a built-in does in native code (one per item it handles), charged before it runs. */
  work(count: number, what: string): void {
    this.stepsTaken += count;
    if (this.stepsTaken > this.limits.steps) {
      throw new ExpressionLimitError(EXPRESSION_LIMIT_KEYS.steps, this.limits.steps, `${what} over ${count} items would take the evaluation past ${this.limits.steps} steps`);
    }
  }

  /** Accounts for `bytes` about to be (or just) built by `what`; throws, before building when called first, over the limit. */
  build(bytes: number, what: string): void {
    if (!(bytes > 0)) return;
    const total = this.bytesBuilt + bytes;
    if (total > this.limits.valueBytes) {
      const size = Number.isFinite(bytes) ? `${bytes} bytes` : 'an unbounded size';
      throw new ExpressionLimitError(EXPRESSION_LIMIT_KEYS.valueBytes, this.limits.valueBytes, `${what} would build ${size}, ${total > bytes ? `${Math.min(total, Number.MAX_SAFE_INTEGER)} bytes in all` : 'more than the evaluation may'}`);
    }
    this.bytesBuilt = total;
  }

  /** The most items one sequence may hold within the byte limit. */
  get maxItems(): number {
    return Math.floor(this.limits.valueBytes / SLOT_BYTES);
  }

  get steps(): number {
    return this.stepsTaken;
  }

  get bytes(): number {
    return this.bytesBuilt;
  }
}

/** Bytes a value adds where it is built: characters of a string, a slot per array item, a slot and the key per object entry. */
export function shallowBytes(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.length * SLOT_BYTES;
  if (value !== null && typeof value === 'object') {
    let bytes = 0;
    for (const key of Object.keys(value)) bytes += SLOT_BYTES + key.length;
    return bytes;
  }
  return 0;
}

/** Bytes of a whole value (a deep copy builds all of it), counting no further than `cap`. */
export function deepBytes(value: unknown, cap: number): number {
  let bytes = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && bytes <= cap) {
    const next = stack.pop();
    bytes += shallowBytes(next);
    if (next !== null && typeof next === 'object') for (const item of Object.values(next)) stack.push(item);
  }
  return bytes;
}
