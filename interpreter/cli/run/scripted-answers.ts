/**
 * `--answer STEP=approved|rejected[:COMMENT]`, `--answer STEP=corrected:JSON`, `--answer STEP=JSON|@FILE` (an agent's
 * question) and `--signal NAME=JSON|@FILE`: answers given on the command line, consumed in order as reviews, questions
 * and waits come up (in any run, children included).
 */
import type { UserAction } from '../../core/index.ts';
import type { ReviewOutcome } from '../../format/runbook-format.ts';
import { parseJson, parseJsonOrFile, UsageError } from '../cli-support.ts';

export interface ScriptedAnswer {
  readonly step: string;
  readonly action: UserAction;
  /** The argument as given, for messages. */
  readonly text: string;
}

export interface ScriptedSignal {
  readonly name: string;
  readonly payload: unknown;
  readonly text: string;
}

const OUTCOMES: readonly ReviewOutcome[] = ['approved', 'rejected', 'corrected'];

/**
 * Parses `STEP=approved[:COMMENT]`, `STEP=rejected[:COMMENT]`, `STEP=corrected:{"lines":[...]}`: the text
 * after `:` is the comment of an approval or rejection, the corrections (JSON) of a correction. Anything else after `=`
 * is JSON (or `@FILE`): the answer to an agent's question (`STEP={"account":"6100"}`, `STEP="yes"`).
 */
export function parseAnswer(text: string): ScriptedAnswer {
  const match = /^([a-z][a-z0-9_]*)=(approved|rejected|corrected)(?::([\s\S]*))?$/.exec(text);
  if (!match) return parseAgentAnswer(text);
  const [, step, outcome, rest] = match;
  if (outcome === 'corrected' && rest === undefined) throw new UsageError(`--answer "${text}": corrected needs corrections, e.g. ${step}=corrected:{"note":"..."}`);
  const action: UserAction =
    outcome === 'corrected'
      ? { action: 'corrected', corrections: parseJson(rest!, `--answer "${text}"`), step }
      : { action: outcome as ReviewOutcome, step, ...(rest !== undefined && rest.trim() !== '' ? { comment: rest } : {}) };
  return { step, action, text };
}

/** `STEP=JSON` or `STEP=@FILE`: an answer to the agent's question at STEP. */
function parseAgentAnswer(text: string): ScriptedAnswer {
  const match = /^([a-z][a-z0-9_]*)=(\S[\s\S]*)$/.exec(text);
  if (!match) throw new UsageError(`--answer "${text}": expected STEP=approved|rejected[:COMMENT], STEP=corrected:JSON or STEP=JSON|@FILE (an agent's question)`);
  const [, step, value] = match;
  return { step, action: { action: 'answered', payload: parseJsonOrFile(value, `--answer "${text}"`), step }, text };
}

/** Parses `NAME=JSON` or `NAME=@FILE` (a file's JSON); the payload may be omitted: `NAME=` sends null. */
export function parseSignal(text: string): ScriptedSignal {
  const match = /^([a-z][a-z0-9_]*)=([\s\S]*)$/.exec(text);
  if (!match) throw new UsageError(`--signal "${text}": expected NAME=JSON or NAME=@FILE`);
  const [, name, value] = match;
  return { name, payload: value.trim() === '' ? null : parseJsonOrFile(value, `--signal ${text}`), text };
}

/** The scripted answers and signals not used yet. */
export class ScriptedAnswers {
  private readonly answers: ScriptedAnswer[];
  private readonly signals: ScriptedSignal[];

  constructor(answers: readonly string[] = [], signals: readonly string[] = []) {
    this.answers = answers.map(parseAnswer);
    this.signals = signals.map(parseSignal);
  }

  /** The answers and signals not used yet, in order (for checks before the run starts). */
  given(): { readonly answers: readonly ScriptedAnswer[]; readonly signals: readonly ScriptedSignal[] } {
    return { answers: [...this.answers], signals: [...this.signals] };
  }

  /** Takes the next answer for `step`, if one was given. */
  takeAnswer(step: string): ScriptedAnswer | undefined {
    const index = this.answers.findIndex((answer) => answer.step === step);
    return index < 0 ? undefined : this.answers.splice(index, 1)[0];
  }

  /** Takes the next signal with one of `names`, if one was given. */
  takeSignal(names: readonly string[]): ScriptedSignal | undefined {
    const index = this.signals.findIndex((signal) => names.includes(signal.name));
    return index < 0 ? undefined : this.signals.splice(index, 1)[0];
  }

  /** Answers and signals never used (for a note at the end). */
  unused(): string[] {
    return [...this.answers.map((a) => `--answer ${a.text}`), ...this.signals.map((s) => `--signal ${s.text}`)];
  }
}
