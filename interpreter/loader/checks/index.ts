/** The semantic checks of one runbook, in the order they report. */
import type { RunbookCheck } from './check-api.ts';
import { duplicateStepIds } from './duplicate-step-ids.ts';
import { embeddedSchemas } from './embedded-schemas.ts';
import { expressionSyntax } from './expression-syntax.ts';
import { gotoTargets } from './goto-targets.ts';
import { agentInputs } from './agent-inputs.ts';
import { agentNames } from './agent-names.ts';
import { handlerCalls } from './handler-calls.ts';
import { identityFields } from './identity-fields.ts';
import { refusedFunctions } from './refused-functions.ts';
import { regexSupportCheck } from './regex-support.ts';
import { reviewDuties } from './review-duties.ts';
import { scheduleSpecs } from './schedule-specs.ts';
import { stepOrder } from './step-order.ts';
import { waitSignals } from './wait-signals.ts';

export const RUNBOOK_CHECKS: readonly RunbookCheck[] = [
  duplicateStepIds,
  handlerCalls,
  agentNames,
  agentInputs,
  waitSignals,
  expressionSyntax,
  refusedFunctions,
  regexSupportCheck,
  embeddedSchemas,
  stepOrder,
  gotoTargets,
  identityFields,
  reviewDuties,
  scheduleSpecs,
];

export type { RunbookCheck, CheckContext, ExpressionSite, AgentNames } from './check-api.ts';
export { collectExpressionSites } from './expression-sites.ts';
export { agentInputs } from './agent-inputs.ts';
export { stepTransitions } from './step-transitions.ts';
export { assertNever } from './assert-never.ts';
