/**
 * fs.watch on a directory and each of its subdirectories (not `recursive`, which Node 20
 * emulates unevenly on Linux). Every event is just a "something changed" nudge: the store
 * rescans, so which name an editor's save touched does not matter. Node side.
 */
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

export interface DirectoryWatcherOptions {
  /** Called with the path an event named (or the directory, when the name is unknown). */
  readonly onEvent: (path: string) => void;
  /** A watch failed (the directory went away, too many watches). */
  readonly onError: (dir: string, error: Error) => void;
  /** Names to ignore (the store's own state file). */
  readonly ignore?: (path: string) => boolean;
}

export class DirectoryWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private closed = false;

  constructor(private readonly options: DirectoryWatcherOptions) {}

  /** Watches exactly these directories: new ones are added, vanished ones dropped. */
  sync(dirs: readonly string[]): void {
    if (this.closed) return;
    const wanted = new Set(dirs);
    for (const [dir, watcher] of this.watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (this.watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, { persistent: false }, (_type, name) => {
          const path = name ? join(dir, name.toString()) : dir;
          if (!this.options.ignore?.(path)) this.options.onEvent(path);
        });
        watcher.on('error', (error) => {
          watcher.close();
          if (this.watchers.get(dir) === watcher) this.watchers.delete(dir);
          this.options.onError(dir, error);
        });
        this.watchers.set(dir, watcher);
      } catch (error) {
        this.options.onError(dir, error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  /** Whether `dir` is currently watched. */
  watching(dir: string): boolean {
    return this.watchers.has(dir);
  }

  close(): void {
    this.closed = true;
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}
