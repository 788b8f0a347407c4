/**
 * `runbook run` on Temporal: connects, registers the search attributes, runs an embedded
 * worker in this process (on a task queue of its own unless --task-queue names one), starts
 * the run and follows it through its RunHandle only: the ladder from polled snapshots, waits
 * from `current_pending_action`, answered as in-process. Ctrl-C leaves the run on the server.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import { RunCancelledError, StartRejectedError, startRejectedExit } from '../../runtime/runtime-errors.ts';
import { createInterpreterWorker } from '../../temporal/interpreter-worker.ts';
import { ensureSearchAttributes } from '../../temporal/search-attributes.ts';
import { TemporalRunClient } from '../../temporal/temporal-run-client.ts';
import { EXIT_USAGE, writeError } from '../cli-support.ts';
import { connectClient, connectionFailure, connectionOptions, temporalClient, temporalSettings, withTemporalErrors, type TemporalSettings } from '../temporal-support.ts';
import { processTracing } from '../process-tracing.ts';
import { reportOutcome } from './outcome.ts';
import { RunObserver } from './run-observer.ts';
import type { RunRequest } from './run-local.ts';
import { SnapshotPoller } from './snapshot-poller.ts';
import type { Unanswerable } from './wait-responder.ts';

/** Exit status after Ctrl-C: the run goes on on the server. */
export const EXIT_INTERRUPTED = 130;
/** How long a run the CLI cancelled (an unanswerable wait) may take to end before the command exits anyway. */
const CANCEL_WAIT_MS = 5_000;
/** How long the embedded worker lets handler calls in hand finish at the end, and when it gives up. */
const SHUTDOWN_GRACE = '1s';
const SHUTDOWN_FORCE = '10s';

/** The SDK's own log lines (worker start/stop, activity failures) stay off stderr unless asked for. */
function quietSdk(): void {
  try {
    Runtime.install({ logger: new DefaultLogger((process.env.TEMPORAL_LOG_LEVEL as LogLevel | undefined) ?? 'ERROR'), shutdownSignals: [] });
  } catch {
    // Already installed (library use): keep it.
  }
}

/** Resolves with the signal on the first SIGINT/SIGTERM; `off()` removes the listeners. */
function interruption(): { promise: Promise<NodeJS.Signals>; off: () => void } {
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const promise = new Promise<NodeJS.Signals>((resolve) => (onSignal = resolve));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return { promise, off: () => (process.off('SIGINT', onSignal), process.off('SIGTERM', onSignal)) };
}

