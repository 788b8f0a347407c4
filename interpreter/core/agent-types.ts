/**
 * Agent calls as the interpreter core sees them: what an `agent` step asks of the agent activity and
 * what one turn of the agent gives back. The adapters (interpreter/agents/) implement them.
 * Sandbox-safe (types and constants only).
 */

/** What an agent reports it used; compared against the step's `budget`. */
export interface AgentUsage {
  readonly tokens?: number;
  readonly cost?: number;
}

/** A file an agent produced (an A2A file part, an MCP resource). */
export interface AgentFile {
  readonly name: string | null;
  readonly media_type: string | null;
  /** Where the file is (A2A url parts, MCP resource links). */
  readonly url?: string;
  /** Its content, base64 (small inline files). */
  readonly bytes?: string;
}

/** The agent's task on its side: an answer goes back on the same task. */
export interface AgentTaskRef {
  readonly task_id: string;
  readonly context_id: string;
}

/** What the agent asks a person (A2A `input-required`). */
export interface AgentQuestion {
  /** The question's text (the status message's text parts). */
  readonly text: string;
  /** A JSON Schema of the answer (a data part `{schema}`): the console shows a form, the answer is checked against it. */
  readonly schema?: Record<string, unknown>;
  /** Any other data the agent sent with its question. */
  readonly data?: unknown;
}

/** One call of the agent activity: a new task (`input`), or an answer on the agent's task (`reply`). */
export interface AgentInvocation {
  readonly agent: string;
  readonly input?: unknown;
  readonly reply?: AgentTaskRef & { readonly answer: unknown };
  /** Stable across retries and replays: `${runId}:${stepId}:${iteration}:${turn}`. */
  readonly message_id: string;
  /** The run and step that ask (absent in a call scheduled before they were sent). */
  readonly run_id?: string;
  readonly step_id?: string;
  /** How long this turn may take, from the message until the agent completes or asks. */
  readonly timeout_ms: number;
  /** How often a long-running task is polled. */
  readonly poll_interval_ms: number;
  readonly budget?: AgentUsage;
}

/** One turn's end: the agent completed (output validated against its contract), or it asks. */
export type AgentTurn =
  | ({ readonly state: 'completed'; readonly output: unknown; readonly text: string; readonly files: readonly AgentFile[]; readonly usage: AgentUsage } & Partial<AgentTaskRef>)
  | ({ readonly state: 'input-required'; readonly question: AgentQuestion; readonly usage: AgentUsage } & AgentTaskRef);

/** An `agent` step's result (`$steps.<id>`). */
export interface AgentResult {
  readonly status: 'completed';
  readonly output: unknown;
  readonly text: string;
  readonly files: readonly AgentFile[];
  readonly usage: AgentUsage;
  /** Every question the agent asked, with its answer and who answered. */
  readonly questions: readonly { readonly question: string; readonly answer: unknown; readonly actor: string | null }[];
}

/** The agent activity (a worker activity type on Temporal, a built-in in-process). `$` keeps it apart from handler names. */
export const AGENT_ACTIVITY = { invoke: '$agents.invoke', cancel: '$agents.cancel' } as const;

/** What `$agents.cancel` is asked: stop the agent's task (a person declined its question). */
export interface AgentCancellation extends AgentTaskRef {
  readonly agent: string;
  /** Why, for the agent (the person's comment). */
  readonly reason: string | null;
}

/** Whether the agent's task was cancelled; when not, why (best effort: the step fails with AGENT_DECLINED either way). */
export type AgentCancelled = { readonly cancelled: true } | { readonly cancelled: false; readonly reason: string };

/** Failure types of agent steps. */
export const AGENT_FAILURE = {
  failed: 'AGENT_FAILED',
  timeout: 'AGENT_TIMEOUT',
  outputInvalid: 'AGENT_OUTPUT_INVALID',
  inputInvalid: 'AGENT_INPUT_INVALID',
  budget: 'AGENT_BUDGET_EXCEEDED',
  unknown: 'AGENT_UNKNOWN',
  /** Transient: the agent could not be reached (retried by the step's retry policy). */
  unavailable: 'AGENT_UNAVAILABLE',
  tooManyQuestions: 'AGENT_TOO_MANY_QUESTIONS',
  /** A person declined the agent's question (user action `declined`): its task is cancelled. */
  declined: 'AGENT_DECLINED',
} as const;

/** The pending action's `display_hint.type` while an agent waits for an answer. */
export const AGENT_QUESTION_HINT = 'agent_question';
