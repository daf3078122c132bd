import { describe, expect, it } from 'vitest';
import { createEksToken } from '../../lib/kube/index.js';

describe('EKS bearer token', () => {
  it('is a presigned STS GetCallerIdentity URL signed over x-k8s-aws-id, base64url without padding', async () => {
    const token = await createEksToken({
      clusterName: 'demo',
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      now: new Date('2026-11-21T02:00:00Z'),
    });
    expect(token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    const url = new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
    expect(url.host).toBe('sts.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261121T020000Z');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20261121/eu-west-1/sts/aws4_request');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('signs for the cluster it names: another cluster gets another signature', async () => {
    const base = {
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
      now: new Date('2026-11-21T02:00:00Z'),
    };
    const a = await createEksToken({ ...base, clusterName: 'a' });
    const b = await createEksToken({ ...base, clusterName: 'b' });
    expect(a).not.toBe(b);
  });
});
