/**
 * The test case format: one YAML file per case (`*.test.yaml`), documented in docs/testing.md.
 * This zod schema is its one source of truth; `runbook test` and the project's own conformance
 * suite (test/cases/) read the same format.
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
  'ANSWER_INVALID',
  'COMMENT_REQUIRED',
  'SEPARATION_OF_DUTIES',
  'SIGNAL_UNKNOWN',
  'SIGNAL_PAYLOAD_INVALID',
  'PAYLOAD_TOO_LARGE',
  'RUN_STATE_TOO_LARGE',
] as const;

const stepId = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a step id (lower case, digits, _)');
const handlerName = z.string().min(1);
const StepStatus = z.enum(STEP_STATUSES);
const RejectionCode = z.enum(REJECTION_CODES);

/** The slug of a runbook in the runbooks directory, or an inline definition (checked like a runbook file). */
const RunbookRef = z.union([z.string().regex(/^[a-z][a-z0-9-]*$/, 'a runbook slug'), z.record(z.string(), z.unknown())]);

/** A payload inline, or from a JSON file relative to the case file. */
const signalFields = {
  signal: z.string().min(1),
  payload: z.unknown().optional(),
  payload_file: z.string().min(1).optional(),
  expect_rejection: RejectionCode.optional(),
};

/** A signal sent right after start, before the runner looks at the run (buffering and refusals). */
export const StartSignalSchema = z.strictObject(signalFields);

/** A review answer, sent when `step` is pending. `action_step` overrides the step id sent with it (WRONG_STEP). */
export const ActionItemSchema = z.strictObject({
  step: stepId,
  action: z.string().min(1),
  payload: z.unknown().optional(),
  corrections: z.unknown().optional(),
  /** Who acts (the user action's `actor`; separation of duties) and why (`comment`; comment_required). */
  actor: z.string().optional(),
  comment: z.string().optional(),
  action_step: stepId.optional(),
  expect_rejection: RejectionCode.optional(),
  /** Also send the same action this many more times at once: exactly one is accepted, the others are refused with NO_PENDING_ACTION. */
  duplicates: z.number().int().min(1).max(10).optional(),
});

/** A signal, sent when `step` is pending. */
export const SignalItemSchema = z.strictObject({ step: stepId, ...signalFields });

export const ScriptItemSchema = z.union([ActionItemSchema, SignalItemSchema]);

/** A WorkflowError a mock throws: `on_error` routes on its type; `non_retryable` skips the retry policy. */
export const MockErrorSchema = z.strictObject({
  type: z.string().min(1),
  message: z.string().optional(),
  non_retryable: z.boolean().optional(),
});

/**
 * One mock of a handler: a `result`, a sequence `results` (one per call it answers, in order),
 * or an `error`; optionally only for calls from `step` and/or for attempt number `attempt`.
 */
export const MockSchema = z
  .strictObject({
    step: stepId.optional(),
    attempt: z.number().int().min(1).optional(),
    result: z.unknown().optional(),
    results: z.array(z.unknown()).min(1).optional(),
    error: MockErrorSchema.optional(),
  })
  .superRefine((mock, ctx) => {
    const given = (['result', 'results', 'error'] as const).filter((key) => Object.hasOwn(mock, key));
    if (given.length !== 1) {
      ctx.addIssue({ code: 'custom', path: [], message: `a mock gives exactly one of result, results, error${given.length ? ` (it gives ${given.join(' and ')})` : ''}` });
    }
  });

/** Mocks by handler name: one mock, or a list tried in order (the first whose step/attempt fit answers). */
export const MocksSchema = z.record(handlerName, z.union([MockSchema, z.array(MockSchema).min(1)]));

/** The failures an agent mock can raise as the agent would (the others come from the interpreter or a person). */
export const AGENT_MOCK_ERROR_TYPES = ['AGENT_FAILED', 'AGENT_TIMEOUT', 'AGENT_BUDGET_EXCEEDED', 'AGENT_UNAVAILABLE', 'AGENT_OUTPUT_INVALID'] as const;

const usage = z.strictObject({ tokens: z.number().min(0).optional(), cost: z.number().min(0).optional() });

/** What a mocked agent completes with (the step's `output`, `text`, `files`, `usage`); the output is checked against the real agent's contract. */
export const AgentMockResultSchema = z.strictObject({
  output: z.unknown().optional(),
  text: z.string().optional(),
  files: z.array(z.strictObject({ name: z.string().nullable(), media_type: z.string().nullable(), url: z.string().optional(), bytes: z.string().optional() })).optional(),
  usage: usage.optional(),
});

