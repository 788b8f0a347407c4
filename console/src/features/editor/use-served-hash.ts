/**
 * The definition hash the worker serves for a runbook: as the page opened it, refreshed when the
 * page comes back into view, and polled after a save until it is the saved hash (the hot-loading
 * worker picks the file up within a few seconds) or two minutes have passed.
 */
import { useCallback, useEffect, useState } from 'react';
import { editorApi } from '../../shared/api/index.ts';
import { useRefreshOnReturn } from '../../shared/hooks.ts';

const POLL_MS = 1000;
const GIVE_UP_MS = 120_000;

export interface ServedHash {
  readonly hash: string | null;
  /** A saved hash is awaited: the worker does not serve it yet. */
  readonly waitingFor: string | null;
  /** The awaited hash was not served within the time allowed. */
  readonly gaveUp: boolean;
}

export function useServedHash(slug: string, initial: string | null, awaited: string | null): ServedHash {
  const [hash, setHash] = useState(initial);
  const [gaveUp, setGaveUp] = useState(false);
  const refresh = useCallback(() => {
    void editorApi.served(slug).then((answer) => setHash(answer.served_hash), () => undefined);
  }, [slug]);
  useRefreshOnReturn(refresh);
  useEffect(() => {
    setGaveUp(false);
    if (!awaited) return undefined;
    let live = true;
    const started = Date.now();
    let timer: number | undefined;
    const poll = async (): Promise<void> => {
      const answer = await editorApi.served(slug).catch(() => null);
      if (!live) return;
      if (answer) setHash(answer.served_hash);
      if (answer?.served_hash === awaited) return;
      if (Date.now() - started > GIVE_UP_MS) { setGaveUp(true); return; }
      timer = window.setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => { live = false; window.clearTimeout(timer); };
  }, [slug, awaited]);
  return { hash, waitingFor: awaited && hash !== awaited ? awaited : null, gaveUp };
}
