import { describe, expect, it } from 'vitest';
import { scenario, statesEntered, upgrade, withEnvironment } from './helpers.js';

/** Calls that would change the cluster (the local environment's own setup, such as SSM parameters, is not one). */
const changesTheCluster = (c: { service: string; command: string }) =>
  ['eks', 'ec2', 'autoscaling'].includes(c.service) && /^(Update|Create|Delete|Terminate|Set|Put)/.test(c.command);

describe('readiness gate in the upgrade-cluster state machine', () => {
  it('stops a blocked hop before anything changes, naming every blocker in the cause and the notification', async () => {
    await withEnvironment(scenario('readiness-apis'), async (env) => {
      // Act
      const execution = await upgrade(env, 'legacy');

      // Assess: stopped after readiness, nothing changed.
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('ReadinessBlocked');
      const entered = statesEntered(execution);
      expect(entered.slice(entered.indexOf('Check readiness'))).not.toContain('Upgrade control plane');
      expect(entered).toContain('Notify failure');
      expect(env.world.account.calls.filter(changesTheCluster)).toEqual([]);
      expect(env.world.account.clusterVersion('legacy')).toBe('1.32');

      // The cause names each blocker with its objects and fix (the policy offers no override here).
      for (const named of [
        'PodSecurityPolicy restricted',
        'FlowSchema batch-jobs',
        'Helm release shop/payments (revision 4): CronJob payments-reconcile',
        'Deprecated APIs removed in Kubernetes v1.33',
        'Fix: There is no replacement API',
        'Nothing was changed',
      ]) {
        expect(execution.cause).toContain(named);
      }
      // A warning is not a blocker: the stale annotation is not in the cause.
      expect(execution.cause).not.toContain('Ingress shop/storefront');

      const failure = env.world.account.published.at(-1);
      expect(failure?.subject).toBe('EKS upgrade FAILED: legacy (eu-west-1) (ReadinessBlocked)');
      expect(failure?.message).toContain('PodSecurityPolicy restricted');
      expect(failure?.message).toContain(
        'Fix the blockers listed above, then start the upgrade again; nothing was changed.',
      );
    });
  });

  it('never offers a blocker EKS enforces for override: AL2 nodes cannot follow the control plane to 1.33', async () => {
    await withEnvironment(scenario('readiness-versions'), async (env) => {
      const execution = await upgrade(env, 'vintage');
      expect(execution.error).toBe('ReadinessBlocked');
      expect(execution.cause).toContain('cannot be overridden');
      expect(execution.cause).toContain('amazon-linux-2');
      expect(env.world.account.calls.filter(changesTheCluster)).toEqual([]);
    });
  });

  it('lets a hop with warnings only go ahead, and keeps a bounded summary in the execution', async () => {
    await withEnvironment(scenario('readiness-drain'), async (env) => {
      // Act
      const execution = await upgrade(env, 'sticky');

      // Assess
      const exited = execution.history.find((e) => e.type === 'TaskStateExited' && e.stateName === 'Check readiness');
      const output = (exited?.output ?? {}) as {
        readiness?: { blockers: number; warnings: number; findings: unknown[] };
      };
      const readiness = output.readiness;
      expect(readiness).toMatchObject({ blockers: 0, warnings: 5 });
      expect(readiness?.findings).toHaveLength(5);
      expect(readiness?.findings[0]).toEqual({
        id: 'bare-pods',
        area: 'drain',
        severity: 'warning',
        message: '1 pod has no controller: a drain deletes it and nothing recreates it.',
        objects: ['Pod default/debug-shell'],
        total: 1,
        fix: 'Run them under a Deployment, StatefulSet or Job, or accept that the drain deletes them.',
      });
      expect(JSON.stringify(readiness).length).toBeLessThan(8_000);
      expect(env.world.account.calls.some((c) => c.command === 'UpdateClusterVersion')).toBe(true);
      expect(execution.error).not.toBe('ReadinessBlocked');
    });
  });
});
