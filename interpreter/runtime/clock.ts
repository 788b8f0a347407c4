/**
 * Where the in-process runtime gets time. Tests use `SimulatedClock` and move time
 * by hand; nothing in the interpreter reads the system clock itself.
 */
export interface Clock {
  now(): number;
  /** Calls `fire` after `ms`; returns a function that cancels the timer. */
  setTimer(ms: number, fire: () => void): () => void;
}

/** Node's setTimeout fires at once (after 1 ms) for a delay above 2^31-1 ms (~24.8 days): longer waits are chained. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fire) {
    const at = Date.now() + Math.max(0, ms);
    let handle: ReturnType<typeof setTimeout>;
    const arm = (): void => {
      const left = at - Date.now();
      handle = left > MAX_TIMEOUT_MS ? setTimeout(arm, MAX_TIMEOUT_MS) : setTimeout(fire, Math.max(0, left));
    };
    arm();
    return () => clearTimeout(handle);
  },
};

interface PendingTimer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

/**
 * A clock that only moves when told to.
 *
 * @example
 * const clock = new SimulatedClock(Date.parse('2026-01-31T00:00:00Z'));
 * const runtime = new LocalRuntime({ clock, ... });
 * await clock.advance(3 * 86_400_000); // fires every timer due within three days, in order
 */
export class SimulatedClock implements Clock {
  private current: number;
  private timers: PendingTimer[] = [];
  private seq = 0;

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fire: () => void): () => void {
    const timer = { at: this.current + Math.max(0, ms), seq: this.seq++, fire };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Timers not yet fired. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing due timers in order and letting the run react between them. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.fire();
    }
    this.current = target;
    await settle();
  }
}

/** Lets pending promise continuations run (several macrotask turns, for async chains). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
