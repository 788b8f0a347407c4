/**
 * The editing module's contract: operations on a runbook file's text that keep everything they do
 * not touch byte for byte (comments, blank lines, quoting, block/flow style, key order, indentation).
 * Pure: no Node built-ins, no I/O; the console server and the CLI (`runbook move-step`) share it.
 */
import type { StepKind } from '../format/runbook-format.ts';

/** Where a step goes: before or after another step, or at a 0-based index of the resulting list. */
export type StepPosition =
  | { readonly before: string }
  | { readonly after: string }
  | { readonly index: number };

/** One edit, as the console sends it and the CLI builds it. Field paths are relative to the step mapping. */
export type EditOperation =
  | { readonly op: 'move'; readonly step: string; readonly to: StepPosition }
  | { readonly op: 'insert'; readonly template: string; readonly at: StepPosition; readonly id?: string }
  | { readonly op: 'delete'; readonly step: string }
  | { readonly op: 'duplicate'; readonly step: string; readonly id?: string }
  | { readonly op: 'set'; readonly step: string; readonly path: readonly (string | number)[]; readonly value: unknown }
  | { readonly op: 'clear'; readonly step: string; readonly path: readonly (string | number)[] };

/** Why an operation could not be applied to the text at all (the text is unchanged). */
export type EditRefusalCode =
  | 'EDIT_NOT_A_RUNBOOK' // the text does not parse far enough to have a `steps` sequence of mappings
  | 'EDIT_STEP_NOT_FOUND' // no step with that id (message has a did-you-mean)
  | 'EDIT_STEP_ID_TAKEN' // insert/duplicate with an id another step has
  | 'EDIT_POSITION_INVALID' // an index out of range, a before/after naming the moved step itself or an unknown step
  | 'EDIT_TEMPLATE_UNKNOWN' // insert with a template name not in STEP_TEMPLATES
  | 'EDIT_FIELD_INVALID'; // set/clear with an empty path, the `id` (use a rename), or a path through a scalar

export type EditResult =
  | { readonly ok: true; readonly text: string }
  | {
      readonly ok: false;
      readonly code: EditRefusalCode;
      readonly message: string;
      /** 1-based, for a text that is not valid YAML: where the parser stopped. */
      readonly line?: number;
      readonly column?: number;
    };

/** A step template for `insert`: the step kind it makes and what the console's menu shows. */
export interface StepTemplate {
  readonly name: string;
  readonly kind: StepKind;
  readonly label: string;
  readonly description: string;
}

/** A step of a runbook text as the editor lists it, with where it is and how data flows through it. */
export interface StepOutline {
  readonly id: string;
  /** 0-based position in `steps`. */
  readonly index: number;
  readonly kind: StepKind | null;
  readonly title: string | null;
  readonly icon: string | null;
  /** 1-based first line of the step (its leading comment included) and last line. */
  readonly line: number;
  readonly end_line: number;
  /** Step ids this step's expressions read through `$steps.X` (in first-use order). */
  readonly reads: readonly string[];
  /** Step ids whose expressions read this step. */
  readonly read_by: readonly string[];
  /** Steps this step routes back to (`goto` in outcomes and on_error, `deadline.then`). */
  readonly gotos: readonly string[];
}

/** A move that would make a step read a step that no longer runs before it. */
export interface FlowConflict {
  /** The step whose expression reads `read`. */
  readonly reader: string;
  readonly read: string;
  /** 1-based lines of the two steps in the text before the move. */
  readonly reader_line: number;
  readonly read_line: number;
  readonly message: string;
}
