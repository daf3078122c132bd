import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { InvalidInput } from '../errors.js';
import type { GateName } from './gate.js';

/** What an approval link carries. The task token never appears in clear: the whole payload is sealed. */
export interface ApprovalLinkPayload {
  taskToken: string;
  executionArn: string;
  gate: GateName;
  cluster: string;
  hop: string;
  /** Milliseconds since epoch after which the link no longer decides anything. */
  expiresAt: number;
  /** Which of the email's two links this is; the page offers that choice first (the other stays possible). */
  intent?: 'approve' | 'reject';
}

/** A link that was forged, altered, or is past its expiry; `reason` is safe to show. */
export class ApprovalLinkInvalid extends InvalidInput {
  constructor(
    readonly reason: 'tampered' | 'expired' | 'malformed',
    message: string,
  ) {
    super(message);
  }
}

const context = Buffer.from('eks-upgrade-approval-link-v1');

function keyBytes(key: string): Buffer {
  const bytes = Buffer.from(key, 'base64');
  if (bytes.length !== 32)
    throw new InvalidInput('the approval link key must be 32 random bytes, base64-encoded (openssl rand -base64 32)');
  return bytes;
}

/**
 * Seals an approval payload with AES-256-GCM: confidential (the task token stays secret) and authenticated
 * (changing any byte of the link makes it fail to open).
 */
export function sealApprovalLink(payload: ApprovalLinkPayload, key: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyBytes(key), iv);
  cipher.setAAD(context);
  const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** Opens a sealed link. Throws ApprovalLinkInvalid when it was altered, forged or has expired. */
export function openApprovalLink(sealed: string, key: string, now: Date): ApprovalLinkPayload {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < 12 + 16 + 2)
    throw new ApprovalLinkInvalid(
      'malformed',
      'this approval link is incomplete; open the link from the email exactly as sent',
    );
  const decipher = createDecipheriv('aes-256-gcm', keyBytes(key), raw.subarray(0, 12));
  decipher.setAAD(context);
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  let payload: ApprovalLinkPayload;
  try {
    const clear = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
    payload = JSON.parse(clear.toString('utf8')) as ApprovalLinkPayload;
  } catch {
    throw new ApprovalLinkInvalid(
      'tampered',
      'this approval link is not valid: it was changed or was not issued by this orchestrator',
    );
  }
  if (now.getTime() >= payload.expiresAt) {
    throw new ApprovalLinkInvalid(
      'expired',
      `this approval link expired at ${new Date(payload.expiresAt).toISOString()}; the gate follows its timeout policy`,
    );
  }
  return payload;
}
