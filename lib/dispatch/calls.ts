import type { Clock } from '../clock.js';

const throttleNames = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ServiceUnavailableException',
  'ServerException',
]);

/** Throttling and transient server errors of the AWS SDK: worth another try after a pause. */
export function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; $fault?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  return (
    throttleNames.has(e?.name ?? '') ||
    Boolean(e?.$retryable) ||
    e?.$fault === 'server' ||
    e?.$metadata?.httpStatusCode === 429
  );
}

/**
 * One sleeper for many concurrent callers: a single driver sleeps on the clock (in slices of at most 250 ms, so a
 * caller that arrives with an earlier wake-up is not held behind a long one) and wakes every caller that is due.
 * The simulator's virtual clock counts one sleeper per task, so concurrent lanes of one task must share it.
 */
export function sharedSleeper(clock: Pick<Clock, 'sleep' | 'now'>): (ms: number) => Promise<void> {
  const waiting: Array<{ at: number; wake: () => void }> = [];
  let driving = false;
  const drive = async () => {
    driving = true;
    try {
      while (waiting.length > 0) {
        const now = clock.now().getTime();
        const first = Math.min(...waiting.map((w) => w.at));
        if (first > now) await clock.sleep(Math.min(250, first - now));
        const after = clock.now().getTime();
        for (const w of waiting.filter((x) => x.at <= after)) {
          waiting.splice(waiting.indexOf(w), 1);
          w.wake();
        }
      }
    } finally {
      driving = false;
    }
  };
  return (ms) =>
    new Promise<void>((resolve) => {
      waiting.push({ at: clock.now().getTime() + ms, wake: resolve });
      if (!driving) void drive();
    });
}

/**
 * Calls `work`, retrying throttling and transient server errors with exponential back-off (0.25 s doubling to
 * 8 s, eight attempts), so a throttled API slows one cluster down without failing it.
 */
export async function withRetry<T>(
  sleep: (ms: number) => Promise<void>,
  work: () => Promise<T>,
  attempts = 8,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await sleep(Math.min(8_000, 250 * 2 ** (attempt - 1)));
    }
  }
}

/** Maps `items` with at most `limit` calls of `work` in flight, keeping the order of the results. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
