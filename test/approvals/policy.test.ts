import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { upgradePolicySchema } from '../../lib/planning/index.js';

describe('approval policy', () => {
  it('reads "auto" as every gate answered by the policy, with the paths the state machine reads filled in', () => {
    // Act
    const policy = upgradePolicySchema.parse({ target: '1.34', approvals: 'auto' });

    // Assess
    expect(policy.approvals).toMatchObject({
      mode: 'auto',
      gates: { beforeHop: true, beforeNodes: true, overrideReadiness: false },
      timeoutSeconds: { beforeHop: 86_400, beforeNodes: 86_400, overrideReadiness: 14_400 },
      onTimeout: 'stop',
    });
    // A parsed policy parses to itself: handlers validate what the state machine passes on.
    expect(upgradePolicySchema.parse(policy)).toEqual(policy);
    expect(upgradePolicySchema.parse({}).approvals.mode).toBe('auto');
  });

  it('accepts the sample execution input unchanged', () => {
    const input = JSON.parse(
      readFileSync(new URL('../../events/upgrade-cluster-input.json', import.meta.url), 'utf8'),
    ) as { policy: unknown };
    expect(upgradePolicySchema.parse(input.policy).approvals.mode).toBe('auto');
  });

  it('refuses an automatic readiness override, timeouts below a minute, and malformed Slack ids', () => {
    const refuse = (approvals: unknown) => upgradePolicySchema.safeParse({ approvals }).error?.issues[0]?.message;
    expect(refuse({ mode: 'auto', gates: { overrideReadiness: true } })).toContain('needs a person');
    expect(refuse({ timeoutSeconds: { beforeHop: 30 } })).toContain('at least 60 seconds');
    expect(refuse({ approvers: { slackUserIds: ['alice'] } })).toContain('Slack user id');
    expect(refuse({ gates: { beforeLunch: true } })).toContain('Unrecognized key');
  });
});
