/**
 * The runbook format: the one source of truth.
 *
 * `schema/runbook.schema.json` is generated from these zod schemas
 * (`npm run gen:schema`) and the TypeScript types are inferred from them, so the
 * published contract and the types cannot drift (test/format/schema-drift.test.ts).
 *
 * This module is only imported at load/validation time. Code that runs inside the
 * Temporal workflow sandbox imports its *types* only (`import type`).
 */
import { z } from 'zod';
import { DEFAULT_EXPRESSION_LIMITS, EXPRESSION_LIMIT_CEILINGS } from '../expressions/expression-limits.ts';

/** A step id, signal name or handler-safe identifier. */
const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/)
  .meta({ description: 'A lower_snake_case identifier: starts with a letter; letters, digits and underscores.' });

const slugPattern = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/)
  .meta({ description: 'A runbook slug: lower-kebab-case, unique among loaded runbooks.' });

/** `{% jsonata %}` — the whole string is one JSONata expression. */
export const EXPRESSION_PATTERN = /^\{%[\s\S]*%\}$/;

const expression = z
  .string()
  .regex(EXPRESSION_PATTERN)
  .meta({
    description:
      'A JSONata expression inside {% ... %}. Context: $input, $steps.<id>, $signals.<name>, $item, $index, $run.',
  });

const duration = z
  .string()
  .regex(/^[0-9]+(ms|s|m|h|d)$/)
  .meta({ description: 'A duration: a whole number with a unit ms, s, m, h or d, e.g. 500ms, 30s, 5m, 2h, 3d.' });

/** A value that may contain `{% ... %}` expressions anywhere in its strings. */
const templated = z.unknown().meta({
  description:
    'Any JSON value. Strings that are entirely {% expr %} evaluate to the expression value; strings with embedded {% expr %} are interpolated.',
});

const jsonSchema = z
  .record(z.string(), z.unknown())
  .meta({ description: 'A JSON Schema (draft 2020-12) object.' });

export const TransitionSchema = z
  .union([
    z.literal('continue').meta({ description: 'Go on with the next step.' }),
    z
      .strictObject({
        fail: z.string().min(1).meta({ description: 'Fail the run with this message (expressions interpolated).' }),
      })
      .meta({ description: 'Fail the run with a message.' }),
    z
      .strictObject({
        goto: identifier.meta({ description: 'The id of an earlier step to go back to.' }),
      })
      .meta({ description: 'Go back to an earlier step; bounded by the runbook\'s max_go_backs.' }),
  ])
  .meta({ id: 'Transition', description: 'What happens next: "continue", {fail: message} or {goto: earlier_step_id}.' });

export const RetryPolicySchema = z
  .strictObject({
    max_attempts: z.number().int().min(1).max(1000).optional().meta({ description: 'Attempts in all, including the first. Default 3.' }),
    initial_interval: duration.optional().meta({ description: 'Delay before the first retry. Default 1s.' }),
    backoff_coefficient: z.number().min(1).max(100).optional().meta({ description: 'Multiplier applied to the delay after each retry. Default 2.' }),
    max_interval: duration.optional().meta({ description: 'Upper bound on the delay between retries. Default 100 x initial_interval.' }),
    non_retryable_types: z
      .array(z.string().min(1))
      .optional()
      .meta({ description: 'WorkflowError types that are never retried (in addition to errors raised with nonRetryable).' }),
  })
  .meta({ id: 'RetryPolicy', description: 'How a failed handler call is retried. Honoured by both runtimes.' });

export const ErrorRouteSchema = z
  .strictObject({
    type: z.string().min(1).optional().meta({ description: 'The WorkflowError type this route matches. Omit to match any error.' }),
    then: TransitionSchema,
  })
  .meta({ id: 'ErrorRoute', description: 'Routes a failure with a given WorkflowError type once retries are exhausted.' });

