/**
 * Ids of interpreter changes that a recorded Temporal history would replay differently
 * (`patched()` on Temporal, always on in-process). Never rename one: histories carry it.
 *
 * On Temporal every id is decided once, at the very start of a workflow execution (one marker in its
 * first task), not where the change applies: a `patched()` call right after the definition's local
 * activity can replay in an earlier activation than it first ran in (when the activity's result was
 * delivered in a later workflow task), before the marker is known, and fail as nondeterministic.
 * Sandbox-safe.
 */
// One id for the changes of issue 9 (bounded expressions, sizes, signal delivery): one marker per run.
const BOUNDED_RUNS = 'yaml-runbook/bounded-runs-1';
// One id for the changes of issue 13 (search attributes that tell the truth): one more marker per run.
const TRUTHFUL_ATTRIBUTES = 'yaml-runbook/truthful-attributes-1';
// The Datetime RunbookWaitingSince on the upserts around waits (issue 13): runs recorded before it upsert without it.
const WAITING_SINCE = 'yaml-runbook/waiting-since-1';

export const PATCH = {
  /** Oversized handler arguments and results, child inputs, run inputs and run states fail where they enter. */
  sizeLimits: BOUNDED_RUNS,
  /** A go-back discards the payloads that arrived before it, for the waits it returns to. */
  signalDelivery: BOUNDED_RUNS,
  /** Expression evaluation is bounded (steps, bytes built, depth) and `$eval` refused: EXPRESSION_LIMIT / EXPRESSION_FAILED. */
  expressionLimits: BOUNDED_RUNS,
  /** RunbookStatus is final when the run ends (one upsert), and a run started without RunbookSlug sets it at its start. */
  finalAttributes: TRUTHFUL_ATTRIBUTES,
  /** RunbookWaitingSince is set by the upsert that starts a wait and cleared by the resume and the final upsert. */
  waitingSince: WAITING_SINCE,
} as const;

/** Every distinct patch id, for the runtime to decide at the start of a run. */
export const PATCH_IDS: readonly string[] = [...new Set(Object.values(PATCH))];
