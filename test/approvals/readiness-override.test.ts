import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { approvalPolicySchema, upgradePolicySchema } from '../../lib/planning/index.js';
import { createLocalEnvironment } from '../../local/environment.js';
import { loadScenario } from '../../sim/scenario.js';
import { consoleRequest, jsonHeaders, statesEntered, untilDone, untilGate } from './helpers.js';

/** The real readiness checks on a cluster whose removed APIs block 1.32 → 1.33, with people deciding. */
async function blockedUpgrade(overrideReadiness: boolean) {
  const scenario = loadScenario(fileURLToPath(new URL('../../scenarios/readiness-apis.yaml', import.meta.url)));
  const env = await createLocalEnvironment(scenario);
  const cluster = scenario.clusters.find((c) => c.name === 'legacy');
  if (!cluster) throw new Error('the scenario lost its legacy cluster');
  const policy = upgradePolicySchema.parse({
    target: '1.33',
    approvals: approvalPolicySchema.parse({
      mode: 'people',
      gates: { beforeHop: false, beforeNodes: false, overrideReadiness },
    }),
  });
  const execution = env.stepFunctions.startExecution({
    name: 'legacy-run',
    input: { cluster: 'legacy', region: cluster.region, policy },
  });
  return { env, execution };
}

describe('overriding the real readiness report', () => {
  it('stops before anything changes when the policy offers no override, naming the blockers and their fixes', async () => {
    const { env, execution } = await blockedUpgrade(false);
    try {
      await untilDone(env, execution);
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('ReadinessBlocked');
      expect(execution.cause).toMatch(/PodSecurityPolicy/);
      expect(env.world.account.calls.some((c) => c.command === 'UpdateClusterVersion')).toBe(false);
      expect(env.world.account.published.at(-1)?.subject).toMatch(/FAILED.*ReadinessBlocked/);
    } finally {
      await env.close();
    }
  });

  it('asks a person when the policy allows it, and a console approval lets the hop run', async () => {
    const { env, execution } = await blockedUpgrade(true);
    try {
      await untilGate(env, execution);
      const listed = JSON.parse((await consoleRequest('GET', '/api/approvals')).body) as {
        approvals: Array<{ decide: string; gate: string }>;
      };
      expect(listed.approvals.map((a) => a.gate)).toEqual(['override-readiness']);
      const gate = listed.approvals[0];
      if (!gate) throw new Error('no gate');
      const decided = await consoleRequest('POST', gate.decide, {
        user: 'sre-lead@example.com',
        headers: jsonHeaders,
        body: { decision: 'approve', comment: 'PSP is unused; removing it after the upgrade' },
      });
      expect(decided.statusCode).toBe(200);
      await untilDone(env, execution);
      expect(statesEntered(execution)).toContain('Upgrade control plane');
      expect(env.world.account.clusterVersion('legacy')).toBe('1.33');
    } finally {
      await env.close();
    }
  });
});
