import { createHmac, timingSafeEqual } from 'node:crypto';

export type SlackSignatureCheck =
  | { valid: true }
  | { valid: false; reason: 'missing-headers' | 'stale-timestamp' | 'bad-signature' };

/** Slack rejects nothing older than this itself; we refuse replays past it. */
const maxAgeSeconds = 5 * 60;

/** `v0=` and the hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed with the signing secret. */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: Buffer | string): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

/**
 * Verifies a request from Slack exactly as Slack specifies
 * (https://api.slack.com/authentication/verifying-requests-from-slack): both headers present, the timestamp within
 * five minutes of now, and the signature over the raw body equal to ours in constant time. Call it before reading
 * anything else of the request.
 */
export function verifySlackRequest(request: {
  signingSecret: string;
  /** Header names in lower case, as API Gateway's HTTP API passes them. */
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
  now: Date;
}): SlackSignatureCheck {
  const timestamp = request.headers['x-slack-request-timestamp'];
  const signature = request.headers['x-slack-signature'];
  if (!timestamp || !signature) return { valid: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { valid: false, reason: 'stale-timestamp' };
  if (Math.abs(request.now.getTime() / 1000 - Number(timestamp)) > maxAgeSeconds)
    return { valid: false, reason: 'stale-timestamp' };
  const expected = Buffer.from(slackSignature(request.signingSecret, timestamp, request.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; a length mismatch reveals nothing about the secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { valid: false, reason: 'bad-signature' };
  return { valid: true };
}
