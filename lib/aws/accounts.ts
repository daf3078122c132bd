/**
 * Reaching clusters in other accounts: the orchestrator assumes a member role in each account (deployed from
 * deploy/member-role.yaml) and builds that account's clients with the role's credentials. Credentials are cached
 * per account and renewed five minutes before they expire.
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { AccountAccessDenied, InvalidInput } from '../errors.js';
import type { AwsClients } from './clients.js';

/** The member role's name when the `memberRoleName` setting is not given. */
export const DEFAULT_MEMBER_ROLE_NAME = 'eks-upgrade-orchestrator-member';

/** Credentials are renewed this long before they expire (the SDK's own refresh window). */
export const CREDENTIAL_REFRESH_MARGIN_MS = 5 * 60_000;

/** One hour: the default session of AssumeRole, and the most a role chain allows. */
const SESSION_SECONDS = 3600;

const accountIdPattern = /^\d{12}$/;

export interface MemberRoleOptions {
  /** The role's name in every member account. */
  roleName: string;
  /** The ExternalId the role's trust policy requires, if it requires one. */
  externalId?: string;
  /** RoleSessionName: CloudTrail in the member account shows it (`eks-upgrade-<function>`). */
  sessionName: string;
}

/** The AWS partition of a region: `aws`, `aws-cn` or `aws-us-gov`. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The member role's ARN in an account. */
export function memberRoleArn(accountId: string, roleName: string, region: string): string {
  return `arn:${partitionOf(region)}:iam::${accountId}:role/${roleName}`;
}

/** A RoleSessionName from a function name: `eks-upgrade-<function>`, cut to STS's 64 characters and alphabet. */
export function sessionNameFor(functionName: string): string {
  return `eks-upgrade-${functionName}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

/** The account the caller's credentials belong to (STS GetCallerIdentity). */
export async function callerAccountId(sts: STSClient): Promise<string> {
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  if (!identity.Account) throw new Error('STS GetCallerIdentity answered without an account id');
  return identity.Account;
}

function isAccessDenied(error: unknown): boolean {
  const name = (error as { name?: unknown } | undefined)?.name;
  return name === 'AccessDenied' || name === 'AccessDeniedException';
}

/**
 * Assumes the member role of each account on demand and caches the credentials per account, renewing them
 * `CREDENTIAL_REFRESH_MARGIN_MS` before they expire. Concurrent callers for one account share one AssumeRole.
 */
export class MemberCredentials {
  private readonly cache = new Map<string, Promise<AwsCredentialIdentity>>();

  constructor(
    private readonly deps: { sts: () => STSClient; region: string; now: () => Date },
    private readonly role: MemberRoleOptions,
  ) {}

  /** The credentials of the member role in `accountId`. Throws AccountAccessDenied. */
  async credentials(accountId: string): Promise<AwsCredentialIdentity> {
    const cached = this.cache.get(accountId);
    if (cached) {
      const credentials = await cached.catch(() => undefined);
      if (credentials && !this.expiring(credentials)) return credentials;
      if (this.cache.get(accountId) !== cached) return this.credentials(accountId);
    }
    const pending = this.assume(accountId);
    this.cache.set(accountId, pending);
    // A refusal is not cached: the next call asks again (someone may have fixed the trust policy meanwhile).
    pending.catch(() => {
      if (this.cache.get(accountId) === pending) this.cache.delete(accountId);
    });
    return pending;
  }

  /** A credential provider for one account's clients, as the SDK takes it. */
  provider(accountId: string): AwsCredentialIdentityProvider {
    return () => this.credentials(accountId);
  }

  private expiring(credentials: AwsCredentialIdentity): boolean {
    if (!credentials.expiration) return false;
    return credentials.expiration.getTime() - CREDENTIAL_REFRESH_MARGIN_MS <= this.deps.now().getTime();
  }

  private async assume(accountId: string): Promise<AwsCredentialIdentity> {
    const roleArn = memberRoleArn(accountId, this.role.roleName, this.deps.region);
    const answer = await this.deps
      .sts()
      .send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: this.role.sessionName,
          DurationSeconds: SESSION_SECONDS,
          ...(this.role.externalId ? { ExternalId: this.role.externalId } : {}),
        }),
      )
      .catch((error: unknown) => {
        if (!isAccessDenied(error)) throw error;
        throw new AccountAccessDenied(
          `cannot assume ${roleArn}: ${(error as Error).message}. Deploy deploy/member-role.yaml in account ${accountId} (the role may be missing), make its trust policy name the orchestrator's function roles${this.role.externalId ? ' and the configured ExternalId' : ''}, or set MEMBER_ROLE_NAME to the role's name`,
          { cause: error },
        );
      });
    const c = answer.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`STS AssumeRole of ${roleArn} returned no credentials`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
      accountId,
    };
  }
}

export interface AccountClientsOptions {
  /** Builds one region's clients; without credentials, the orchestrator's own (the default chain). */
  build(region: string, credentials?: AwsCredentialIdentityProvider): AwsClients;
  /** The orchestrator's region: STS calls go there. */
  region: string;
  /** The orchestrator's own account when known up front (AWS_ACCOUNT_ID); learned from STS otherwise. */
  ownAccountId?: string;
  memberRole: MemberRoleOptions;
  now: () => Date;
}

/** Clients per region and account, and the orchestrator's own account, as `RuntimeDeps` hands them out. */
export interface AccountClients {
  clients(region: string, accountId?: string): AwsClients;
  ownAccountId(): Promise<string>;
  member: MemberCredentials;
}

/**
 * Clients for any account and region. The orchestrator's own account (or no account) gets its own credentials;
 * another account gets the member role's, assumed on first use. Throws InvalidInput for a malformed account id;
 * the clients' calls throw AccountAccessDenied when the role cannot be assumed.
 */
export function accountClients(options: AccountClientsOptions): AccountClients {
  const built = new Map<string, AwsClients>();
  const own = (region: string): AwsClients => cached(`own/${region}`, () => options.build(region));
  let ownAccount: Promise<string> | undefined = options.ownAccountId
    ? Promise.resolve(options.ownAccountId)
    : undefined;
  const ownAccountId = (): Promise<string> => {
    ownAccount ??= callerAccountId(own(options.region).sts).catch((error: unknown) => {
      ownAccount = undefined;
      throw error;
    });
    return ownAccount;
  };
  const member = new MemberCredentials(
    { sts: () => own(options.region).sts, region: options.region, now: options.now },
    options.memberRole,
  );
  function cached(key: string, make: () => AwsClients): AwsClients {
    let c = built.get(key);
    if (!c) {
      c = make();
      built.set(key, c);
    }
    return c;
  }
  return {
    member,
    ownAccountId,
    clients(region, accountId) {
      if (!accountId || accountId === options.ownAccountId) return own(region);
      if (!accountIdPattern.test(accountId)) {
        throw new InvalidInput(`"${accountId}" is not an AWS account id: give its 12 digits, e.g. "111122223333"`);
      }
      return cached(`${accountId}/${region}`, () =>
        options.build(region, async () => {
          // The own account may only be known from STS: its clusters are reached without assuming a role.
          if ((await ownAccountId()) === accountId) return own(region).sts.config.credentials();
          return member.credentials(accountId);
        }),
      );
    },
  };
}
