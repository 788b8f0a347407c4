/**
 * One wait per (run, version) however many clients watch it, and a wait a client can walk away
 * from: a watcher that disconnects stops waiting at once, and when the last watcher of a wait has
 * gone the wait itself is told to stop (its signal aborts), so nobody polls for a page nobody shows.
 */
interface Shared<T> {
  readonly result: Promise<T | null>;
  readonly stop: AbortController;
  watchers: number;
}

export class SharedWaits<T> {
  private readonly pending = new Map<string, Shared<T>>();

  /**
   * `start(stop)`'s result for `key`, shared by every caller until it settles; null for a caller whose
   * `signal` aborts first. `stop` aborts once no caller waits any more (the result is then ignored).
   */
  wait(key: string, start: (stop: AbortSignal) => Promise<T | null>, signal: AbortSignal): Promise<T | null> {
    if (signal.aborted) return Promise.resolve(null);
    let shared = this.pending.get(key);
    if (!shared) {
      const stop = new AbortController();
      const created: Shared<T> = { result: start(stop.signal), stop, watchers: 0 };
      const forget = (): void => {
        if (this.pending.get(key) === created) this.pending.delete(key);
      };
      created.result.then(forget, forget);
      this.pending.set(key, created);
      shared = created;
    }
    const current = shared;
    current.watchers += 1;
    return new Promise<T | null>((resolve, reject) => {
      let done = false;
      const leave = (): void => {
        if (done) return;
        done = true;
        signal.removeEventListener('abort', onAbort);
        current.watchers -= 1;
        if (current.watchers === 0 && this.pending.get(key) === current) {
          this.pending.delete(key);
          current.stop.abort();
        }
      };
      const onAbort = (): void => {
        leave();
        resolve(null);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      current.result.then(
        (value) => {
          leave();
          resolve(value);
        },
        (error: unknown) => {
          leave();
          reject(error);
        },
      );
    });
  }

  /** How many waits are shared now (for tests). */
  get size(): number {
    return this.pending.size;
  }
}