export const CallSchema = z
  .strictObject({
    handler: z
      .string()
      .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/)
      .meta({ description: 'The registered handler name, e.g. ledger.open_period.' }),
    args: templated.optional().meta({ description: 'Arguments passed to the handler; checked against its zod input contract.' }),
    retry: RetryPolicySchema.optional(),
    timeout: duration.optional().meta({ description: 'Start-to-close timeout of one attempt. Default 60s.' }),
    local: z.boolean().optional().meta({ description: 'On Temporal, run as a local activity (short handlers only).' }),
    on_error: z.array(ErrorRouteSchema).optional().meta({ description: 'Routing on WorkflowError types, first match wins. Unmatched errors fail the run.' }),
  })
  .meta({ id: 'Call', description: 'Call a TypeScript handler (an activity on Temporal). The step result is the handler output.' });

export const ReviewOutcomeSchema = z.enum(['approved', 'rejected', 'corrected']).meta({ id: 'ReviewOutcome', description: 'A review outcome.' });

export const ReviewSchema = z
  .strictObject({
    payload: templated.optional().meta({ description: 'What the person reviews; shown in current_pending_action.' }),
    display_hint: templated.optional().meta({ description: 'UI component selector and config for the review.' }),
    reason: z.string().optional().meta({ description: 'One line shown in the pending-action chip (expressions interpolated).' }),
    action: z.string().optional().meta({ description: 'The pending action name advertised while waiting. Default "review".' }),
    outcomes: z
      .strictObject({
        approved: TransitionSchema.optional(),
        rejected: TransitionSchema.optional(),
        corrected: TransitionSchema.optional(),
      })
      .optional()
      .meta({
        description:
          'The allowed outcomes and what each does. Only listed outcomes are accepted. Default: approved and corrected continue, rejected fails.',
      }),
    corrections: jsonSchema.optional().meta({ description: 'JSON Schema that corrections must satisfy for a "corrected" outcome.' }),
    deadline: z
      .strictObject({
        after: duration,
        outcome: ReviewOutcomeSchema,
      })
      .optional()
      .meta({ description: 'If nobody acts within `after`, the review resolves with this default outcome.' }),
    comment_required: z
      .array(ReviewOutcomeSchema)
      .optional()
      .meta({ description: 'Outcomes that need a comment saying why (a user action without one is refused with COMMENT_REQUIRED), e.g. [rejected]. Default: none (the console always asks one for a rejection).' }),
    separation_of_duties: z
      .strictObject({
        exclude_starter: z.boolean().optional().meta({ description: 'The person who started the run may not act on this review.' }),
        exclude_actors_of: z
          .array(identifier)
          .optional()
          .meta({ description: 'Earlier review steps whose actor may not act on this review (four eyes).' }),
      })
      .optional()
      .meta({ description: 'Who may not act on this review; a violating action (or one naming no actor) is refused with SEPARATION_OF_DUTIES.' }),
  })
  .meta({
    id: 'Review',
    description: 'Wait for a person to approve, reject or correct (the seed\'s wait_for_action). The step result is the user action.',
  });

export const WaitSchema = z
  .strictObject({
    signal: z
      .union([identifier, z.array(identifier).min(1)])
      .meta({ description: 'The declared signal (or signals) this step waits for.' }),
    until: expression.optional().meta({
      description: 'Predicate over a received payload ($signal, $signal_name) and the run context. Default: any payload.',
    }),
    action: z.string().min(1).meta({ description: 'The pending action name advertised while waiting, e.g. awaiting_tb_upload.' }),
    display_hint: templated.optional().meta({ description: 'UI hint advertised with the pending action.' }),
    reason: z.string().optional().meta({ description: 'One line shown in the pending-action chip.' }),
    deadline: z
      .strictObject({ after: duration, then: TransitionSchema })
      .optional()
      .meta({ description: 'If no matching signal arrives within `after`, take this transition.' }),
    keep_earlier_signals: z.boolean().optional().meta({
      description:
        'When a go-back (goto) returns to this wait, still take payloads that arrived before the go-back. Default false: a go-back discards them, so a stale upload is never taken.',
    }),
  })
  .meta({
    id: 'Wait',
    description:
      'Wait for a signal (the seed\'s await_signal_with_action). On its first entry the wait also takes payloads that arrived earlier; after a go-back, only those that arrived since (unless keep_earlier_signals). The first matching payload is taken and becomes the step result.',
  });

