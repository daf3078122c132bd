/**
 * Simulated AWS STS: who the caller is, and role assumption (recorded; credentials are fake but identify their
 * session: the access key id maps to the account, role and session it was issued for).
 */
import type { AssumeRoleRequest, AssumeRoleResponse, GetCallerIdentityResponse } from '@aws-sdk/client-sts';
import { unmodelled } from './errors.js';
import { hashHex } from './ids.js';
import type { SimAwsContext } from './types.js';
import { handler, type SimCaller, type SimHandler } from './util.js';

export interface SimAssumedRole {
  roleArn: string;
  sessionName: string;
  region: string;
  atMs: number;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

/** How the accounts of a scenario decide and remember role assumptions (sim/aws/cloud.ts). */
export interface SimRoleAccess {
  /** Throws STS's AccessDenied when the role does not exist or does not trust the caller. */
  authorizeAssumeRole(request: {
    roleArn: string;
    accountId: string;
    roleName: string;
    externalId?: string;
    caller: string;
  }): void;
  /** Remembers issued credentials, so that calls signed with them reach the role's account. */
  issued(identity: SimCaller): void;
}

export class SimSts {
  readonly assumedRoles: SimAssumedRole[] = [];

  constructor(
    private readonly ctx: SimAwsContext,
    private readonly access?: SimRoleAccess,
  ) {}

  /** The orchestrator's function role in this account, when the caller is not an issued session. */
  private ownArn(): string {
    return `arn:aws:sts::${this.ctx.accountId}:assumed-role/eks-upgrade-orchestrator/eks-upgrade-orchestrator`;
  }

  commands(): Record<string, SimHandler> {
    return { GetCallerIdentity: handler(this.getCallerIdentity), AssumeRole: handler(this.assumeRole) };
  }

  // https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
  private getCallerIdentity = (_input: object, _region: string, caller?: SimCaller): GetCallerIdentityResponse =>
    caller
      ? {
          UserId: `AROA${hashHex('role', caller.accountId, caller.roleName).slice(0, 17).toUpperCase()}:${caller.sessionName}`,
          Account: caller.accountId,
          Arn: caller.arn,
        }
      : {
          UserId: `AROA${hashHex('role', this.ctx.accountId).slice(0, 17).toUpperCase()}:eks-upgrade-orchestrator`,
          Account: this.ctx.accountId,
          Arn: this.ownArn(),
        };

  // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html: sessions last DurationSeconds
  // (900-43200, default 3600).
  private assumeRole = (input: AssumeRoleRequest, region: string, caller?: SimCaller): AssumeRoleResponse => {
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
    const roleName = match[2] ?? 'role';
    const accountId = match[1] ?? this.ctx.accountId;
    this.access?.authorizeAssumeRole({
      roleArn: input.RoleArn ?? '',
      accountId,
      roleName,
      ...(input.ExternalId ? { externalId: input.ExternalId } : {}),
      caller: caller?.arn ?? this.ownArn(),
    });
    const now = this.ctx.scheduler.nowMs();
    this.assumedRoles.push({ roleArn: input.RoleArn ?? '', sessionName: session, region, atMs: now });
    const h = hashHex('assume', input.RoleArn ?? '', session, String(now));
    const accessKeyId = `ASIA${h.slice(0, 16).toUpperCase()}`;
    const arn = `arn:aws:sts::${accountId}:assumed-role/${roleName}/${session}`;
    this.access?.issued({ accessKeyId, accountId, arn, roleName, sessionName: session });
    return {
      Credentials: {
        AccessKeyId: accessKeyId,
        SecretAccessKey: Buffer.from(h, 'hex').toString('base64').slice(0, 40),
        SessionToken: Buffer.from(`${h}${h}`, 'hex').toString('base64'),
        Expiration: new Date(now + duration * 1000),
      },
      AssumedRoleUser: {
        AssumedRoleId: `AROA${h.slice(16, 33).toUpperCase()}:${session}`,
        Arn: arn,
      },
      PackedPolicySize: 0,
    };
  };
}
