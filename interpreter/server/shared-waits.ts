/**
 * One wait per (run, version) however many clients watch it, and a wait a client can walk away
 * from: a watcher that disconnects stops waiting at once, and the shared wait behind it is only
 * started once, so abandoned watchers cost nothing per watcher.
 */
export class SharedWaits<T> {
  private readonly pending = new Map<string, Promise<T>>();

  /** `start()`'s result for `key`, shared by every caller until it settles; null when `signal` aborts first. */
  wait(key: string, start: () => Promise<T>, signal: AbortSignal): Promise<T | null> {
    let shared = this.pending.get(key);
    if (!shared) {
      shared = start();
      this.pending.set(key, shared);
      const forget = (): void => {
        if (this.pending.get(key) === shared) this.pending.delete(key);
      };
      shared.then(forget, forget);
    }
    if (signal.aborted) return Promise.resolve(null);
    return new Promise<T | null>((resolve, reject) => {
      const onAbort = (): void => resolve(null);
      signal.addEventListener('abort', onAbort, { once: true });
      shared.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }
}