export const ChildSchema = z
  .strictObject({
    runbook: slugPattern.meta({ description: 'The slug of the child runbook.' }),
    input: templated.optional().meta({ description: 'The child run\'s input; with for_each, $item and $index are bound.' }),
    for_each: expression.optional().meta({ description: 'Fan out: one child per item of this list, joined; the result is the list of outputs.' }),
    concurrency: z.number().int().min(1).max(1000).optional().meta({ description: 'Most children running at once with for_each. Default 10.' }),
    on_error: z.array(ErrorRouteSchema).optional().meta({ description: 'Routing when a child fails, matched on its error type.' }),
  })
  .meta({ id: 'Child', description: 'Run another runbook by slug; children are nested under this step in current_steps.' });

export const TimerSchema = z
  .union([
    z.strictObject({ duration: duration.meta({ description: 'Sleep for this long.' }) }),
    z.strictObject({ until: expression.meta({ description: 'Sleep until this time (an ISO-8601 string).' }) }),
  ])
  .meta({ id: 'Timer', description: 'Sleep for a duration, or until a time.' });

const documentName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/)
  .meta({ description: 'A committed document\'s name, lower_snake_case, e.g. closing_trial_balance (shared by every runbook of the set).' });

const keyFields = z
  .record(identifier, templated)
  .meta({ description: 'Key fields by name; each value is a string, number or boolean (expressions allowed).', minProperties: 1 });

export const CommitSchema = z
  .strictObject({
    document: documentName,
    key: keyFields.meta({ description: 'The key fields and their values, e.g. {entity: ..., period: ...}; committing the same key again makes a new version.' }),
    value: templated.meta({ description: 'What is stored (expressions allowed), e.g. the approved trial balance.' }),
    schema: jsonSchema.optional().meta({ description: 'JSON Schema the value must satisfy; a value that does not fails the step with DOCUMENT_INVALID.' }),
    on_error: z.array(ErrorRouteSchema).optional().meta({ description: 'Routing on the failure type (DOCUMENT_INVALID, DOCUMENT_KEY_INVALID, a store failure, ...), first match wins.' }),
  })
  .meta({
    id: 'Commit',
    description:
      'Store a named, keyed, versioned document (an activity on Temporal), with the run, step, runbook, definition hash, time and the last reviewer. Idempotent: a retried or replayed commit never stores twice. The step result is {document, key, version, committed_at, run_id}.',
  });

export const PreviousSchema = z
  .strictObject({
    document: documentName,
    where: z
      .record(identifier, templated)
      .optional()
      .meta({ description: 'Key fields that must equal these values (expressions allowed), e.g. {entity: ...}. Default: none.' }),
    before: z
      .record(identifier, templated)
      .optional()
      .meta({ description: 'One key field and a value: the latest document whose field sorts before it (strings by code point, numbers by value), e.g. {period: ...}.', minProperties: 1, maxProperties: 1 }),
    version: z
      .union([z.number().int().min(1), expression])
      .optional()
      .meta({ description: 'A specific version (1, 2, ...) of the matching key. Default: the latest.' }),
    required: z.boolean().optional().meta({ description: 'A miss fails the step with PREVIOUS_NOT_FOUND. Default false: a miss is {found: false}, the normal first run.' }),
    on_error: z.array(ErrorRouteSchema).optional().meta({ description: 'Routing on the failure type (PREVIOUS_NOT_FOUND, DOCUMENT_KEY_INVALID, a store failure, ...), first match wins.' }),
  })
  .meta({
    id: 'Previous',
    description:
      'Read the latest committed document that matches (an activity on Temporal: replay sees the same answer). The step result is {found: true, key, value, version, committed_at, run_id, runbook} or {found: false}.',
  });

