/**
 * Fault-test housekeeping: temp dirs and shutdown steps registered as a test creates them,
 * undone in reverse order by `cleanUp()` in an `after()` hook — also when the test failed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class CleanupStack {
  private readonly steps: (() => Promise<void> | void)[] = [];

  /** Registers a step to run at clean-up (last registered runs first). */
  defer(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  /** A fresh temp directory, removed at clean-up. */
  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.defer(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  /** Runs every step; a failing step does not stop the others. Returns the errors it met. */
  async cleanUp(): Promise<unknown[]> {
    // Keeps the event loop alive meanwhile: waiting for an unref'd child (a dev server started with
    // keepAlive: false) to exit would otherwise let the test runner see a promise that never settles.
    const keepAlive = setInterval(() => undefined, 1_000);
    const errors: unknown[] = [];
    try {
      for (const step of this.steps.splice(0).reverse()) {
        try {
          await step();
        } catch (error) {
          errors.push(error);
        }
      }
    } finally {
      clearInterval(keepAlive);
    }
    return errors;
  }
}

/** Resolves with `read()`'s first defined value, polling every `everyMs`; rejects naming `what` after `timeoutMs`. */
export async function pollUntil<T>(what: string, read: () => Promise<T | undefined>, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** `promise`, or a rejection naming `what` (and `describe()`, read at the time) after `timeoutMs`. */
export async function within<T>(what: string, timeoutMs: number, promise: Promise<T>, describe: () => Promise<string> | string = () => ''): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void Promise.resolve(describe()).then(
        (detail) => reject(new Error(`${what}: not done within ${timeoutMs} ms${detail ? `; ${detail}` : ''}`)),
        () => reject(new Error(`${what}: not done within ${timeoutMs} ms`)),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
