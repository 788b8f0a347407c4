/**
 * Hooks the features share: loading a resource, refreshing it when the page comes back into view
 * (no polling loop), following a server-sent event stream, and a clock for relative times.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { apiErrorOf } from './api/index.ts';
import type { ApiError } from './api/index.ts';

export interface Resource<T> {
  readonly data: T | null;
  readonly error: ApiError | null;
  readonly loading: boolean;
  /** Loads again (keeps showing the current data meanwhile). */
  readonly reload: () => void;
}

/** Loads `load()` now and whenever `key` changes; the last answer wins. */
export function useResource<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [state, setState] = useState<{ data: T | null; error: ApiError | null; loading: boolean }>({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    loadRef.current(controller.signal).then(
      (data) => { if (!controller.signal.aborted) setState({ data, error: null, loading: false }); },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState((previous) => ({ data: previous.data, error: apiErrorOf(error), loading: false }));
      },
    );
    return () => controller.abort();
  }, [key, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/** Calls `refresh` when the tab becomes visible again or the window regains focus. */
export function useRefreshOnReturn(refresh: () => void): void {
  const ref = useRef(refresh);
  ref.current = refresh;
  useEffect(() => {
    let last = Date.now();
    const onReturn = (): void => {
      if (document.visibilityState !== 'visible' || Date.now() - last < 1000) return;
      last = Date.now();
      ref.current();
    };
    document.addEventListener('visibilitychange', onReturn);
    window.addEventListener('focus', onReturn);
    return () => {
      document.removeEventListener('visibilitychange', onReturn);
      window.removeEventListener('focus', onReturn);
    };
  }, []);
}

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

/**
 * Follows `url` as server-sent events, calling `onEvent` with each `event` name's parsed data.
 * EventSource reconnects by itself; the status says whether the page is live.
 */
export function useEventStream<T>(url: string | null, event: string, onEvent: (data: T) => void): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    if (!url) return undefined;
    setStatus('connecting');
    const source = new EventSource(url, { withCredentials: true });
    const onMessage = (message: MessageEvent<string>): void => {
      setStatus('live');
      try {
        handler.current(JSON.parse(message.data) as T);
      } catch {
        // A malformed event is skipped; the next one carries the whole state again.
      }
    };
    source.addEventListener(event, onMessage as EventListener);
    source.onopen = () => setStatus('live');
    source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? 'reconnecting' : 'reconnecting');
    return () => {
      source.removeEventListener(event, onMessage as EventListener);
      source.close();
    };
  }, [url, event]);
  return status;
}

/** The time now; the component renders again every `everyMs` (relative times stay live without asking the server). */
export function useNow(everyMs = 30_000): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    const id = window.setInterval(() => setTick((n) => n + 1), everyMs);
    return () => window.clearInterval(id);
  }, [everyMs]);
  // Read at every render (a new state renders too), never a stale tick.
  return Date.now();
}
