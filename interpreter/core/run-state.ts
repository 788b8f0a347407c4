/**
 * The observable state of one run: what the queries return and what carries over
 * a continue-as-new. Plain data only. Sandbox-safe.
 */
import type { ReviewOutcome } from '../format/runbook-format.ts';

export type StepStatus = 'pending' | 'running' | 'waiting' | 'completed' | 'failed' | 'skipped';
export type RunStatus = 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';

/** A child run under a child step, as shown in `current_steps`. */
export interface ChildView {
  readonly id: string;
  readonly run_id: string;
  readonly title: string;
  readonly status: 'running' | 'completed' | 'failed';
}

/** One entry of `current_steps` (the seed's shape plus nested children). */
export interface StepView {
  readonly id: string;
  readonly title: string;
  readonly status: StepStatus;
  readonly icon: string | null;
  readonly children?: readonly ChildView[];
  /** When the step last started and ended (ISO 8601, the run's clock); null before. */
  readonly started_at?: string | null;
  readonly ended_at?: string | null;
  /** Handler attempts of its last start (1 without a retry); absent for steps that call no handler. */
  readonly attempts?: number;
  /** How many times the step has started before (go-backs). */
  readonly iteration?: number;
}

/** `current_pending_action`: what the run is waiting for, or null. */
export interface PendingAction {
  readonly action: string;
  readonly display_hint: unknown;
  readonly reason: string | null;
  /** The step that is waiting. */
  readonly step: string;
  /** `agent`: an agent asks a question (answered with a user action `answered`, its payload the answer, or `declined`). */
  readonly kind: 'review' | 'signal' | 'agent';
  /** What is under review (reviews), the agent's question (agents). */
  readonly payload?: unknown;
  /** The outcomes a review accepts. */
  readonly outcomes?: readonly ReviewOutcome[];
  /** The signals a wait accepts. */
  readonly signals?: readonly string[];
  /** The waiting step's title. */
  readonly step_title?: string;
  /** Since when the run waits (ISO 8601, the run's clock). */
  readonly since?: string | null;
  /** When the wait's deadline fires (ISO 8601), if it has one. */
  readonly deadline?: string | null;
  /** Outcomes that need a comment (reviews; `rejected` by default). */
  readonly comment_required?: readonly ReviewOutcome[];
  /** Who may not act on this review (reviews with `separation_of_duties`): the people, and why. */
  readonly excluded_actors?: readonly ExcludedActor[];
}

/** A person a review's separation of duties excludes. */
export interface ExcludedActor {
  readonly actor: string;
  /** `started the run`, `acted on step "prepare"`. */
  readonly because: string;
}

/** The seed's `UserAction`, plus an optional step id to guard against acting on the wrong review. */
export interface UserAction {
  /**
   * A review's outcome; for an agent's question `answered` (the payload is the answer) or `declined` (the person
   * will not answer: the agent's task is cancelled and the step fails with AGENT_DECLINED; `comment` says why).
   */
  readonly action: ReviewOutcome | 'answered' | 'declined';
  readonly payload?: unknown;
  readonly corrections?: unknown;
  readonly step?: string;
  /** Who acts (the console puts the signed-in person here; `runbook act --actor`). */
  readonly actor?: string;
  /** Why: required for the outcomes in the review's `comment_required` (by default `rejected`). */
  readonly comment?: string;
}

/** A review step's result (`$steps.<review>`): the decision record. */
export interface ReviewResult {
  readonly action: ReviewOutcome;
  readonly payload: unknown;
  readonly corrections: unknown;
  /** Who decided (null when the action named nobody, or the deadline decided). */
  readonly actor: string | null;
  readonly comment: string | null;
}

/** A fan-out child's place under its parent. */
export interface ParentRef {
  readonly run_id: string;
  readonly runbook: string;
  readonly step: string;
  /** The child's index among the step's items, and how many there are. */
  readonly index: number;
  readonly count: number;
}

/** What started a run: who, when, under which parent. */
export interface RunOrigin {
  readonly started_by?: string | null;
  readonly parent?: ParentRef | null;
}

