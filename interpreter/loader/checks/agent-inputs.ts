/**
 * RB_AGENT_INPUT: an agent step's static input satisfies the agent's zod input contract, judged exactly
 * as a handler call's arguments are (static-contract.ts). Needs the contracts (an AgentRegistry's `get`):
 * skipped with names only, as on a validation worker (the main thread checks those files afterwards:
 * validate-files.ts), and without agents.
 */
import { joinPointer, toPointer } from '../json-pointer.ts';
import type { RunbookCheck } from './check-api.ts';
import { staticContractIssues } from './static-contract.ts';

export const agentInputs: RunbookCheck = {
  name: 'agent-inputs',
  check({ runbook, agents, report }) {
    if (!agents?.get) return;
    runbook.steps.forEach((step, index) => {
      if (!('agent' in step)) return;
      const agent = agents.get?.(step.agent.name);
      if (!agent) return; // RB_UNKNOWN_AGENT
      // An omitted input is {} at run time (core/steps/agent-step.ts): judge what the agent will get.
      for (const { path, at, message } of staticContractIssues(agent, step.agent.input ?? {})) {
        const where = path.length > 0 ? `input.${path.join('.')}` : 'input';
        report({
          code: 'RB_AGENT_INPUT',
          message: `step "${step.id}": ${where} does not fit agent "${agent.name}": ${message}`,
          pointer: joinPointer(`/steps/${index}/agent`, 'input') + toPointer(path),
          at,
        });
      }
    });
  },
};
