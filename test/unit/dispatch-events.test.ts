import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { executionNameFor, parseDispatchEvent, policyFromTags } from '../../lib/dispatch/index.js';
import { InvalidInput } from '../../lib/errors.js';

const sample = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../events/${name}`, import.meta.url), 'utf8'));

describe('dispatch events', () => {
  it('reads the clusters out of an AWS Health end-of-support event', () => {
    const trigger = parseDispatchEvent(sample('health-eks-end-of-support.json'));
    expect(trigger).toMatchObject({
      kind: 'health',
      clusters: [{ name: 'demo', region: 'eu-west-1', accountId: '111122223333' }],
    });
  });

  it('reads a schedule event', () => {
    expect(parseDispatchEvent(sample('schedule.json'))).toEqual({ kind: 'schedule' });
  });

  it('rejects a foreign event, naming what it accepts', () => {
    expect(() => parseDispatchEvent({ source: 'aws.ec2', detail: {} })).toThrow(InvalidInput);
    expect(() => parseDispatchEvent({ source: 'aws.ec2', detail: {} })).toThrow(
      /eks-upgrade.schedule.*AWS_EKS_PLANNED_LIFECYCLE_EVENT/,
    );
  });

  it('rejects a Health event that names no cluster', () => {
    const event = sample('health-eks-end-of-support.json') as { detail: { affectedEntities: unknown[] } };
    event.detail.affectedEntities = [{ entityValue: 'not-an-arn' }];
    expect(() => parseDispatchEvent(event)).toThrow(/names no EKS cluster ARN/);
  });

  it('names executions deterministically per cluster, target and day', () => {
    const at = new Date('2026-11-21T02:00:00Z');
    expect(executionNameFor('demo', '1.34', at)).toBe('demo-1-34-20261121');
    expect(executionNameFor('demo', '1.34', new Date('2026-11-21T23:59:00Z'))).toBe('demo-1-34-20261121');
  });
});

describe('policy from cluster tags', () => {
  it('defaults to the latest version with gates answered by the policy', () => {
    const policy = policyFromTags({ 'eks-upgrade/enabled': 'true' });
    expect(policy.target).toBe('latest');
    expect(policy.approvals.mode).toBe('auto');
  });

  it('lets people decide, in a Slack channel, when the tags say so', () => {
    const policy = policyFromTags({
      'eks-upgrade/target': '1.34',
      'eks-upgrade/approvals': 'people',
      'eks-upgrade/slack-channel': 'C0123ABCD',
    });
    expect(policy.target).toBe('1.34');
    expect(policy.approvals).toMatchObject({ mode: 'people', slack: { channel: 'C0123ABCD' } });
  });

  it('names the tag at fault', () => {
    expect(() => policyFromTags({ 'eks-upgrade/approvals': 'maybe' })).toThrow(
      /eks-upgrade\/approvals is "maybe"; use "auto" or "people"/,
    );
    expect(() => policyFromTags({ 'eks-upgrade/target': 'newest' })).toThrow(/target.*fix the tags/);
  });
});
