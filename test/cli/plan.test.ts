import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, root } from './run-cli.js';

describe('eks-upgrade plan', () => {
  it('shows every enrolled cluster of scenarios/fleet.yaml with its dates, plan, hops and cost avoided', async () => {
    // Act
    const { stdout } = await cli('plan', '--json');
    const plan = JSON.parse(stdout) as { at: string; clusters: Array<Record<string, unknown>> };

    // Assess
    expect(plan.at).toBe('2026-12-01T02:00:00.000Z');
    const byName = Object.fromEntries(plan.clusters.map((c) => [(c.cluster as { name: string }).name, c]));
    expect(Object.keys(byName)).not.toContain('sandbox');
    expect(byName.reports).toMatchObject({
      cluster: { accountId: '444455556666', region: 'eu-west-1', name: 'reports' },
      version: '1.33',
      target: '1.35',
      hops: ['1.34', '1.35'],
      endOfStandardSupport: '2026-07-29T00:00:00.000Z',
      daysLeft: -126,
      plannedStart: '2026-12-05T21:00:00.000Z',
      atRisk: true,
      decision: 'wait-window',
    });
    expect(byName.reports?.extendedSupportCostAvoidedUsd).toBeGreaterThan(0);
    expect(byName['checkout-prod']).toMatchObject({ decision: 'wait-wave', plannedStart: '2026-12-03T01:50:00.000Z' });
    expect(byName['payments-dev']).toMatchObject({ decision: 'would-start' });
  });

  it('prints a table a person reads, and plans a later day with --at', async () => {
    const { stdout } = await cli('plan', '--at', '2026-12-22T02:00:00Z');
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('plan at 2026-12-22T02:00:00.000Z: 8 enrolled cluster(s)');
    expect(lines[1]).toMatch(
      /^CLUSTER +ACCOUNT\/REGION +VERSION +END OF STANDARD SUPPORT +DAYS LEFT +PLANNED UPGRADE +HOPS +COST AVOIDED +DECISION$/,
    );
    expect(lines.find((l) => l.startsWith('payments-dev '))).toMatch(
      /^payments-dev +111122223333\/eu-west-1 +1\.34 +2026-12-02 +-21 +2027-01-05 01:00 UTC \(at risk\) +1\.34 → 1\.35 +\$\d[\d,]* +wait-exclusion$/,
    );
    expect(stdout).toContain(
      'payments-dev: 1.34 → 1.35 in 1 hop (latest version EKS offers (1.35)): inside the exclusion "year-end freeze"',
    );
  });

  it('fails (exit 1) when a policy names a target EKS does not offer, listing each cluster it breaks', async () => {
    const policy = join(mkdtempSync(join(tmpdir(), 'eks-upgrade-plan-')), 'policy.yaml');
    const shipped = readFileSync(join(root, 'config/upgrade-policy.yaml'), 'utf8');
    writeFileSync(policy, shipped.replace('  target: latest', '  target: "1.99"'));
    const attempt = cli('plan', '--policy', policy);
    await expect(attempt).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /cluster\(s\) cannot be planned:\n {2}- checkout-dev: invalid-policy: policy target 1\.99 is not a version EKS offers/,
      ),
    });
  });

  it('refuses a bad policy file, naming the field', async () => {
    const policy = join(mkdtempSync(join(tmpdir(), 'eks-upgrade-plan-')), 'policy.yaml');
    const shipped = readFileSync(join(root, 'config/upgrade-policy.yaml'), 'utf8');
    writeFileSync(policy, shipped.replace('defaultPolicy: dev', 'defaultPolicy: qa'));
    const attempt = cli('plan', '--policy', policy);
    await expect(attempt).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        `${policy} is not a valid upgrade policy file:\n  - defaultPolicy: "qa" is not a policy group`,
      ),
    });
  });
});
