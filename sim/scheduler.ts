/**
 * Discrete-event scheduler for the simulated world. Nothing in the simulator uses timers: AWS and Kubernetes
 * behaviours schedule events at simulated instants, and every entry point (an AWS call, a Kubernetes request)
 * first runs the events that are due. This keeps the world deterministic whatever the speed of the handlers.
 */
interface ScheduledEvent {
  at: number;
  seq: number;
  label: string;
  run: () => void;
}

export class SimScheduler {
  private readonly queue: ScheduledEvent[] = [];
  private seq = 0;
  private current: number | undefined;

  constructor(private readonly clockNow: () => number) {}

  /** The simulated instant being processed: the due event's time while events run, the clock's time otherwise. */
  nowMs(): number {
    return this.current ?? this.clockNow();
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** Schedules `run` at simulated instant `at` (milliseconds since epoch). Returns an id for `cancel`. */
  at(at: number, label: string, run: () => void): number {
    const seq = ++this.seq;
    const event: ScheduledEvent = { at, seq, label, run };
    let i = this.queue.length;
    while (i > 0) {
      const prev = this.queue[i - 1] as ScheduledEvent;
      if (prev.at < at || (prev.at === at && prev.seq < seq)) break;
      i--;
    }
    this.queue.splice(i, 0, event);
    return seq;
  }

  /** Schedules `run` after `delayMs` of simulated time from now. */
  after(delayMs: number, label: string, run: () => void): number {
    return this.at(this.nowMs() + delayMs, label, run);
  }

  cancel(id: number): void {
    const i = this.queue.findIndex((e) => e.seq === id);
    if (i >= 0) this.queue.splice(i, 1);
  }

  /** Runs every event due at or before the clock's current time, in time order. */
  advance(): void {
    if (this.current !== undefined) return; // re-entrant call from inside an event: the outer loop continues
    const until = this.clockNow();
    try {
      for (;;) {
        const next = this.queue[0];
        if (!next || next.at > until) break;
        this.queue.shift();
        this.current = next.at;
        next.run();
      }
    } finally {
      this.current = undefined;
    }
  }

  /** The instant of the next pending event, if any (used by the demo to fast-forward idle time). */
  nextEventAt(): number | undefined {
    return this.queue[0]?.at;
  }

  pending(): number {
    return this.queue.length;
  }
}
