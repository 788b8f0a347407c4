/**
 * `--answer STEP=...` and `--signal NAME=...` checked against the runbook before it runs: a name
 * that neither the runbook nor a child it can dispatch declares would never be used, so it is a
 * usage error (exit 2, with a did-you-mean) before any handler has run.
 */
import type { Runbook } from '../../format/runbook-format.ts';
import { closestMatch } from '../../loader/did-you-mean.ts';
import type { DefinitionSource } from '../../runtime/definition-source.ts';
import type { ScriptedAnswers } from './scripted-answers.ts';

/** The runbook `slug` and every runbook its child steps can reach. */
function reachable(definitions: DefinitionSource, slug: string): Runbook[] {
  const found = new Map<string, Runbook>();
  const queue = [slug];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const runbook = found.has(next) ? undefined : definitions.resolve(next)?.runbook;
    if (!runbook) continue;
    found.set(next, runbook);
    for (const step of runbook.steps) if ('child' in step) queue.push(step.child.runbook);
  }
  return [...found.values()];
}

const suggestion = (word: string, candidates: Iterable<string>): string => {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
};

const known = (what: string, names: readonly string[]): string => (names.length ? `; it has ${what} ${names.join(', ')}` : `; it has no ${what}`);

/**
 * Every scripted name the run cannot use, as `CODE: message` lines; empty when all are declared.
 *
 * @example
 * checkScriptedNames(new ScriptedAnswers(['reviw=approved']), definitions, 'journal-proposal')
 * // ['ANSWER_UNKNOWN_STEP: --answer reviw=approved: runbook "journal-proposal" has no review step "reviw" (did you mean "review_journal"?); ...']
 */
export function checkScriptedNames(scripted: ScriptedAnswers, definitions: DefinitionSource, slug: string): string[] {
  const runbooks = reachable(definitions, slug);
  const where = runbooks.length > 1 ? `runbook "${slug}" (or a child it runs)` : `runbook "${slug}"`;
  const signals = [...new Set(runbooks.flatMap((runbook) => Object.keys(runbook.signals ?? {})))].sort();
  const steps = new Map(runbooks.flatMap((runbook) => runbook.steps.map((step) => [step.id, step] as const)));
  const reviews = [...steps.values()].filter((step) => 'review' in step).map((step) => step.id).sort();
  const agents = [...steps.values()].filter((step) => 'agent' in step).map((step) => step.id).sort();
  const problems: string[] = [];
  for (const answer of scripted.given().answers) {
    const step = steps.get(answer.step);
    const answered = answer.action.action === 'answered';
    if (step && (answered ? 'agent' in step : 'review' in step)) continue;
    const flag = `--answer ${answer.text}`;
    if (step && 'agent' in step) {
      problems.push(`ANSWER_NOT_A_REVIEW: ${flag}: step "${step.id}" invokes an agent: answer its question with --answer ${step.id}=JSON`);
      continue;
    }
    if (step && 'review' in step) {
      problems.push(`ANSWER_NOT_AN_AGENT: ${flag}: step "${step.id}" is a review: answer ${step.id}=approved|rejected[:COMMENT] or ${step.id}=corrected:JSON`);
      continue;
    }
    if (answered && !step) {
      problems.push(`ANSWER_UNKNOWN_STEP: ${flag}: ${where} has no agent step "${answer.step}"${suggestion(answer.step, agents)}${known('agent steps', agents)}`);
      continue;
    }
    if (step && 'wait' in step) problems.push(`ANSWER_NOT_A_REVIEW: ${flag}: step "${step.id}" waits for a signal, not a review: use --signal NAME=JSON`);
    else if (step) problems.push(`ANSWER_NOT_A_REVIEW: ${flag}: step "${step.id}" of ${where} is not a review${known('review steps', reviews)}`);
    else problems.push(`ANSWER_UNKNOWN_STEP: ${flag}: ${where} has no review step "${answer.step}"${suggestion(answer.step, reviews)}${known('review steps', reviews)}`);
  }
  for (const signal of scripted.given().signals) {
    if (signals.includes(signal.name)) continue;
    problems.push(`SIGNAL_UNKNOWN: --signal ${signal.name}=...: ${where} declares no signal "${signal.name}"${suggestion(signal.name, signals)}${known('signals', signals)}`);
  }
  return problems;
}
