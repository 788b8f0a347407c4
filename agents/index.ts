/**
 * The project's agents: what the example runbooks' `agent` steps invoke (docs/agents.md).
 * `journal.drafter` is an A2A agent found by its agent card URL (JOURNAL_DRAFTER_URL, read at each
 * call); the tests start a scripted one (test/support/agent-servers.ts).
 */
import { z } from 'zod';
import { a2aAgent, defineAgent, type AnyAgent } from '../interpreter/agents/index.ts';

const line = z.object({ account: z.string().min(1), debit: z.number().min(0), credit: z.number().min(0), memo: z.string().optional() });

export const journalDrafter = defineAgent({
  name: 'journal.drafter',
  description: 'Drafts a balanced accrual journal for a vendor invoice; asks which expense account when it is not sure.',
  input: z.object({ entity: z.string(), period: z.string(), vendor: z.string(), amount: z.number().positive() }),
  output: z.object({ lines: z.array(line).min(2), memo: z.string().min(1) }),
  adapter: a2aAgent({ cardUrl: () => process.env.JOURNAL_DRAFTER_URL ?? 'http://127.0.0.1:41241' }),
});

/** Every agent, for `loadAgentRegistry('agents')`. */
export const agents: AnyAgent[] = [journalDrafter];
