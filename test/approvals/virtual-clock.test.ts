import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../sim/clock.js';

const start = Date.parse('2026-11-23T09:00:00Z');
let clock: VirtualClock | undefined;
afterEach(() => clock?.uninstall());

/** A person-wait that gives up at its deadline, as a gate's task timeout does. */
function gate(c: VirtualClock, seconds: number) {
  let answer: (value: string) => void = () => undefined;
  const decision = new Promise<string>((resolve) => {
    answer = resolve;
    setTimeout(() => resolve('timed out'), seconds * 1000);
  });
  return { answer, waited: c.waitForPerson(decision, { deadlineMs: Date.now() + seconds * 1000 }) };
}

describe('virtual clock and people', () => {
  it('without anyone to answer, jumps to the deadline when it is the only thing left', async () => {
    // Prepare
    clock = new VirtualClock(start);
    clock.install();
    const { waited } = gate(clock, 3600);
    let outcome = '';
    void waited.then((o) => {
      outcome = o;
    });

    // Act
    await clock.runUntil(() => outcome !== '');

    // Assess
    expect(outcome).toBe('timed out');
    expect(clock.elapsedSeconds()).toBe(3600);
  });

  it('in an interactive run, fires earlier timers but holds before the deadline until the person answers', async () => {
    // Prepare
    clock = new VirtualClock(start);
    clock.install();
    clock.holdForPeople = true;
    const { answer, waited } = gate(clock, 3600);
    let otherClusterWaited = false;
    setTimeout(() => {
      otherClusterWaited = true;
    }, 600_000);
    let outcome = '';
    void waited.then((o) => {
      outcome = o;
    });

    // Act: the run goes on; the person answers after a while of real time.
    const running = clock.runUntil(() => outcome !== '');
    for (let i = 0; i < 300; i++) await new Promise((resolve) => setImmediate(resolve));
    const heldAt = clock.elapsedSeconds();
    answer('approved');
    await running;

    // Assess
    expect(otherClusterWaited).toBe(true);
    expect(heldAt).toBe(600);
    expect(outcome).toBe('approved');
  });
});