/** One entry of a run's timeline: what happened, when, and who did it. */
export interface TimelineEntry {
  readonly at: string;
  readonly type:
    | 'run.started' | 'step.started' | 'step.completed' | 'step.failed' | 'step.skipped' | 'step.waiting' | 'step.retrying'
    | 'signal.received' | 'action.taken' | 'run.completed' | 'run.failed' | 'run.cancelled';
  readonly step?: string;
  readonly actor?: string | null;
  readonly comment?: string | null;
  /** `approved` / `rejected` / `corrected` (action.taken), or `deadline`. */
  readonly outcome?: string;
  readonly signal?: string;
  /** Failures and retries: the error's type and message; waits: the reason. */
  readonly error_type?: string;
  readonly message?: string;
  readonly attempt?: number;
}

export interface RunFailure {
  readonly step: string | null;
  readonly type: string;
  readonly message: string;
  /**
   * The stack of a plain Error thrown by a handler (a bug, not a WorkflowError), for debugging: in
   * `--format json` and, with RUNBOOK_DEBUG=1, in the CLI's messages. Absent otherwise.
   */
  readonly stack?: string;
}

/** `current_ui_state`: one snapshot for a UI. */
export interface UiState {
  readonly run_id: string;
  readonly runbook: string;
  readonly title: string;
  readonly status: RunStatus;
  readonly current_step: string | null;
  readonly pending_action: PendingAction | null;
  readonly steps: readonly StepView[];
  readonly error: RunFailure | null;
  /** Received signals no wait has taken (docs/format.md, signal delivery), in arrival order. */
  readonly unconsumed_signals: readonly UnconsumedSignal[];
  /** Who started the run (null: a client that named nobody), when, and its parent if it is a fan-out child. */
  readonly started_by?: string | null;
  readonly started_at?: string | null;
  readonly ended_at?: string | null;
  readonly parent?: ParentRef | null;
  /** The input fields that identify the run (the runbook's `identity`), e.g. `{ entity, period }`. */
  readonly identity?: Readonly<Record<string, unknown>>;
  /** The run's output once completed. */
  readonly output?: unknown;
  /** What happened, oldest first (the last 500 entries). */
  readonly timeline?: readonly TimelineEntry[];
  /**
   * Grows with every change of the run's state. A state is shown with a new version only once the
   * run has taken in every accepted action and signal, so a newer version never shows a wait that
   * an accepted signal already answered.
   */
  readonly version: number;
}

export interface StepRecord {
  status: StepStatus;
  /** How many times the step has started before (go-backs). */
  iteration: number;
  result?: unknown;
  children?: ChildView[];
  /** When it last started and ended (epoch ms, the run's clock). */
  started_at?: number;
  ended_at?: number;
  /** Handler attempts of its last start (call steps). */
  attempts?: number;
  /** Who last acted on it (reviews); kept over go-backs, for separation of duties. */
  last_actor?: string | null;
}

export interface ReceivedSignal {
  readonly name: string;
  readonly payload: unknown;
  consumed: boolean;
  /** A go-back discarded it (it arrived before the go-back): no wait takes it. Absent in older snapshots. */
  discarded?: boolean;
  /** When it was received (epoch ms, the run's clock). */
  readonly at?: number;
  /** Its payload's size in bytes of JSON (the run's state counts it). */
  readonly bytes?: number;
}

/**
 * A received signal no wait has taken, as `current_ui_state` shows it: `waiting` while a wait ahead
 * may still take it, `discarded` when a go-back discarded it, `unclaimed` when no wait ahead waits for it.
 */
export interface UnconsumedSignal {
  readonly name: string;
  /** Its position among every signal the run received (0 is the first); `$signals.<name>` lists payloads in the same order. */
  readonly index: number;
  readonly received_at: string | null;
  readonly bytes: number;
  readonly state: 'waiting' | 'discarded' | 'unclaimed';
}

/** Everything needed to resume a run between steps (continue-as-new). */
export interface RunSnapshot {
  readonly pc: number;
  readonly goBacks: number;
  readonly steps: Record<string, StepRecord>;
  readonly signals: ReceivedSignal[];
  /** The state version, carried so versions keep growing across runs of a chain (absent in older snapshots). */
  readonly version?: number;
  /** When the first run of the chain started (epoch ms) and what happened so far (absent in older snapshots). */
  readonly startedAt?: number;
  readonly timeline?: TimelineEntry[];
}

export type RunOutcome =
  | { readonly status: 'completed'; readonly output: unknown }
  | { readonly status: 'failed'; readonly error: RunFailure };
