/** `runbook status` says how to answer what a run waits on: a review's outcomes, an agent's question (answer or decline), a wait's signals. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pendingLines } from '../../interpreter/cli/commands/status.ts';
import type { PendingAction } from '../../interpreter/core/index.ts';

test('an agent question prints its schema and the act commands that answer or decline it', () => {
  const pending = {
    action: 'answer_drafter',
    kind: 'agent',
    step: 'draft_journal',
    reason: 'Which expense account?',
    display_hint: { type: 'agent_question', agent: 'journal.drafter', question: 'Which expense account?', schema: { type: 'object', required: ['account'] } },
    payload: { question: 'Which expense account?', task_id: 't', context_id: 'c' },
  } as unknown as PendingAction;
  assert.deepEqual(pendingLines('run-1', pending), [
    'waiting at "draft_journal" for answer_drafter',
    '  reason: Which expense account?',
    '  schema: {"type":"object","required":["account"]}',
    '  answer: runbook act run-1 --answer JSON|@FILE --step draft_journal',
    '  or:     runbook act run-1 declined --comment WHY --step draft_journal',
  ]);
});

test('a review still prints its outcomes', () => {
  const pending = { action: 'review', kind: 'review', step: 'check', outcomes: ['approved', 'rejected'] } as unknown as PendingAction;
  assert.deepEqual(pendingLines('run-1', pending), ['waiting at "check" for review', '  answer: runbook act run-1 approved|rejected']);
});
