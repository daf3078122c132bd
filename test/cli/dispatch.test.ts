import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'bin/eks-upgrade.ts', ...args], {
    cwd: root,
    env: { ...process.env, CI: 'true' },
  });

interface Decision {
  cluster: { name: string; accountId: string };
  decision: string;
  reason: string;
  executionName?: string;
}

describe('eks-upgrade dispatch', () => {
  it('says what would start and why, and starts nothing without --apply', async () => {
    // Act
    const { stdout } = await cli(
      'dispatch',
      '--scenario',
      'scenarios/fleet.yaml',
      '--at',
      '2026-12-01T02:00:00Z',
      '--json',
    );
    const result = JSON.parse(stdout) as {
      applied: boolean;
      started: number;
      decisions: Decision[];
      outcomes?: unknown;
    };

    // Assess
    expect(result).toMatchObject({ applied: false, started: 0 });
    expect(result.outcomes).toBeUndefined();
    expect(Object.fromEntries(result.decisions.map((d) => [d.cluster.name, d.decision]))).toEqual({
      'checkout-dev': 'nothing-to-do',
      'checkout-staging': 'nothing-to-do',
      'payments-dev': 'would-start',
      sandbox: 'not-enrolled',
      'checkout-prod': 'wait-wave',
      'payments-prod': 'wait-wave',
      ledger: 'would-start',
      reports: 'wait-window',
      legacy: 'invalid-policy',
    });
    const ledger = result.decisions.find((d) => d.cluster.name === 'ledger');
    expect(ledger?.executionName).toMatch(/^ledger-1-35-20261201-[0-9a-f]{6}$/);
  });

  it('starts the due upgrades with --apply and runs them to the end', async () => {
    const { stdout } = await cli('dispatch', '--apply');
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('dispatch at 2026-12-01T02:00:00.000Z');
    expect(lines).toContain('▶ payments-dev (111122223333/eu-west-1): started 1.34 → 1.35');
    expect(lines).toContain('2 of 9 clusters started');
    expect(lines).toContain('✔ payments-dev: SUCCEEDED, now on 1.35');
    // Production asks people, but its gate approves itself: readiness is clean and 1.34 leaves standard support tomorrow.
    expect(lines).toContain('✔ ledger: SUCCEEDED, now on 1.35');
  });

  it('refuses an --at that is not an instant', async () => {
    await expect(cli('dispatch', '--at', 'tomorrow')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--at must be an ISO 8601 instant such as 2026-12-01T02:00:00Z, got "tomorrow"'),
    });
  });
});
