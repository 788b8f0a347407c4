/**
 * `runbook act ID approved|rejected|corrected [--comment TEXT] [--actor WHO] [--payload JSON] [--corrections JSON] [--step STEP]`,
 * `runbook act ID --answer JSON [--step STEP] [--actor WHO]`, `runbook act ID declined [--comment WHY] [--step STEP] [--actor WHO]`
 * Answers the review (or the agent's question, or declines it) a run is waiting on (the `user_action` Update). An action the run
 * refuses changes nothing and exits 1 with its code, e.g. `action rejected: NOT_A_REVIEW: ...`.
 */
import type { ReviewOutcome } from '../../format/runbook-format.ts';
import type { UserAction } from '../../core/index.ts';
import { TemporalRunClient } from '../../temporal/temporal-run-client.ts';
import { EXIT_OK, parseCommandArgs, UsageError, withUsage } from '../cli-support.ts';
import type { Command } from '../command.ts';
import { requireRunning, expectPositionals, jsonFlag, TEMPORAL_ENV_HELP, temporalSettings, withTemporalClient, CONNECTION_OPTIONS } from '../temporal-support.ts';

const OUTCOMES: readonly ReviewOutcome[] = ['approved', 'rejected', 'corrected'];

const USAGE = `usage: runbook act ID approved|rejected|corrected [--comment TEXT] [--actor WHO] [--payload JSON] [--corrections JSON] [--step STEP]
       runbook act ID --answer JSON|@FILE [--step STEP] [--actor WHO]
       runbook act ID declined [--comment WHY] [--step STEP] [--actor WHO]

Answers the review run ID is waiting on, or with --answer the question its agent step asks
(the action "answered", the answer its payload). "declined" declines the agent's question
instead: its task is cancelled and the step fails with AGENT_DECLINED. The run checks the action first (is a
review or question waiting, is the outcome allowed, do the corrections or the answer match
the step's schema) and refuses a bad one without changing anything.

options:
  --comment TEXT             why (the review's comment_required outcomes need one; a decline's reason)
  --actor WHO                who decides, recorded in the run (default: RUNBOOK_ACTOR)
  --payload JSON|@FILE       data to attach to the action
  --corrections JSON|@FILE   the corrections (required with corrected)
  --answer JSON|@FILE        the answer to an agent's question (checked against its schema)
  --step STEP                the step the action is meant for (refused if another one waits)
  -h, --help                 show this help

${TEMPORAL_ENV_HELP}

exit status: 0 accepted, 1 refused, unknown run or Temporal unreachable, 2 usage error or bad JSON`;

export const command: Command = {
  run: (argv) => withUsage(USAGE, () => act(argv)),
};

async function act(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    allowPositionals: true,
    options: {
      payload: { type: 'string' },
      corrections: { type: 'string' },
      answer: { type: 'string' },
      step: { type: 'string' },
      comment: { type: 'string' },
      actor: { type: 'string' },
      ...CONNECTION_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  const answering = values.answer !== undefined;
  const [runId, outcome = 'answered'] = answering && positionals.length < 2 ? expectPositionals(positionals, ['ID']) : expectPositionals(positionals, ['ID', 'OUTCOME']);
  if (answering) {
    if (outcome !== 'answered') throw new UsageError(`--answer answers an agent's question: drop the outcome "${outcome}"`);
    const excluded = (['payload', 'corrections', 'comment'] as const).find((flag) => values[flag] !== undefined);
    if (excluded) throw new UsageError(`--answer and --${excluded} exclude each other (the answer is the action's payload)`);
  } else if (outcome === 'declined') {
    const excluded = (['payload', 'corrections'] as const).find((flag) => values[flag] !== undefined);
    if (excluded) throw new UsageError(`declined sends no answer: drop --${excluded} (say why with --comment)`);
  } else if (outcome !== 'answered' && !OUTCOMES.includes(outcome as ReviewOutcome)) {
    throw new UsageError(`the outcome must be one of ${OUTCOMES.join(', ')} (or --answer JSON for an agent's question, declined to decline it), got "${outcome}"`);
  }
  const payload = jsonFlag(answering ? 'answer' : 'payload', answering ? values.answer : values.payload);
  const corrections = jsonFlag('corrections', values.corrections);
  const actor = values.actor ?? process.env.RUNBOOK_ACTOR;
  const action: UserAction = {
    action: outcome as UserAction['action'],
    ...(payload !== undefined ? { payload } : {}),
    ...(corrections !== undefined ? { corrections } : {}),
    ...(values.step !== undefined ? { step: values.step } : {}),
    ...(actor ? { actor } : {}),
    ...(values.comment !== undefined ? { comment: values.comment } : {}),
  };
  const settings = temporalSettings(undefined, values);

  return withTemporalClient(settings, async ({ client }) => {
    await requireRunning(client.workflow.getHandle(runId!), 'actions');
    await new TemporalRunClient(client).get(runId!).userAction(action);
    process.stdout.write(`${runId}: ${outcome}${values.step ? ` (step ${values.step})` : ''}\n`);
    return EXIT_OK;
  });
}
