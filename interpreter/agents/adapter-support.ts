/** What both adapters share: usage as reported, and a sleep the turn's deadline or a cancellation ends. Node side. */
import type { AgentUsage } from '../core/agent-types.ts';

/** `{tokens, cost}` from what an agent reported; anything else is no usage. */
export function usageOf(reported: unknown): AgentUsage {
  if (reported === null || typeof reported !== 'object') return {};
  const { tokens, cost } = reported as Record<string, unknown>;
  return {
    ...(typeof tokens === 'number' && Number.isFinite(tokens) ? { tokens } : {}),
    ...(typeof cost === 'number' && Number.isFinite(cost) ? { cost } : {}),
  };
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
