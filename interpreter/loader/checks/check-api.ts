/**
 * The contract of a semantic check: a small definition collected in a list
 * (like ajv keywords), run on a runbook that already passed the schema.
 */
import type { Runbook } from '../../format/index.ts';
import type { HandlerRegistry } from '../../handlers/index.ts';
import type { PendingDiagnostic } from '../diagnostic.ts';
import type { InputContract } from './static-contract.ts';

/** One `{% ... %}` expression in the runbook and where it sits. */
export interface ExpressionSite {
  /** Pointer to the string that holds the expression. */
  readonly pointer: string;
  /** Index of the step it belongs to; `steps.length` for the top-level output (which may read any step). */
  readonly stepIndex: number;
  /** The expression source (between the braces). */
  readonly expr: string;
  /** Offset of `expr` inside the string value. */
  readonly offset: number;
}

/**
 * What the agent checks need of an agent registry (agents/agent-registry.ts): the loader does not load
 * adapters. Names only (what crosses to a validation worker) check agent names; with `get`, static
 * inputs are also checked against the agent's input contract (RB_AGENT_INPUT).
 */
export interface AgentNames {
  names(): readonly string[];
  get?(name: string): (InputContract & { readonly name: string }) | undefined;
}

export interface CheckContext {
  readonly runbook: Runbook;
  /** Absent when no handler registry could be loaded: handler checks are skipped. */
  readonly handlers?: HandlerRegistry;
  /** The registered agents (an AgentRegistry); absent: agent checks are skipped. */
  readonly agents?: AgentNames;
  readonly expressions: readonly ExpressionSite[];
  /** Position of each step id (the first, if an id repeats). */
  readonly stepIndex: ReadonlyMap<string, number>;
  report(problem: PendingDiagnostic): void;
}

/** A semantic check of one runbook (no other files needed). */
export interface RunbookCheck {
  readonly name: string;
  check(context: CheckContext): void;
}
