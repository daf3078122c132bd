/** Simulated AWS STS: who the caller is, and role assumption (recorded; credentials are fake). */
import type { AssumeRoleRequest, AssumeRoleResponse, GetCallerIdentityResponse } from '@aws-sdk/client-sts';
import { unmodelled } from './errors.js';
import { hashHex } from './ids.js';
import type { SimAwsContext } from './types.js';
import { handler, type SimHandler } from './util.js';

export interface SimAssumedRole {
  roleArn: string;
  sessionName: string;
  region: string;
  atMs: number;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

export class SimSts {
  readonly assumedRoles: SimAssumedRole[] = [];

  constructor(private readonly ctx: SimAwsContext) {}

  commands(): Record<string, SimHandler> {
    return { GetCallerIdentity: handler(this.getCallerIdentity), AssumeRole: handler(this.assumeRole) };
  }

  // https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
  private getCallerIdentity = (_input: object, _region: string): GetCallerIdentityResponse => ({
    UserId: `AROA${hashHex('role', this.ctx.accountId).slice(0, 17).toUpperCase()}:eks-upgrade-orchestrator`,
    Account: this.ctx.accountId,
    Arn: `arn:aws:sts::${this.ctx.accountId}:assumed-role/eks-upgrade-orchestrator/eks-upgrade-orchestrator`,
  });

  // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html: sessions last DurationSeconds
  // (900-43200, default 3600).
  private assumeRole = (input: AssumeRoleRequest, region: string): AssumeRoleResponse => {
    const match = ROLE_ARN.exec(input.RoleArn ?? '');
    if (!match) {
      throw unmodelled('sts', 'ValidationError', `${input.RoleArn ?? '(none)'} is not a valid role ARN`);
    }
    const session = input.RoleSessionName ?? '';
    if (!/^[\w+=,.@-]{2,64}$/.test(session)) {
      throw unmodelled(
        'sts',
        'ValidationError',
        `1 validation error detected: Value '${session}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
      );
    }
    const duration = input.DurationSeconds ?? 3600;
    if (duration < 900 || duration > 43_200) {
      throw unmodelled(
        'sts',
        'ValidationError',
        `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
      );
    }
    const now = this.ctx.scheduler.nowMs();
    this.assumedRoles.push({ roleArn: input.RoleArn ?? '', sessionName: session, region, atMs: now });
    const h = hashHex('assume', input.RoleArn ?? '', session, String(now));
    const roleName = match[2] ?? 'role';
    return {
      Credentials: {
        AccessKeyId: `ASIA${h.slice(0, 16).toUpperCase()}`,
        SecretAccessKey: Buffer.from(h, 'hex').toString('base64').slice(0, 40),
        SessionToken: Buffer.from(`${h}${h}`, 'hex').toString('base64'),
        Expiration: new Date(now + duration * 1000),
      },
      AssumedRoleUser: {
        AssumedRoleId: `AROA${h.slice(16, 33).toUpperCase()}:${session}`,
        Arn: `arn:aws:sts::${match[1]}:assumed-role/${roleName}/${session}`,
      },
      PackedPolicySize: 0,
    };
  };
}
