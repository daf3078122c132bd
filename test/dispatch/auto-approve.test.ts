import { describe, expect, it } from 'vitest';
import { autoApproveVerdict, type GateName, gateRequestSchema } from '../../lib/approvals/index.js';
import { upgradePolicySchema } from '../../lib/planning/index.js';
import type { LocalEnvironment } from '../../local/environment.js';
import { untilDone, untilGate, withGates } from '../approvals/helpers.js';

// scenarios/approvals.yaml: payments, 1.33 → 1.34, on 2026-11-23; people decide before the hop.
const rule = { readinessClean: true, endOfStandardSupportWithinDays: 14 };

function start(env: LocalEnvironment, endOfStandardSupport: string) {
  const policy = upgradePolicySchema.parse({
    target: '1.34',
    approvals: { mode: 'people', gates: { beforeHop: true, beforeNodes: false } },
    autoApprove: rule,
    endOfStandardSupport: { '1.33': endOfStandardSupport },
  });
  return env.stepFunctions.startExecution({
    name: 'payments-auto',
    input: { cluster: 'payments', region: 'eu-west-1', policy },
  });
}

const published = (env: LocalEnvironment, kind: string) =>
  env.world.account.published.filter((m) => m.attributes.kind?.StringValue === kind);

describe('autoApprove: gates approve themselves near the end of standard support', () => {
  it('approves on record, and says so, when readiness is clean and standard support ends within the days', async () => {
    await withGates(async (env) => {
      // Act: standard support of 1.33 ends in 8 days.
      const execution = start(env, '2026-12-01T00:00:00.000Z');
      await untilDone(env, execution);

      // Assess
      expect(execution.status).toBe('SUCCEEDED');
      const gate = execution.history.find((e) => e.type === 'TaskSucceeded' && (e.output as { gate?: string })?.gate);
      expect(gate?.output).toMatchObject({
        approved: true,
        gate: 'before-hop',
        approver: 'policy:autoApprove',
        channel: 'policy',
        comment:
          'approved automatically: readiness is clean and 1.33 leaves standard support on 2026-12-01, 8 day(s) away (autoApprove: within 14 days)',
      });
      const [notice] = published(env, 'approval-auto-approved');
      expect(notice?.message).toContain("was approved by the policy's autoApprove rule, without waiting for a person");
      expect(published(env, 'approval-requested')).toEqual([]);
    });
  });

  it('asks a person when standard support ends later than the rule allows', async () => {
    await withGates(async (env) => {
      // Act: 1.33's standard support ends in eight months.
      const execution = start(env, '2027-07-29T00:00:00.000Z');
      await untilGate(env, execution);

      // Assess
      expect(execution.status).toBe('RUNNING');
      expect(env.stepFunctions.pendingTasks()).toHaveLength(1);
      expect(published(env, 'approval-requested')).toHaveLength(1);
      expect(published(env, 'approval-auto-approved')).toEqual([]);
      const line = env.log.records.find((r) => r.message === 'autoApprove does not hold; asking people');
      expect(String(line?.reason)).toContain('more than the 14 days of the autoApprove rule');
    });
  });

  it('never answers for a readiness with warnings the hop does not resolve, nor a readiness override', () => {
    // Prepare
    const policy = upgradePolicySchema.parse({
      target: '1.34',
      approvals: { mode: 'people', gates: { overrideReadiness: true } },
      autoApprove: rule,
      endOfStandardSupport: { '1.33': '2026-12-01T00:00:00.000Z' },
    });
    const hop = { index: 1, from: '1.33', to: '1.34', controlPlane: true, addons: [], nodegroups: ['general'] };
    const warning = (id: string) => ({ id, severity: 'warning' });
    const request = (gate: GateName, readiness: { blockers: number; warnings: number; findings?: object[] }) =>
      gateRequestSchema.parse({
        gate,
        cluster: 'payments',
        region: 'eu-west-1',
        executionArn: 'arn:aws:states:eu-west-1:111122223333:execution:m:payments-auto',
        hop,
        policy,
        readiness: { findings: [], ...readiness },
      });
    const at = new Date('2026-11-23T09:00:00Z');

    // Act / Assess
    expect(autoApproveVerdict(request('before-hop', { blockers: 0, warnings: 0 }), at).holds).toBe(true);
    const behind = [warning('addon-behind-default')];
    expect(autoApproveVerdict(request('before-hop', { blockers: 0, warnings: 1, findings: behind }), at).holds).toBe(
      true,
    );
    const drain = [...behind, warning('pdb-blocks-drain')];
    expect(autoApproveVerdict(request('before-hop', { blockers: 0, warnings: 2, findings: drain }), at)).toEqual({
      holds: false,
      reason: 'readiness is not clean for 1.33 → 1.34 (0 blocker(s), 1 warning(s): pdb-blocks-drain)',
    });
    expect(autoApproveVerdict(request('override-readiness', { blockers: 1, warnings: 0 }), at).reason).toBe(
      'overriding readiness blockers always needs a person',
    );
  });
});
