/**
 * The conformance fixture format: one YAML file per case under `test/cases/<topic>/`.
 * Documented in test/cases/README.md; this zod schema is its source of truth.
 * Fixtures are data: they name runbooks and handlers from `handlers/` only, so the
 * same files run on every runtime.
 */
import { z } from 'zod';

const STEP_STATUSES = ['pending', 'running', 'waiting', 'completed', 'failed', 'skipped'] as const;
const CHILD_STATUSES = ['running', 'completed', 'failed'] as const;

/** The codes a RunHandle rejects an action or signal with (core/action-rules.ts). */
export const REJECTION_CODES = [
  'ACTION_INVALID',
  'NO_PENDING_ACTION',
  'NOT_A_REVIEW',
  'WRONG_STEP',
  'OUTCOME_NOT_ALLOWED',
  'CORRECTIONS_INVALID',
  'SIGNAL_UNKNOWN',
  'SIGNAL_PAYLOAD_INVALID',
] as const;

const stepId = z.string().regex(/^[a-z][a-z0-9_]*$/);
const StepStatus = z.enum(STEP_STATUSES);
const RejectionCode = z.enum(REJECTION_CODES);

/** A runbook: the slug of `runbooks/<slug>.yaml`, or an inline definition (checked with RunbookSchema at load). */
const RunbookRef = z.union([z.string().regex(/^[a-z][a-z0-9-]*$/), z.record(z.string(), z.unknown())]);

/** A signal payload, inline or from a JSON file relative to the repository root. */
const signalFields = {
  signal: z.string().min(1),
  payload: z.unknown().optional(),
  payload_file: z.string().min(1).optional(),
  expect_rejection: RejectionCode.optional(),
};

/** A signal sent right after start, before the runner looks at the run (tests buffering and refusals). */
export const StartSignalSchema = z.strictObject(signalFields);

/** A user action, applied when `step` is pending. `action_step` overrides the step id sent with it (WRONG_STEP). */
export const ActionItemSchema = z.strictObject({
  step: stepId,
  action: z.string().min(1),
  payload: z.unknown().optional(),
  corrections: z.unknown().optional(),
  action_step: stepId.optional(),
  expect_rejection: RejectionCode.optional(),
  /** Also send the same action this many more times at once: exactly one is accepted, the others are refused with NO_PENDING_ACTION. */
  duplicates: z.number().int().min(1).max(10).optional(),
});

/** A signal, sent when `step` is pending. */
export const SignalItemSchema = z.strictObject({ step: stepId, ...signalFields });

export const ScriptItemSchema = z.union([ActionItemSchema, SignalItemSchema]);

const ChildrenExpect = z.union([z.number().int().min(0), z.array(z.enum(CHILD_STATUSES))]);
const StepExpect = z.union([StepStatus, z.strictObject({ status: StepStatus, children: ChildrenExpect.optional() })]);

/** Final `current_steps`: every step, as `[id, status]` / `[id, status, children]` pairs or an id → status map. */
export const StepsExpectSchema = z.union([
  z.array(z.union([z.tuple([stepId, StepStatus]), z.tuple([stepId, StepStatus, ChildrenExpect])])),
  z.record(stepId, StepExpect),
]);

/** One pending action seen; extra keys (reason, payload, ...) are compared only when given. */
export const PendingExpectSchema = z.strictObject({
  step: stepId,
  action: z.string().min(1),
  kind: z.enum(['review', 'signal']),
  reason: z.string().nullable().optional(),
  payload: z.unknown().optional(),
  display_hint: z.unknown().optional(),
  outcomes: z.array(z.string()).optional(),
  signals: z.array(z.string()).optional(),
});

export const ExpectSchema = z.strictObject({
  status: z.enum(['completed', 'failed']),
  /** The whole output, deep-equal. */
  output: z.unknown().optional(),
  /** A partial output: objects compare only the keys given, arrays element by element. */
  output_includes: z.unknown().optional(),
  error: z
    .strictObject({ step: stepId.nullable(), type: z.string().min(1), message_includes: z.string().optional() })
    .optional(),
  steps: StepsExpectSchema.optional(),
  pending_actions: z.array(PendingExpectSchema).optional(),
  /** Bounds on the wall time from start to result (real clock on every runtime). */
  elapsed_ms: z.strictObject({ min: z.number().min(0).optional(), max: z.number().min(0).optional() }).optional(),
});

export const FixtureSchema = z
  .strictObject({
    description: z.string().min(1),
    runbook: RunbookRef,
    runbooks: z.array(RunbookRef).optional(),
    input: z.unknown().optional(),
    /** A JSON input file relative to the repository root; `input` (an object) is merged over it. */
    input_file: z.string().min(1).optional(),
    signals: z.array(StartSignalSchema).optional(),
    script: z.array(ScriptItemSchema).optional(),
    /** How long the runner waits for the result. Default 10000. */
    timeout_ms: z.number().int().min(100).max(120_000).optional(),
    expect: ExpectSchema,
  })
  .superRefine((fixture, ctx) => {
    if (fixture.expect.status === 'failed' && !fixture.expect.error) {
      ctx.addIssue({ code: 'custom', path: ['expect', 'error'], message: 'a failed case names the error {step, type}' });
    }
    if (fixture.expect.status === 'completed' && fixture.expect.error) {
      ctx.addIssue({ code: 'custom', path: ['expect', 'error'], message: 'a completed case has no error' });
    }
  });

export type Fixture = z.infer<typeof FixtureSchema>;
export type Expect = z.infer<typeof ExpectSchema>;
export type ScriptItem = z.infer<typeof ScriptItemSchema>;
export type StartSignal = z.infer<typeof StartSignalSchema>;
export type StepsExpect = z.infer<typeof StepsExpectSchema>;
export type PendingExpect = z.infer<typeof PendingExpectSchema>;
export type RejectionCode = (typeof REJECTION_CODES)[number];
