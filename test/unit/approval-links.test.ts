import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApprovalLinkInvalid, openApprovalLink, sealApprovalLink } from '../../lib/approvals/index.js';

const key = randomBytes(32).toString('base64');
const payload = {
  taskToken: 'AQCEAAAAKgAAAAMAAAAAAAAAAfake-token',
  executionArn: 'arn:aws:states:eu-west-1:111122223333:execution:upgrade:demo-1-34-20261121',
  gate: 'before-hop' as const,
  cluster: 'demo',
  hop: '1.32 → 1.33',
  expiresAt: Date.parse('2026-11-22T00:00:00Z'),
};

describe('approval links', () => {
  it('round-trips without exposing the task token in the link', () => {
    const link = sealApprovalLink(payload, key);
    expect(link).not.toContain('fake-token');
    expect(Buffer.from(link, 'base64url').toString('latin1')).not.toContain('fake-token');
    expect(openApprovalLink(link, key, new Date('2026-11-21T12:00:00Z'))).toEqual(payload);
  });

  it('rejects a link with any byte changed', () => {
    const link = Buffer.from(sealApprovalLink(payload, key), 'base64url');
    for (const at of [0, 15, link.length - 1]) {
      const altered = Buffer.from(link);
      altered[at] = (altered[at] ?? 0) ^ 1;
      expect(() => openApprovalLink(altered.toString('base64url'), key, new Date('2026-11-21T12:00:00Z'))).toThrow(
        ApprovalLinkInvalid,
      );
    }
  });

  it('rejects a link sealed with another key, and an expired one with its expiry', () => {
    const forged = sealApprovalLink(payload, randomBytes(32).toString('base64'));
    expect(() => openApprovalLink(forged, key, new Date('2026-11-21T12:00:00Z'))).toThrow(/not valid/);
    const link = sealApprovalLink(payload, key);
    try {
      openApprovalLink(link, key, new Date('2026-11-22T00:00:01Z'));
      expect.unreachable();
    } catch (e) {
      expect((e as ApprovalLinkInvalid).reason).toBe('expired');
      expect((e as Error).message).toContain('2026-11-22T00:00:00.000Z');
    }
  });

  it('refuses a key that is not 32 bytes, saying how to make one', () => {
    expect(() => sealApprovalLink(payload, 'c2hvcnQ=')).toThrow(/openssl rand -base64 32/);
  });
});
