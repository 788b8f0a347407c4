/**
 * The version of a run's observable state, for callers that wait for the next change.
 * An accepted action or signal makes the run "react" (the waiting step re-checks); the
 * version shown stays put until it has, so a newer version never shows a stale wait.
 * Sandbox-safe.
 */
export class StateVersion {
  private changes: number;
  private shown: number;
  private reacting = false;
  private readonly watchers = new Set<() => void>();

  constructor(start = 0) {
    this.changes = this.shown = start;
  }

  /** The version of the last state in which the run had reacted to everything it accepted. */
  get current(): number {
    return this.shown;
  }

  get settled(): boolean {
    return !this.reacting;
  }

  /** Calls `listener` after every change (in-process watchers; the workflow re-checks its conditions itself). */
  watch(listener: () => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  changed(): void {
    this.changes += 1;
    if (!this.reacting) this.shown = this.changes;
    for (const watcher of [...this.watchers]) watcher();
  }

  /** An action or signal was accepted that the waiting step has yet to react to. */
  accepted(awaitsReaction: boolean): void {
    if (awaitsReaction) this.reacting = true;
    this.changed();
  }

  /** The run has reacted; `quietly` when a change that follows at once will show it. */
  settle(quietly = false): void {
    if (!this.reacting) return;
    this.reacting = false;
    if (!quietly) this.changed();
  }
}
