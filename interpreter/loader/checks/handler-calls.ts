/**
 * RB_UNKNOWN_HANDLER / RB_HANDLER_ARGS: a call names a registered handler, and its
 * static arguments satisfy the handler's zod input. Only fully static values are
 * judged (static-contract.ts, shared with agent steps' RB_AGENT_INPUT).
 */
import type { AnyHandler } from '../../handlers/index.ts';
import { didYouMean } from '../did-you-mean.ts';
import { joinPointer, toPointer } from '../json-pointer.ts';
import type { CheckContext, RunbookCheck } from './check-api.ts';
import { staticContractIssues } from './static-contract.ts';

export const handlerCalls: RunbookCheck = {
  name: 'handler-calls',
  check(context) {
    const { runbook, handlers, report } = context;
    if (!handlers) return;
    runbook.steps.forEach((step, index) => {
      if (!('call' in step)) return;
      const handler = handlers.get(step.call.handler);
      if (!handler) {
        report({
          code: 'RB_UNKNOWN_HANDLER',
          message: `step "${step.id}" calls handler "${step.call.handler}", which is not registered${didYouMean(step.call.handler, handlers.names())}`,
          pointer: `/steps/${index}/call/handler`,
        });
        return;
      }
      // Omitted args are {} at run time (core/steps/call-step.ts): judge what the handler will get.
      checkStaticArgs(context, handler, step.id, step.call.args ?? {}, `/steps/${index}/call`);
    });
  },
};

function checkStaticArgs(context: CheckContext, handler: AnyHandler, stepId: string, args: unknown, callPointer: string): void {
  for (const { path, at, message } of staticContractIssues(handler, args)) {
    const where = path.length > 0 ? `args.${path.join('.')}` : 'args';
    context.report({
      code: 'RB_HANDLER_ARGS',
      message: `step "${stepId}": ${where} does not fit handler "${handler.name}": ${message}`,
      pointer: joinPointer(callPointer, 'args') + toPointer(path),
      at,
    });
  }
}
