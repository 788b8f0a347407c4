/**
 * RB_UNKNOWN_AGENT: an agent step names a registered agent (did-you-mean). Skipped when no agent
 * registry was given, as handler checks are without handlers.
 */
import { didYouMean } from '../did-you-mean.ts';
import type { RunbookCheck } from './check-api.ts';

export const agentNames: RunbookCheck = {
  name: 'agent-names',
  check({ runbook, agents, report }) {
    if (!agents) return;
    const known = agents.names();
    runbook.steps.forEach((step, index) => {
      if (!('agent' in step) || known.includes(step.agent.name)) return;
      report({
        code: 'RB_UNKNOWN_AGENT',
        message: `step "${step.id}" invokes agent "${step.agent.name}", which is not registered${didYouMean(step.agent.name, known)}`,
        pointer: `/steps/${index}/agent/name`,
      });
    });
  },
};
