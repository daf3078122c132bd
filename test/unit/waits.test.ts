import { describe, expect, it } from 'vitest';
import { nextCheckSeconds } from '../../lib/waits.js';

describe('next check delay', () => {
  it('spends few checks while the operation cannot have finished, never overshooting its typical end', () => {
    let elapsed = 0;
    let checks = 0;
    while (elapsed < 480) {
      const wait = nextCheckSeconds({ elapsedSeconds: elapsed, typicalMinSeconds: 480 });
      expect(elapsed + wait).toBeLessThanOrEqual(480 + 5);
      elapsed += wait;
      checks++;
    }
    expect(checks).toBeLessThan(20);
  });

  it('checks every few seconds once the operation may be done, stretching slowly when it runs long', () => {
    expect(nextCheckSeconds({ elapsedSeconds: 480, typicalMinSeconds: 480 })).toBe(5);
    const late = nextCheckSeconds({ elapsedSeconds: 480 + 1200, typicalMinSeconds: 480 });
    expect(late).toBeGreaterThan(5);
    expect(late).toBeLessThanOrEqual(60);
  });
});
