/** RB_UNKNOWN_SIGNAL: a wait step only waits for signals the runbook declares. */
import { didYouMean } from '../did-you-mean.ts';
import type { RunbookCheck } from './check-api.ts';

export const waitSignals: RunbookCheck = {
  name: 'wait-signals',
  check({ runbook, report }) {
    const declared = Object.keys(runbook.signals ?? {});
    runbook.steps.forEach((step, index) => {
      if (!('wait' in step)) return;
      const { signal } = step.wait;
      const names = Array.isArray(signal) ? signal.map((name, i) => ({ name, pointer: `/steps/${index}/wait/signal/${i}` })) : [{ name: signal, pointer: `/steps/${index}/wait/signal` }];
      for (const { name, pointer } of names) {
        if (declared.includes(name)) continue;
        const known = declared.length > 0 ? `declared: ${declared.join(', ')}` : 'the runbook declares no signals';
        report({ code: 'RB_UNKNOWN_SIGNAL', message: `step "${step.id}" waits for signal "${name}", which is not declared under signals${didYouMean(name, declared)} (${known})`, pointer });
      }
    });
  },
};
