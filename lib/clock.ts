/** Time as the domain sees it: injected so that the same code runs on wall time and on the simulator's clock. */
export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

/** The wall clock used in Lambda. */
export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