/** A question the mocked agent asks (A2A input-required): the case's script answers or declines it. */
export const AgentMockQuestionSchema = z.strictObject({
  question: z.string().min(1),
  /** A JSON Schema of the answer: the answer is checked against it (ANSWER_INVALID). */
  schema: z.record(z.string(), z.unknown()).optional(),
  data: z.unknown().optional(),
  usage: usage.optional(),
});

/** A failure the mocked agent raises: AGENT_UNAVAILABLE is retried by the step's retry policy, the others are not. */
export const AgentMockErrorSchema = z.strictObject({ type: z.enum(AGENT_MOCK_ERROR_TYPES), message: z.string().optional() });

/** One turn of a mocked agent: it completes, asks, or fails. */
export const AgentMockTurnSchema = z.union([
  z.strictObject({ result: AgentMockResultSchema }),
  z.strictObject({ ask: AgentMockQuestionSchema }),
  z.strictObject({ error: AgentMockErrorSchema }),
]);

/**
 * One mock of an agent: a `result` (optionally after asking `ask`, per task), an `error` (likewise), or `turns`
 * (one per turn the agent is asked for, in order: a new task or an answer takes the next); optionally only for `step`.
 */
export const AgentMockSchema = z
  .strictObject({
    step: stepId.optional(),
    ask: AgentMockQuestionSchema.optional(),
    result: AgentMockResultSchema.optional(),
    error: AgentMockErrorSchema.optional(),
    turns: z.array(AgentMockTurnSchema).min(1).optional(),
  })
  .superRefine((mock, ctx) => {
    const given = (['result', 'error', 'turns'] as const).filter((key) => Object.hasOwn(mock, key));
    if (given.length !== 1) {
      ctx.addIssue({ code: 'custom', path: [], message: `an agent mock gives exactly one of result, error, turns${given.length ? ` (it gives ${given.join(' and ')})` : ''}` });
    }
    if (mock.ask && mock.turns) ctx.addIssue({ code: 'custom', path: ['ask'], message: 'with turns, a question is one of the turns ({ ask: {...} })' });
  });

/** Agent mocks by agent name: one mock, or a list tried in order (the first whose step fits answers a new task). */
export const AgentMocksSchema = z.record(handlerName, z.union([AgentMockSchema, z.array(AgentMockSchema).min(1)]));

const documentName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a document name (lower_snake_case)');
const KeyValue = z.union([z.string(), z.number().finite(), z.boolean()]);
const DocumentKey = z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'a key field (lower_snake_case)'), KeyValue);

/** A committed document the case's store holds before the run (what an earlier run would have committed). */
export const DocumentSeedSchema = z.strictObject({
  document: documentName,
  key: DocumentKey.refine((key) => Object.keys(key).length > 0, 'a key has at least one field'),
  value: z.unknown(),
  /** Its version; default the key's next (1 for the first seed of a key). */
  version: z.number().int().min(1).optional(),
  /** The runbook that committed it (`previous` returns it as `runbook`). Default `seed`. */
  runbook: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a runbook slug').optional(),
  /** When it was committed (ISO 8601; `previous` returns it). Default 2000-01-01T00:00:00.000Z. */
  committed_at: z.iso.datetime({ offset: true }).optional(),
});

/** One document the run committed: `value` deep-equal or `value_includes` partial (like output_includes); key and version when given. */
export const DocumentExpectSchema = z
  .strictObject({
    document: documentName,
    key: DocumentKey.optional(),
    value: z.unknown().optional(),
    value_includes: z.unknown().optional(),
    version: z.number().int().min(1).optional(),
  })
  .superRefine((expected, ctx) => {
    if (Object.hasOwn(expected, 'value') && Object.hasOwn(expected, 'value_includes')) ctx.addIssue({ code: 'custom', path: ['value_includes'], message: 'give value or value_includes, not both' });
  });

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
  kind: z.enum(['review', 'signal', 'agent']),
  reason: z.string().nullable().optional(),
  payload: z.unknown().optional(),
  /** Part of the payload: objects compare only the keys given (like output_includes). */
  payload_includes: z.unknown().optional(),
  display_hint: z.unknown().optional(),
  outcomes: z.array(z.string()).optional(),
  signals: z.array(z.string()).optional(),
  comment_required: z.array(z.string()).optional(),
  excluded_actors: z.array(z.strictObject({ actor: z.string(), because: z.string() })).optional(),
});

