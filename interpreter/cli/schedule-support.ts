/**
 * Keeps the Temporal Schedules of the served runbooks in step with them: `runbook worker` and `runbook dev`
 * sync at start and after each loaded or removed definition (a hot reload); `runbook schedules sync` once.
 * A rejected edit keeps the previous definition served, and so its schedules. Node side.
 */
import type { Client } from '@temporalio/client';
import type { DefinitionStore } from '../definitions/index.ts';
import type { Runbook } from '../format/index.ts';
import { syncSchedules, type ScheduleSyncReport } from '../temporal/schedule-sync.ts';

/** The runbooks a store serves now. */
export function servedRunbooks(store: DefinitionStore): Runbook[] {
  return store.slugs().flatMap((slug) => {
    const resolved = store.resolve(slug);
    return resolved ? [resolved.runbook] : [];
  });
}

/** One line for a sync that changed something, else null: `schedules: created runbook:a:b; deleted runbook:c:d`. */
export function describeSync(report: ScheduleSyncReport): string | null {
  const parts = (['created', 'updated', 'deleted'] as const).filter((kind) => report[kind].length > 0).map((kind) => `${kind} ${report[kind].join(', ')}`);
  return parts.length > 0 ? `schedules: ${parts.join('; ')}` : null;
}

export interface ScheduleKeeper {
  /** Resolves when the latest sync asked for has finished. */
  settled(): Promise<void>;
  stop(): void;
}

/**
 * Syncs now and after every definition loaded or removed (bursts coalesce into one sync). A failed sync is logged,
 * never fatal: the worker keeps serving runs, and the next change (or restart) syncs again.
 */
export function keepSchedulesSynced(client: Client, store: DefinitionStore, taskQueue: string, log: { info(message: string): void; warn(message: string): void }): ScheduleKeeper {
  let chain: Promise<void> = Promise.resolve();
  let queued = false;
  const sync = (): void => {
    if (queued) return;
    queued = true;
    chain = chain.then(async () => {
      queued = false;
      try {
        const line = describeSync(await syncSchedules(client, servedRunbooks(store), taskQueue));
        if (line) log.info(line);
      } catch (error) {
        log.warn(`schedules: cannot sync the runbooks' schedules on task queue ${taskQueue}: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  };
  const unsubscribe = store.onChange((event) => {
    if (event.type !== 'rejected') sync();
  });
  sync();
  return { settled: () => chain, stop: unsubscribe };
}
