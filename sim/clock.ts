import { install as installFakeTimers } from '@sinonjs/fake-timers';
import type { Clock } from '../lib/clock.js';

type InstalledClock = ReturnType<typeof installFakeTimers>;

// Captured before any fake clock is installed: the driver needs real event-loop turns.
const realSetTimeout = globalThis.setTimeout;
const realSetImmediate = globalThis.setImmediate;

const turn = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));

/**
 * Simulated time for local runs. It fakes `setTimeout`, `clearTimeout` and `Date` process-wide, so the Step
 * Functions interpreter's Wait states and Retry back-offs, the handlers' `new Date()` and the simulator all see
 * one clock. Time moves only when no task handler is running: then it jumps to the next timer. Simulated hours
 * pass in milliseconds, and the result does not depend on how fast the handlers run.
 *
 * A gate that waits for a person has a deadline (its task timeout). Whether time may reach it depends on
 * `holdForPeople`: in an interactive run someone may still answer, so time never jumps to a deadline while a
 * person is asked (earlier timers, such as another cluster's Wait states, still fire); otherwise nobody will
 * answer while the clock runs, and time moves on as usual, to the deadline when that is all that is left.
 */
export class VirtualClock implements Clock {
  private fake: InstalledClock | undefined;
  private busy = 0;
  /** Open waits on people, by id: the simulated instant each gives up (its task timeout). */
  private readonly personDeadlines = new Map<number, number>();
  private personWaits = 0;
  /** Set for interactive runs: simulated time holds before a person's deadline while they are asked. */
  holdForPeople = false;
  readonly startMs: number;

  constructor(start: Date | number) {
    this.startMs = typeof start === 'number' ? start : start.getTime();
  }

  install(): void {
    if (this.fake) return;
    this.fake = installFakeTimers({
      now: this.startMs,
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
      shouldAdvanceTime: false,
    });
  }

  uninstall(): void {
    this.fake?.uninstall();
    this.fake = undefined;
  }

  now(): Date {
    return new Date(Date.now());
  }

  /** Simulated seconds since the clock started. */
  elapsedSeconds(): number {
    return (Date.now() - this.startMs) / 1000;
  }

  /** Parks the caller for `ms` of simulated time, letting the clock move while it waits. */
  async sleep(ms: number): Promise<void> {
    this.busy--;
    try {
      await new Promise<void>((resolve) => setTimeout(resolve, ms));
    } finally {
      this.busy++;
    }
  }

  /** Runs `work` as a task handler: while it runs, simulated time stands still. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.busy++;
    try {
      return await work();
    } finally {
      this.busy--;
    }
  }

  /**
   * Marks a wait on a person (an approval) that gives up at `deadlineMs`. With `holdForPeople`, time does not
   * reach the deadline while the person is asked; without a deadline it does not move at all.
   */
  async waitForPerson<T>(decision: Promise<T>, options: { deadlineMs?: number } = {}): Promise<T> {
    const id = ++this.personWaits;
    this.personDeadlines.set(id, options.deadlineMs ?? Date.now());
    try {
      return await decision;
    } finally {
      this.personDeadlines.delete(id);
    }
  }

  /** True while a person is asked and the next timer would reach (or pass) their deadline. */
  private holdingForPeople(fake: InstalledClock): boolean {
    if (!this.holdForPeople || this.personDeadlines.size === 0) return false;
    const deadline = Math.min(...this.personDeadlines.values());
    // fake-timers keeps its timers in a heap ordered by due time; peeking does not run anything.
    const next = fake.timerHeap?.peek()?.callAt;
    return next === undefined || next >= deadline;
  }

  // A handler that runs several calls at once (dispatch over a fleet) parks each of them in `sleep`, so `busy` may
  // go below zero while they all wait: that is settled too.
  private async settled(): Promise<boolean> {
    for (let i = 0; i < 2; i++) {
      if (this.busy > 0) return false;
      await turn();
    }
    return this.busy <= 0;
  }

  /**
   * Drives simulated time until `done()` holds: whenever no handler is running across two event-loop turns,
   * fires the next timer. Throws if nothing is left to happen and `done()` is still false.
   */
  async runUntil(done: () => boolean, options: { maxSimulatedSeconds?: number } = {}): Promise<void> {
    const fake = this.fake;
    if (!fake) throw new Error('VirtualClock.runUntil needs install() first');
    const limitMs = this.startMs + (options.maxSimulatedSeconds ?? 30 * 24 * 3600) * 1000;
    while (!done()) {
      if (!(await this.settled())) {
        await turn();
        continue;
      }
      if (done()) break;
      if (this.holdingForPeople(fake)) {
        await new Promise((resolve) => realSetTimeout(resolve, 20));
        continue;
      }
      if (fake.countTimers() === 0) {
        // Give in-flight I/O a chance to land before deciding nothing is left.
        await new Promise((resolve) => realSetTimeout(resolve, 5));
        if (fake.countTimers() === 0 && this.busy <= 0 && !done()) {
          throw new Error('simulation stalled: no timers pending, no handler running, and the run has not finished');
        }
        continue;
      }
      if (Date.now() > limitMs)
        throw new Error(`simulation passed its limit of ${options.maxSimulatedSeconds} simulated seconds`);
      fake.next();
    }
  }
}