export const ExpectSchema = z.strictObject({
  /** Default: `failed` when `error` is given, else `completed`. */
  status: z.enum(['completed', 'failed']).optional(),
  /** The whole output, deep-equal. */
  output: z.unknown().optional(),
  /** A partial output: objects compare only the keys given, arrays element by element. */
  output_includes: z.unknown().optional(),
  error: z.strictObject({ step: stepId.nullable(), type: z.string().min(1), message_includes: z.string().optional() }).optional(),
  steps: StepsExpectSchema.optional(),
  pending_actions: z.array(PendingExpectSchema).optional(),
  /** Handler calls (every attempt counts), by name: how many, or the arguments of each (partial, like output_includes). */
  calls: z.record(handlerName, z.union([z.number().int().min(0), z.array(z.unknown())])).optional(),
  /**
   * What each agent was asked, by name (mocked or real): a count of turns, or one record per turn, partial: `{ step, input }`
   * for a new task, `{ step, answer }` for an answer sent back, `{ step, cancelled: true, reason }` for a cancelled task.
   */
  agents: z.record(handlerName, z.union([z.number().int().min(0), z.array(z.unknown())])).optional(),
  /** Every document the run (and its children) committed, in commit order (seeds excluded): `[]` for none. */
  documents: z.array(DocumentExpectSchema).optional(),
  /** The final `current_ui_state.unconsumed_signals`, in arrival order: each `{ signal, state }` (waiting, discarded, unclaimed). */
  unconsumed_signals: z.array(z.strictObject({ signal: z.string().min(1), state: z.enum(['waiting', 'discarded', 'unclaimed']) })).optional(),
  /** Bounds on the wall time from start to result (real clock on every runtime). */
  elapsed_ms: z.strictObject({ min: z.number().min(0).optional(), max: z.number().min(0).optional() }).optional(),
});

export const TestCaseSchema = z
  .strictObject({
    /** The test title; default: the file's path. */
    description: z.string().min(1).optional(),
    runbook: RunbookRef,
    /** More definitions (children), inline or slugs; a slug case gets every runbook of the directory anyway. */
    runbooks: z.array(RunbookRef).optional(),
    input: z.unknown().optional(),
    /** Who starts the run (`startedBy`: its state, timeline and a review's separation of duties). Default: nobody named. */
    started_by: z.string().min(1).optional(),
    /** A JSON input file relative to the case file; `input` (an object) is merged over it. */
    input_file: z.string().min(1).optional(),
    signals: z.array(StartSignalSchema).optional(),
    script: z.array(ScriptItemSchema).optional(),
    mocks: MocksSchema.optional(),
    /** Agent mocks by agent name (`agent` steps): results, questions, sequences, failures. */
    agents: AgentMocksSchema.optional(),
    /** Committed documents the case's own store holds before the run (each case has its own store). */
    documents: z.array(DocumentSeedSchema).optional(),
    /** How long the runner waits for the result. Default 10000. */
    timeout_ms: z.number().int().min(100).max(600_000).optional(),
    expect: ExpectSchema,
  })
  .superRefine((testCase, ctx) => {
    const { status, error } = testCase.expect;
    if (status === 'failed' && !error) ctx.addIssue({ code: 'custom', path: ['expect', 'status'], message: 'a failed case names the error {step, type}' });
    if (status === 'completed' && error) ctx.addIssue({ code: 'custom', path: ['expect', 'error'], message: 'a completed case has no error' });
  });

export type TestCaseData = z.infer<typeof TestCaseSchema>;
export type Expect = z.infer<typeof ExpectSchema>;
export type ScriptItem = z.infer<typeof ScriptItemSchema>;
export type StartSignal = z.infer<typeof StartSignalSchema>;
export type StepsExpect = z.infer<typeof StepsExpectSchema>;
export type PendingExpect = z.infer<typeof PendingExpectSchema>;
export type Mock = z.infer<typeof MockSchema>;
export type Mocks = z.infer<typeof MocksSchema>;
export type MockErrorSpec = z.infer<typeof MockErrorSchema>;
export type AgentMock = z.infer<typeof AgentMockSchema>;
export type AgentMocks = z.infer<typeof AgentMocksSchema>;
export type AgentMockTurn = z.infer<typeof AgentMockTurnSchema>;
export type DocumentSeed = z.infer<typeof DocumentSeedSchema>;
export type DocumentExpect = z.infer<typeof DocumentExpectSchema>;
export type RejectionCode = (typeof REJECTION_CODES)[number];
