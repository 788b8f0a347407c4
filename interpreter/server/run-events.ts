/**
 * `GET /api/runs/:id/events`: server-sent events. `event: state` with the run page at once and on
 * every change of the run's state (another client's action included), a comment line as a
 * heartbeat so proxies keep the stream open, and the watch stopped as soon as the client goes.
 * After the run has ended the stream stays open with heartbeats only (no reconnect storm).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UiState } from '../index.ts';
import type { RunPageResponse } from './console-api.ts';
import { runHasEnded } from './run-page.ts';

export const HEARTBEAT_MS = 15_000;

export interface RunEventSource {
  /** The current page (its state's version is where watching starts). */
  first(): Promise<RunPageResponse>;
  /** The next state newer than `since`, or null once `signal` aborts. */
  next(since: number, signal: AbortSignal): Promise<UiState | null>;
  /** The page for a new state. */
  pageOf(state: UiState): Promise<RunPageResponse>;
}

function eventOf(page: RunPageResponse): string {
  return `event: state\nid: ${page.state.version}\ndata: ${JSON.stringify(page)}\n\n`;
}

/** Streams the run's pages to the client until it disconnects. The first page is read before the stream opens, so an unknown run is a plain 404. */
export async function streamRunEvents(request: FastifyRequest, reply: FastifyReply, source: RunEventSource, heartbeatMs = HEARTBEAT_MS): Promise<void> {
  const first = await source.first();
  const abort = new AbortController();
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const close = (): void => abort.abort();
  request.raw.on('close', close);
  raw.on('close', close);
  const heartbeat = setInterval(() => {
    if (!raw.writableEnded) raw.write(`: heartbeat ${new Date().toISOString()}\n\n`);
  }, heartbeatMs);
  heartbeat.unref();
  try {
    raw.write(`retry: 2000\n\n${eventOf(first)}`);
    let state = first.state;
    while (!abort.signal.aborted && !runHasEnded(state)) {
      const next = await source.next(state.version, abort.signal);
      if (!next || abort.signal.aborted) break;
      if (next.version <= state.version && !runHasEnded(next)) continue;
      state = next;
      raw.write(eventOf(await source.pageOf(state)));
    }
    if (!abort.signal.aborted) await new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true }));
  } catch (error) {
    // The stream is open: say what went wrong as a comment and end it (the client reconnects).
    if (!raw.writableEnded) raw.write(`: error ${error instanceof Error ? error.name : 'Error'}\n\n`);
    request.log.warn({ err: error }, 'run events stream failed');
  } finally {
    clearInterval(heartbeat);
    request.raw.off('close', close);
    if (!raw.writableEnded) raw.end();
  }
}