export const AgentSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/)
      .meta({ description: 'The registered agent\'s name, e.g. journal.drafter (a module under agents/).' }),
    input: templated.optional().meta({ description: 'What the agent is asked (expressions allowed); checked against the agent\'s zod input contract.' }),
    timeout: duration.optional().meta({ description: 'How long one turn of the agent may take (from the message until it completes or asks); AGENT_TIMEOUT after. Default 5m.' }),
    poll_interval: duration.optional().meta({ description: 'How often a long-running agent task is polled (the activity heartbeats each time). Default 1s.' }),
    retry: RetryPolicySchema.optional().meta({ description: 'Retries of transient failures (AGENT_UNAVAILABLE: the agent could not be reached). Default 3 attempts.' }),
    budget: z
      .strictObject({
        tokens: z.number().int().min(1).optional().meta({ description: 'Most tokens the agent may report.' }),
        cost: z.number().positive().optional().meta({ description: 'Most cost the agent may report (in the agent\'s unit, e.g. USD).' }),
      })
      .optional()
      .meta({ description: 'Limits the agent reports usage against; over a limit the agent task is cancelled and the step fails with AGENT_BUDGET_EXCEEDED.' }),
    action: z.string().min(1).optional().meta({ description: 'The pending action name advertised while the agent waits for an answer. Default "answer_agent".' }),
    max_questions: z.number().int().min(0).max(100).optional().meta({ description: 'Most questions the agent may ask in one step; one more fails it with AGENT_TOO_MANY_QUESTIONS. Default 5.' }),
    on_error: z.array(ErrorRouteSchema).optional().meta({ description: 'Routing on the failure type (AGENT_FAILED, AGENT_TIMEOUT, ...), first match wins.' }),
  })
  .meta({
    id: 'Agent',
    description:
      'Invoke a registered external agent (A2A or MCP) and poll it without holding the run (an activity with heartbeats on Temporal). A question of the agent (input-required) becomes a pending action of kind agent; the answer goes back on the same agent task. The step result is {status, output, text, files, usage, questions}, the output checked against the agent\'s contract.',
  });

const stepBase = {
  id: identifier.meta({ description: 'Stable step id: used in current_steps, $steps.<id>, goto and child workflow ids.' }),
  title: z.string().min(1).meta({ description: 'Display name in the breadcrumb.' }),
  icon: z
    .string()
    .regex(/^[A-Z][A-Za-z0-9]*$/)
    .optional()
    .meta({ description: 'A Lucide icon name in PascalCase, e.g. Calendar, Upload, FileCheck.' }),
  description: z.string().optional().meta({ description: 'Free text for readers of the runbook.' }),
  when: z
    .union([expression, z.boolean()])
    .optional()
    .meta({ description: 'Run this step only if the condition is true; otherwise it is skipped.' }),
};

