import { describe, expect, it } from 'vitest';
import { upgradePolicySchema } from '../../lib/planning/index.js';
import { parseScenario } from '../../sim/scenario.js';
import { runToEnd, scenario, withEnvironment } from './helpers.js';

const central = '111122223333';
const member = '444455556666';
const memberSession = `arn:aws:sts::${member}:assumed-role/eks-upgrade-orchestrator-member/eks-upgrade-local`;

/** scenarios/already-at-target.yaml's cluster, one minor behind, once in the central account and once in a member. */
function hubAndShop() {
  const base = scenario('already-at-target');
  const steady = base.clusters[0];
  if (!steady) throw new Error('scenario has no cluster');
  const behind = {
    ...steady,
    version: '1.33',
    managedNodegroups: steady.managedNodegroups.map((g) => ({ ...g, version: '1.33' })),
    addons: steady.addons.map((a) => ({ name: a.name })),
  };
  return parseScenario({
    ...base,
    accountId: central,
    accounts: [{ id: member }],
    clusters: [
      { ...behind, name: 'hub' },
      { ...behind, name: 'shop', accountId: member },
    ],
  });
}

describe('clusters in member accounts, through the upgrade state machine', () => {
  it('upgrades a member account’s cluster end to end with the member role’s credentials, and nothing central', async () => {
    await withEnvironment(hubAndShop(), async (env) => {
      const execution = await runToEnd(env, {
        name: 'shop-1-34',
        input: {
          cluster: 'shop',
          region: 'eu-west-1',
          accountId: member,
          policy: upgradePolicySchema.parse({ target: '1.34' }),
        },
      });

      const shopAccount = env.world.cloud.accounts.get(member);
      const mutations = (calls: typeof env.world.account.calls) =>
        calls.filter((c) => /^Update/.test(c.command) && c.outcome === 'ok');
      const planned = execution.history.find((e) => e.type === 'TaskStateExited' && e.stateName === 'Plan upgrade');
      const plan = (planned?.output ?? {}) as { plan?: { accountId?: string } };
      expect(execution.status, execution.cause).toBe('SUCCEEDED');
      expect(shopAccount?.clusterVersion('shop')).toBe('1.34');
      expect(shopAccount?.nodegroup('shop', 'general').version).toBe('1.34');
      expect(env.world.account.clusterVersion('hub')).toBe('1.33');
      expect(mutations(shopAccount?.calls ?? []).map((c) => c.command)).toContain('UpdateClusterVersion');
      expect(new Set(mutations(shopAccount?.calls ?? []).map((c) => c.caller))).toEqual(new Set([memberSession]));
      expect(mutations(env.world.account.calls)).toEqual([]);
      expect(plan.plan?.accountId).toBe(member);
      // The Kubernetes API of the member cluster was used (readiness, validation) with a token it accepted.
      expect(env.world.account.assumedRoles.map((r) => r.roleArn)).toContain(
        `arn:aws:iam::${member}:role/eks-upgrade-orchestrator-member`,
      );
    });
  }, 120_000);

  it('plans a cluster of the orchestrator’s own account when the input names no account, without assuming a role', async () => {
    await withEnvironment(hubAndShop(), async (env) => {
      const execution = await runToEnd(env, {
        name: 'hub-1-34',
        input: { cluster: 'hub', region: 'eu-west-1', policy: upgradePolicySchema.parse({ target: '1.34' }) },
      });

      const planned = execution.history.find((e) => e.type === 'TaskStateExited' && e.stateName === 'Plan upgrade');
      const plan = (planned?.output ?? {}) as { plan?: { accountId?: string } };
      expect(execution.status, execution.cause).toBe('SUCCEEDED');
      expect(env.world.account.clusterVersion('hub')).toBe('1.34');
      expect(plan.plan?.accountId).toBe(central);
      expect(env.world.account.assumedRoles).toEqual([]);
    });
  }, 120_000);

  it('stops with AccountAccessDenied, notified, when the member role does not trust the orchestrator', async () => {
    const untrusting = parseScenario({ ...hubAndShop(), accounts: [{ id: member, memberRole: { trusts: false } }] });
    await withEnvironment(untrusting, async (env) => {
      const execution = await runToEnd(env, {
        name: 'shop-denied',
        input: {
          cluster: 'shop',
          region: 'eu-west-1',
          accountId: member,
          policy: upgradePolicySchema.parse({ target: '1.34' }),
        },
      });

      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('AccountAccessDenied');
      expect(execution.cause).toContain(`arn:aws:iam::${member}:role/eks-upgrade-orchestrator-member`);
      expect(env.world.account.published.at(-1)?.message).toContain('AccountAccessDenied');
    });
  }, 120_000);
});
