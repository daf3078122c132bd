/**
 * Several simulated accounts behind one interceptor: the orchestrator's (central) account and the member accounts
 * a scenario lists. A call is served by the account of the credentials that signed it: the central credentials
 * reach the central account; credentials from AssumeRole into account X reach X. Roles are assumed as STS does
 * it, against each member account's role and trust policy (`accounts[].memberRole` in the scenario).
 *
 * Fleet realism is opt-in (scenario `apiLatencyMs`, `apiRateLimits`): EKS answers after a latency and throttles
 * per account and region with a token bucket, as AWS API rate limits work.
 */
import type { ClientInterceptor } from '../../lib/aws/clients.js';
import type { Scenario } from '../scenario.js';
import type { SimScheduler } from '../scheduler.js';
import { SimAccount, type SimAccountOptions, type SimIdentity } from './account.js';
import { unmodelled } from './errors.js';
import { hashInt } from './ids.js';
import { simulatorInterceptor } from './interceptor.js';
import type { SimServiceName } from './types.js';

/** The role of the orchestrator's functions in the central account, as the simulated STS names the caller. */
export const ORCHESTRATOR_ROLE = 'eks-upgrade-orchestrator';

export interface SimCloudOptions extends Omit<SimAccountOptions, 'scenario' | 'access'> {
  scenario: Scenario;
  scheduler: SimScheduler;
  /** Parks a call for simulated latency; a VirtualClock's `sleep` in local runs. Defaults to `setTimeout`. */
  sleep?(ms: number): Promise<void>;
}

/** AWS token bucket: `burst` calls at once, refilled at `perSecond`. */
class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    nowMs: number,
  ) {
    this.tokens = burst;
    this.lastMs = nowMs;
  }

  take(nowMs: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.lastMs) * this.perSecond) / 1000);
    this.lastMs = Math.max(this.lastMs, nowMs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** The simulated accounts of a scenario, served through one interceptor by the caller's credentials. */
export class SimCloud {
  /** The orchestrator's own account. */
  readonly central: SimAccount;
  /** Every account by id, the central one included. */
  readonly accounts = new Map<string, SimAccount>();
  /** Pass to `createAwsClients({ interceptor })`. */
  readonly interceptor: ClientInterceptor;
  /** Credentials the simulated STS issued, by access key id. */
  private readonly identities = new Map<string, SimIdentity>();
  private readonly buckets = new Map<string, TokenBucket>();
  private latencySeq = 0;

  constructor(private readonly options: SimCloudOptions) {
    const { scenario } = options;
    const access: SimAccountOptions['access'] = {
      authorizeAssumeRole: (request) => this.authorizeAssumeRole(request),
      issued: (identity) => this.identities.set(identity.accessKeyId, identity),
    };
    const accountOf = (c: Scenario['clusters'][number]) => c.accountId ?? scenario.accountId;
    const ids = [scenario.accountId, ...(scenario.accounts ?? []).map((a) => a.id)];
    for (const id of new Set(ids)) {
      const own: Scenario = {
        ...scenario,
        accountId: id,
        clusters: scenario.clusters.filter((c) => accountOf(c) === id),
      };
      this.accounts.set(id, new SimAccount({ ...options, scenario: own, access }));
    }
    this.central = this.accounts.get(scenario.accountId) as SimAccount;
    this.interceptor = simulatorInterceptor((call) => this.serve(call));
  }

  /** Launches every account's initial instances (see SimAccount.start). */
  start(): void {
    for (const account of this.accounts.values()) account.start();
  }

  /** The account whose credentials signed a call: an issued session's account, the central one otherwise. */
  identityOf(accessKeyId: string | undefined): SimIdentity | undefined {
    return accessKeyId ? this.identities.get(accessKeyId) : undefined;
  }

  /** The account that owns a cluster. */
  accountOfCluster(name: string): string {
    const cluster = this.options.scenario.clusters.find((c) => c.name === name);
    return cluster?.accountId ?? this.options.scenario.accountId;
  }

  /** Calls EKS answered with throttling (rate limits and throttle faults), every account together. */
  throttledCalls(service: SimServiceName = 'eks'): number {
    let n = 0;
    for (const account of this.accounts.values()) {
      for (const c of account.calls)
        if (c.service === service && c.outcome === 'error' && /Throttl/.test(c.error ?? '')) n++;
    }
    return n;
  }

  private async serve(call: {
    service: SimServiceName;
    region: string;
    commandName: string;
    input: unknown;
    accessKeyId?: string;
  }): Promise<{ output: object; requestId: string }> {
    const caller = this.identityOf(call.accessKeyId);
    // Keys the simulated STS did not issue are the orchestrator's own (central) credentials. A session in an
    // account the scenario does not list was only possible without `accounts`: it reaches the central account,
    // as before multi-account scenarios existed.
    const account = (caller && this.accounts.get(caller.accountId)) ?? this.central;
    const { scenario } = this.options;
    let throttle = false;
    if (call.service === 'eks') {
      const latency = scenario.apiLatencyMs;
      if (latency && latency.max > 0) {
        // Deterministic per call: the same scenario and the same calls give the same timings.
        const ms = latency.min + hashInt(latency.max - latency.min + 1, 'latency', String(++this.latencySeq));
        await (this.options.sleep ?? ((d: number) => new Promise<void>((r) => setTimeout(r, d))))(ms);
      }
      const limit = scenario.apiRateLimits?.eks;
      if (limit) {
        const key = `${account.accountId}/${call.region}`;
        const nowMs = this.options.scheduler.nowMs();
        let bucket = this.buckets.get(key);
        if (!bucket) {
          bucket = new TokenBucket(limit.requestsPerSecond, limit.burst, nowMs);
          this.buckets.set(key, bucket);
        }
        throttle = !bucket.take(nowMs);
      }
    }
    return account.serve({ ...call, ...(caller ? { caller } : {}), throttle });
  }

  /**
   * STS AssumeRole as IAM decides it: the role must exist in its account and trust the caller (and ask for the
   * ExternalId given, if it asks for one). Roles in the central account, and any role when the scenario lists no
   * accounts, are assumed as before multi-account scenarios existed.
   */
  private authorizeAssumeRole(request: {
    roleArn: string;
    accountId: string;
    roleName: string;
    externalId?: string;
    caller: string;
  }): void {
    const { scenario } = this.options;
    if (request.accountId === scenario.accountId || !scenario.accounts?.length) return;
    const member = scenario.accounts.find((a) => a.id === request.accountId);
    const role = member?.memberRole;
    const trusted =
      role !== undefined &&
      role.name === request.roleName &&
      role.trusts &&
      (role.externalId === undefined || role.externalId === request.externalId);
    if (!trusted) {
      // STS answers the same AccessDenied whether the role is missing or its trust policy leaves the caller out.
      throw unmodelled(
        'sts',
        'AccessDenied',
        `User: ${request.caller} is not authorized to perform: sts:AssumeRole on resource: ${request.roleArn}`,
        { httpStatusCode: 403 },
      );
    }
  }
}
