import { describe, expect, it } from 'vitest';
import { slackSignature, verifySlackRequest } from '../../lib/approvals/index.js';

// The worked example of "Verifying requests from Slack" (https://api.slack.com/authentication/verifying-requests-from-slack).
const example = {
  signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};
const sentAt = new Date(Number(example.timestamp) * 1000);

function check(overrides: {
  headers?: Record<string, string | undefined>;
  body?: string;
  secret?: string;
  now?: Date;
}) {
  return verifySlackRequest({
    signingSecret: overrides.secret ?? example.signingSecret,
    headers: overrides.headers ?? {
      'x-slack-request-timestamp': example.timestamp,
      'x-slack-signature': example.signature,
    },
    rawBody: Buffer.from(overrides.body ?? example.body, 'utf8'),
    now: overrides.now ?? new Date(sentAt.getTime() + 30_000),
  });
}

describe("Slack request signatures, with Slack's documented example", () => {
  it('computes the documented signature and accepts the documented request', () => {
    // Act / Assess
    expect(slackSignature(example.signingSecret, example.timestamp, example.body)).toBe(example.signature);
    expect(check({})).toEqual({ valid: true });
  });

  it('refuses a body changed by one character', () => {
    expect(check({ body: example.body.replace('roadrunner', 'roadrunnex') })).toEqual({
      valid: false,
      reason: 'bad-signature',
    });
  });

  it('refuses a request signed with another secret', () => {
    expect(check({ secret: '8f742231b10e8888abcd99yyyzzz85a6' })).toEqual({ valid: false, reason: 'bad-signature' });
  });

  it('refuses requests more than five minutes old or ahead, and accepts one just inside the window', () => {
    expect(check({ now: new Date(sentAt.getTime() + 301_000) })).toEqual({ valid: false, reason: 'stale-timestamp' });
    expect(check({ now: new Date(sentAt.getTime() - 301_000) })).toEqual({ valid: false, reason: 'stale-timestamp' });
    expect(check({ now: new Date(sentAt.getTime() + 299_000) })).toEqual({ valid: true });
  });

  it('refuses a request without either header, or with a signature of another length or version', () => {
    const both = { 'x-slack-request-timestamp': example.timestamp, 'x-slack-signature': example.signature };
    expect(check({ headers: { ...both, 'x-slack-signature': undefined } })).toMatchObject({
      reason: 'missing-headers',
    });
    expect(check({ headers: { ...both, 'x-slack-request-timestamp': undefined } })).toMatchObject({
      reason: 'missing-headers',
    });
    expect(check({ headers: { ...both, 'x-slack-signature': example.signature.slice(0, -1) } })).toMatchObject({
      reason: 'bad-signature',
    });
    expect(check({ headers: { ...both, 'x-slack-signature': example.signature.replace('v0=', 'v1=') } })).toMatchObject(
      { reason: 'bad-signature' },
    );
    expect(check({ headers: { ...both, 'x-slack-request-timestamp': '1531420618.5' } })).toMatchObject({
      valid: false,
    });
  });
});
