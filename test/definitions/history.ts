/** Reading what a run recorded: the definitions it resolved (local activity markers) and the steps it ran. */
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { PinnedDefinition, HandlerActivityMeta } from '../../interpreter/temporal/workflow-contract.ts';

type History = temporal.api.history.v1.IHistory;

/** Each definition the run resolved through `runbook.resolve_definition`, in order, as recorded in its markers. */
export function resolvedDefinitions(history: History): PinnedDefinition[] {
  const found: PinnedDefinition[] = [];
  for (const event of history.events ?? []) {
    const marker = event.markerRecordedEventAttributes;
    if (!marker?.details) continue;
    const result = marker.details.result?.payloads?.[0];
    if (!result) continue;
    const value = defaultPayloadConverter.fromPayload<unknown>(result);
    if (value && typeof value === 'object' && 'hash' in value && 'runbook' in value) found.push(value as PinnedDefinition);
  }
  return found;
}

/** The step ids of the handler activities the run scheduled, in order. */
export function stepTrace(history: History): string[] {
  const trace: string[] = [];
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    const meta = scheduled?.input?.payloads?.[1];
    if (meta) trace.push(defaultPayloadConverter.fromPayload<HandlerActivityMeta>(meta).stepId);
  }
  return trace;
}
