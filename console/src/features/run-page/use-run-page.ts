/**
 * A run page's state: read once, then followed live through `GET /api/runs/:id/events`
 * (`event: state`, a whole RunPageResponse each time). An older version never replaces a newer one.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, apiErrorOf, type ApiError, type RunPageResponse } from '../../shared/api/index.ts';
import { useEventStream, type StreamStatus } from '../../shared/hooks.ts';

export interface RunPageState {
  readonly page: RunPageResponse | null;
  readonly error: ApiError | null;
  readonly stream: StreamStatus;
}

export function useRunPage(runId: string): RunPageState {
  const [page, setPage] = useState<RunPageResponse | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const accept = useCallback((next: RunPageResponse) => {
    setPage((current) => (current && current.state.run_id === next.state.run_id && current.state.version > next.state.version ? current : next));
    setError(null);
  }, []);
  useEffect(() => {
    const controller = new AbortController();
    setPage(null);
    setError(null);
    api.run(runId, controller.signal).then(accept, (failure: unknown) => {
      if (!controller.signal.aborted) setError(apiErrorOf(failure));
    });
    return () => controller.abort();
  }, [runId, accept]);
  // The stream only once the run is known to exist (a 404 would make EventSource retry forever).
  const stream = useEventStream<RunPageResponse>(page || !error ? api.runEventsUrl(runId) : null, 'state', accept);
  return { page, error, stream };
}