export const STEP_KINDS = ['call', 'review', 'wait', 'child', 'timer', 'commit', 'previous', 'agent'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const CallStepSchema = z.strictObject({ ...stepBase, call: CallSchema }).meta({ id: 'CallStep', description: 'A step that calls a handler.' });
export const ReviewStepSchema = z.strictObject({ ...stepBase, review: ReviewSchema }).meta({ id: 'ReviewStep', description: 'A step where a person reviews.' });
export const WaitStepSchema = z.strictObject({ ...stepBase, wait: WaitSchema }).meta({ id: 'WaitStep', description: 'A step that waits for a signal.' });
export const ChildStepSchema = z.strictObject({ ...stepBase, child: ChildSchema }).meta({ id: 'ChildStep', description: 'A step that runs child runbooks.' });
export const TimerStepSchema = z.strictObject({ ...stepBase, timer: TimerSchema }).meta({ id: 'TimerStep', description: 'A step that sleeps.' });
export const CommitStepSchema = z.strictObject({ ...stepBase, commit: CommitSchema }).meta({ id: 'CommitStep', description: 'A step that commits a document.' });
export const PreviousStepSchema = z.strictObject({ ...stepBase, previous: PreviousSchema }).meta({ id: 'PreviousStep', description: 'A step that reads a previously committed document.' });
export const AgentStepSchema = z.strictObject({ ...stepBase, agent: AgentSchema }).meta({ id: 'AgentStep', description: 'A step that invokes an agent.' });

/** Branch order matters: the validator maps a step's kind key to its branch index. */
export const StepSchema = z
  .union([CallStepSchema, ReviewStepSchema, WaitStepSchema, ChildStepSchema, TimerStepSchema, CommitStepSchema, PreviousStepSchema, AgentStepSchema])
  .meta({ id: 'Step', description: 'One step: id, title, icon, optional when, and exactly one of call, review, wait, child, timer, commit, previous, agent.' });

export const SignalSchema = z
  .strictObject({
    description: z.string().optional().meta({ description: 'What this signal means.' }),
    payload: jsonSchema.optional().meta({ description: 'JSON Schema of the payload; a signal with an invalid payload is rejected.' }),
  })
  .meta({ id: 'Signal', description: 'A domain signal the runbook accepts.' });

export const SCHEDULE_OVERLAPS = ['skip', 'buffer_one', 'buffer_all', 'cancel_other', 'terminate_other', 'allow_all'] as const;

export const ScheduleSchema = z
  .strictObject({
    id: identifier.meta({ description: 'The schedule\'s id, unique in the runbook; the Temporal Schedule is runbook:<slug>:<id>.' }),
    description: z.string().optional().meta({ description: 'What this schedule is for (shown by runbook schedules list).' }),
    cron: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'When to start a run, a cron expression: minute hour day-of-month month day-of-week (e.g. "0 6 1 * *": 06:00 on the 1st), or @hourly, @daily, @weekly, @monthly, @yearly. Exactly one of cron and every.' }),
    every: duration.optional().meta({ description: 'Start a run at this interval (e.g. 1h, 15m), counted from the Unix epoch. Exactly one of cron and every.' }),
    timezone: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'The IANA time zone cron times are in, e.g. Europe/London. Default UTC.' }),
    input: templated.optional().meta({
      description:
        'The run\'s input, evaluated when the schedule fires: $schedule.fired_at (ISO-8601) and $now() are the scheduled fire time, $schedule.id its id; the result must satisfy the runbook\'s input schema (else the run fails with SCHEDULE_INPUT_INVALID). Default {}.',
    }),
    overlap: z
      .enum(SCHEDULE_OVERLAPS)
      .optional()
      .meta({ description: 'When the previous scheduled run is still open: skip this one (default), buffer_one, buffer_all, cancel_other, terminate_other or allow_all.' }),
  })
  .meta({ id: 'Schedule', description: 'Start runs of this runbook on a cron or an interval (Temporal Schedules, reconciled by runbook worker and runbook schedules sync).' });

/** An expression limit: a whole number from 1 up to its hard ceiling (expressions/expression-limits.ts). */
function expressionLimit(key: keyof typeof EXPRESSION_LIMIT_CEILINGS) {
  return z.number().int().min(1).max(EXPRESSION_LIMIT_CEILINGS[key]).optional();
}

/** Size limits of one runbook's runs (docs/limits.md); a value above a limit's ceiling is refused by the validator. */
export const LimitsSchema = z
  .strictObject({
    payload_bytes: z
      .number()
      .int()
      .min(1024)
      .max(1572864)
      .optional()
      .meta({ description: 'Largest single payload (run input, signal payload, user action, handler arguments or result, child input) in bytes of JSON. Default 1048576 (1 MiB), at most 1572864 (1.5 MiB).' }),
    state_bytes: z
      .number()
      .int()
      .min(1024)
      .max(1572864)
      .optional()
      .meta({ description: 'Largest run state (input, step results and received signal payloads together) in bytes of JSON. Default and most 1572864 (1.5 MiB).' }),
    expression_steps: expressionLimit('steps').meta({
      description: `Evaluation steps one expression evaluation may take (tail calls count). Default ${DEFAULT_EXPRESSION_LIMITS.steps}, at most ${EXPRESSION_LIMIT_CEILINGS.steps}.`,
    }),
    expression_value_bytes: expressionLimit('valueBytes').meta({
      description: `Bytes of values one evaluation may build in all (string characters; 8 per array item or object entry). Default ${DEFAULT_EXPRESSION_LIMITS.valueBytes} (8 MiB), at most ${EXPRESSION_LIMIT_CEILINGS.valueBytes} (64 MiB).`,
    }),
    expression_depth: expressionLimit('depth').meta({
      description: `How deep one evaluation may nest (non-tail recursion). Default ${DEFAULT_EXPRESSION_LIMITS.depth}, at most ${EXPRESSION_LIMIT_CEILINGS.depth}.`,
    }),
  })
  .meta({ id: 'Limits', description: 'Limits of this runbook\'s runs; docs/limits.md lists each with its default and error code.' });