/** `promise`, or a rejection with `timeout()` after `ms` (the timer never outlives the promise). */
async function within<T>(promise: Promise<T>, ms: number, timeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(timeout()), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runOnTemporal(request: RunRequest, taskQueueFlag: string | undefined): Promise<number> {
  const settings: TemporalSettings = { ...temporalSettings(), taskQueue: taskQueueFlag || `runbook-run-${randomUUID()}` };
  return withTemporalErrors(
    () => settings,
    async () => {
      quietSdk();
      const connection = await connectClient(settings);
      let native: NativeConnection | undefined;
      try {
        await ensureSearchAttributes(connection, settings.namespace).catch(() => ensureSearchAttributes(connection, settings.namespace));
        native = await NativeConnection.connect(connectionOptions(settings)).catch(async (error: unknown) => {
          throw await connectionFailure(settings, error);
        });
        const { loaded } = request;
        // Traced when configured: this process's start, the run and its activities are one trace.
        const tracing = settings.tracing ? await processTracing(settings.tracing) : undefined;
        const worker = await createInterpreterWorker({
          ...(tracing ? { tracing } : {}),
          connection: native,
          namespace: settings.namespace,
          taskQueue: settings.taskQueue,
          handlers: loaded.handlers,
          ...(loaded.agents ? { agents: loaded.agents } : {}),
          definitions: loaded.definitions,
          // The project's store (documents.url or the state directory's SQLite file), as in-process: never a private in-memory one.
          ...(request.documents ? { documents: request.documents } : {}),
          // Ctrl-C should not wait for a long handler call: it is cancelled and retried by the next worker.
          tuning: { shutdownGraceTime: SHUTDOWN_GRACE, shutdownForceTime: SHUTDOWN_FORCE },
        });
        const client = new TemporalRunClient(await temporalClient(connection, settings), settings.taskQueue);
        // The result is a long poll: cut it when the command is done (Ctrl-C), or closing would wait for it.
        const calls = new AbortController();
        const longPoll = <R>(fn: () => Promise<R>): Promise<R> => connection.withAbortSignal(calls.signal, fn);
        let code = EXIT_USAGE;
        await worker.runUntil(async () => {
          try {
            code = await follow(request, client, settings, longPoll);
          } finally {
            calls.abort();
          }
        });
        return code;
      } finally {
        await native?.close().catch(() => undefined);
        await connection.close().catch(() => undefined);
      }
    },
  );
}

/** Starts the run and follows it to its end, a wait nobody can answer, or Ctrl-C. */
async function follow(
  request: RunRequest,
  client: TemporalRunClient,
  settings: TemporalSettings,
  longPoll: <R>(fn: () => Promise<R>) => Promise<R>,
): Promise<number> {
  const { runId, scripted } = request;
  const poller = new SnapshotPoller(client, runId);
  let stuck: Unanswerable | undefined;
  let onStuck: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (onStuck = resolve));
  const observer = new RunObserver({
    runs: poller,
    rootRunId: runId,
    scripted,
    prompter: request.prompter,
    ...(request.actor !== undefined ? { actor: request.actor } : {}),
    out: process.stderr,
    live: Boolean(process.stderr.isTTY),
    onStuck: (error) => {
      stuck ??= error;
      onStuck();
    },
  });
  const interrupted = interruption();
  try {
    const definition = request.loaded.definitions.resolve(request.loaded.slug)?.runbook;
    const run = await client.startChecked(request.loaded.slug, request.input, { runId, ...(request.actor !== undefined ? { startedBy: request.actor } : {}), ...(definition ? { definition } : {}) }).catch((error: unknown) => {
      if (error instanceof StartRejectedError) return error;
      throw error;
    });
    if (run instanceof StartRejectedError) {
      writeError(run.message);
      return startRejectedExit(run);
    }
    process.stderr.write(`runbook: run ${runId} on Temporal at ${settings.address}, task queue ${settings.taskQueue}\n`);
    poller.start(observer);
    const result = longPoll(() => run.result());
    result.catch(() => undefined);
    const ended = await Promise.race([
      result.then(() => 'ended' as const, () => 'ended' as const),
      stopped.then(() => 'stuck' as const),
      interrupted.promise,
    ]);
    if (ended === 'SIGINT' || ended === 'SIGTERM') {
      await poller.stop().catch(() => undefined);
      observer.flush();
      writeError(
        `${ended}: run ${runId} stays on the Temporal server at ${settings.address} and resumes when a worker serves task queue ${settings.taskQueue}:\n` +
          `  runbook worker ${[...(request.workerOptions ?? []), '--task-queue', settings.taskQueue].join(' ')}\n  runbook status ${runId}`,
      );
      return EXIT_INTERRUPTED;
    }
    // Nobody can answer the wait: cancel the run (children go with it) rather than leave it waiting.
    // Wait (briefly) for the cancellation to land while the embedded worker still runs.
    const outcome = ended === 'stuck' ? run.cancel().then(() => within(result, CANCEL_WAIT_MS, () => new RunCancelledError(runId))) : result;
    return await reportOutcome(outcome, {
      scripted,
      settle: async () => {
        await poller.stop().catch(() => undefined);
        observer.flush();
      },
      stuck: () => stuck,
    });
  } finally {
    interrupted.off();
  }
}
