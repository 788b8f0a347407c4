/**
 * A simulated clock that a test driver moves one timer at a time: `fireNext()` jumps to the
 * earliest pending timer and fires it (and any due at the same instant). A run that waits five
 * days for a deadline costs one call, and the driver decides when the run is idle enough to move.
 */
import type { Clock } from '../../interpreter/runtime/clock.ts';

interface PendingTimer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

export class StepClock implements Clock {
  private current: number;
  private timers: PendingTimer[] = [];
  private seq = 0;
  /** Delays that were not a finite number of milliseconds >= 0: the interpreter should never ask for one. */
  readonly invalidDelays: number[] = [];

  constructor(start = Date.parse('2025-01-31T00:00:00Z')) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fire: () => void): () => void {
    if (!Number.isFinite(ms) || ms < 0) this.invalidDelays.push(ms);
    const delay = Number.isFinite(ms) ? Math.max(0, ms) : Number.MAX_SAFE_INTEGER;
    const timer = { at: this.current + delay, seq: this.seq++, fire };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Jumps to the earliest timer and fires every timer due then. False when none is pending. */
  fireNext(): boolean {
    if (this.timers.length === 0) return false;
    const at = Math.min(...this.timers.map((t) => t.at));
    const due = this.timers.filter((t) => t.at === at).sort((a, b) => a.seq - b.seq);
    this.timers = this.timers.filter((t) => t.at !== at);
    this.current = Math.max(this.current, at);
    for (const timer of due) timer.fire();
    return true;
  }
}