export const RunbookSchema = z
  .strictObject({
    slug: slugPattern,
    title: z.string().min(1).meta({ description: 'Display name of the runbook.' }),
    description: z.string().optional().meta({ description: 'What the runbook is for.' }),
    identity: z
      .array(identifier)
      .optional()
      .meta({ description: 'Input fields that identify a run to people (e.g. [entity, period]): shown in the console\'s inbox and run pages. Default: the input schema\'s required properties of scalar type, at most three.' }),
    input: jsonSchema.optional().meta({ description: 'JSON Schema of the run input; a start with invalid input is refused.' }),
    signals: z
      .record(identifier, SignalSchema)
      .optional()
      .meta({ description: 'Domain signals by name, each with a payload schema.' }),
    max_go_backs: z
      .number()
      .int()
      .min(0)
      .max(10000)
      .optional()
      .meta({ description: 'How many times a run may go back to an earlier step in all. Default 10.' }),
    limits: LimitsSchema.optional(),
    schedules: z.array(ScheduleSchema).optional().meta({ description: 'When runs of this runbook start by themselves (docs/temporal.md#schedules).' }),
    steps: z.array(StepSchema).min(1).meta({ description: 'The ordered steps; list order is breadcrumb order.' }),
    output: templated.optional().meta({ description: 'The run output (expressions allowed). Default: every step result by id.' }),
  })
  .meta({ id: 'Runbook', title: 'Runbook', description: 'A declarative runbook: ordered steps run by one generic interpreter.' });

export type Transition = z.infer<typeof TransitionSchema>;
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;
export type ErrorRoute = z.infer<typeof ErrorRouteSchema>;
export type CallSpec = z.infer<typeof CallSchema>;
export type ReviewOutcome = z.infer<typeof ReviewOutcomeSchema>;
export type ReviewSpec = z.infer<typeof ReviewSchema>;
export type WaitSpec = z.infer<typeof WaitSchema>;
export type ChildSpec = z.infer<typeof ChildSchema>;
export type TimerSpec = z.infer<typeof TimerSchema>;
export type CallStep = z.infer<typeof CallStepSchema>;
export type ReviewStep = z.infer<typeof ReviewStepSchema>;
export type WaitStep = z.infer<typeof WaitStepSchema>;
export type ChildStep = z.infer<typeof ChildStepSchema>;
export type TimerStep = z.infer<typeof TimerStepSchema>;
export type CommitSpec = z.infer<typeof CommitSchema>;
export type PreviousSpec = z.infer<typeof PreviousSchema>;
export type CommitStep = z.infer<typeof CommitStepSchema>;
export type PreviousStep = z.infer<typeof PreviousStepSchema>;
export type AgentSpec = z.infer<typeof AgentSchema>;
export type AgentStep = z.infer<typeof AgentStepSchema>;
export type Step = z.infer<typeof StepSchema>;
export type SignalSpec = z.infer<typeof SignalSchema>;
export type Limits = z.infer<typeof LimitsSchema>;
export type ScheduleSpec = z.infer<typeof ScheduleSchema>;
export type ScheduleOverlap = (typeof SCHEDULE_OVERLAPS)[number];
export type Runbook = z.infer<typeof RunbookSchema>;
