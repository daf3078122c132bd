import { describe, expect, it } from 'vitest';
import { causeMessage, renderNotification } from '../../lib/notify/index.js';

describe('notifications', () => {
  it('reads the message out of a Lambda error cause', () => {
    const cause = JSON.stringify({
      errorType: 'PodEvictionBlocked',
      errorMessage: 'pod default/ledger-0 is held',
      trace: [],
    });
    expect(causeMessage(cause)).toBe('pod default/ledger-0 is held');
    expect(causeMessage('plain text')).toBe('plain text');
  });

  it('tells people what failed, why, and what to do next', () => {
    const { subject, body } = renderNotification({
      kind: 'upgrade-failed',
      cluster: 'demo',
      region: 'eu-west-1',
      executionName: 'demo-1-34-20261121',
      error: {
        Error: 'PodEvictionBlocked',
        Cause: 'pod default/ledger-abc is held by PodDisruptionBudget default/ledger-pdb',
      },
    });
    expect(subject).toBe('EKS upgrade FAILED: demo (eu-west-1) (PodEvictionBlocked)');
    expect(body).toContain('ledger-pdb');
    expect(body).toMatch(/Relax or satisfy the named PodDisruptionBudgets/);
    expect(body).toContain('demo-1-34-20261121');
  });

  it('keeps subjects to what SNS accepts: ASCII, at most 100 characters', () => {
    const { subject } = renderNotification({
      kind: 'upgrade-started',
      cluster: 'x'.repeat(120),
      region: 'eu-west-1',
      fromVersion: '1.32',
      toVersion: '1.34',
    });
    expect(subject.length).toBeLessThanOrEqual(100);
    const hop = renderNotification({
      kind: 'hop-succeeded',
      cluster: 'demo',
      region: 'eu-west-1',
      hop: { index: 1, from: '1.32', to: '1.33' },
    });
    expect(hop.subject).toBe('EKS upgrade: demo (eu-west-1) hop 1 1.32 -> 1.33 done');
    expect(hop.subject).toMatch(/^[\x20-\x7e]+$/);
  });
});
