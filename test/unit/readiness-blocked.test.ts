import { describe, expect, it } from 'vitest';
import { assertOverridable } from '../../lib/approvals/readiness.js';
import { upgradePolicySchema } from '../../lib/planning/index.js';

const blocker = (id: string, hard = false) => ({
  id,
  severity: 'blocker',
  message: `${id} blocks`,
  ...(hard ? { hard } : {}),
});

function request(findings: Array<Record<string, unknown>>, approvals: unknown = 'auto') {
  return {
    cluster: 'payments',
    region: 'eu-west-1',
    gate: 'override-readiness',
    hop: { index: 1, from: '1.33', to: '1.34' },
    policy: upgradePolicySchema.parse({ target: '1.34', approvals }),
    readiness: { blockers: findings.length, warnings: 0, findings },
  } as unknown as Parameters<typeof assertOverridable>[0];
}

describe('the cause of a readiness stop', () => {
  it('counts every blocker it lists, and says how many of them no one may override', () => {
    const mixed = request([blocker('a', true), blocker('b'), blocker('c'), blocker('d')]);
    expect(() => assertOverridable(mixed)).toThrow(
      /^hop 1\.33 → 1\.34 is blocked by 4 findings, 1 of which cannot be overridden: a: a blocks \[hard\] \| b: /,
    );
    expect(() => assertOverridable(request([blocker('a', true)]))).toThrow(
      /is blocked by 1 finding that cannot be overridden: a: a blocks/,
    );
    expect(() => assertOverridable(request([blocker('a', true), blocker('b', true)]))).toThrow(
      /is blocked by 2 findings, none of which can be overridden/,
    );
    expect(() => assertOverridable(request([blocker('a'), blocker('b')]))).toThrow(
      /is blocked by 2 findings: a: a blocks \| b: b blocks\. Nothing was changed\. \(The policy offers no override/,
    );
  });
});
