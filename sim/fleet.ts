/**
 * A generated fleet: many clusters across accounts and regions, deterministic for a given size, with EKS latency
 * and rate limits on. Clusters carry no workloads and at most one small node group, so a thousand of them build in
 * seconds and fit in memory.
 */
import { hashInt } from './aws/ids.js';
import { parseScenario, type Scenario } from './scenario.js';

export interface FleetScenarioOptions {
  /** Clusters in the fleet (1,000 by default). */
  clusters?: number;
  /** Accounts, the orchestrator's own included (20 by default). */
  accounts?: number;
  regions?: readonly string[];
  /** A Tuesday 03:00 in Berlin by default: inside the default policy file's maintenance window. */
  startTime?: string;
}

export const FLEET_CENTRAL_ACCOUNT = '111122223333';

/** The i-th member account id (1-based): 200000000001, 200000000002, ... */
export function fleetMemberAccount(i: number): string {
  return String(200_000_000_000 + i);
}

// At the default start (late 2026): 1.35 is the newest, 1.34 one behind, 1.33 two behind and in extended support,
// 1.32 in extended support.
const versionMix: ReadonlyArray<readonly [string, number]> = [
  ['1.35', 25],
  ['1.34', 35],
  ['1.33', 25],
  ['1.32', 15],
];
const policies = ['dev', 'staging', 'prod'] as const;
const teams = ['payments', 'search', 'checkout', 'catalog', 'identity', 'media', 'ledger', 'ads', 'maps', 'chat'];

function pick(weights: ReadonlyArray<readonly [string, number]>, roll: number): string {
  let left = roll;
  for (const [value, weight] of weights) {
    if (left < weight) return value;
    left -= weight;
  }
  return weights[weights.length - 1]?.[0] ?? '';
}

/**
 * A fleet scenario: `clusters` spread round-robin over `accounts` (the first is the orchestrator's own) and
 * `regions`; versions mixed from the newest to extended support; ~90% enrolled (`eks-upgrade/enabled=true`);
 * policy groups dev, staging and prod by `eks-upgrade/policy`; twins (a dev, a staging and a prod cluster of one
 * service) sharing an `eks-upgrade/wave-group`; ~10% without node groups, the rest with one managed node group of
 * two nodes. EKS answers in 50-150 ms and allows 10 requests a second per account and region (burst 20).
 */
export function fleetScenario(options: FleetScenarioOptions = {}): Scenario {
  const total = options.clusters ?? 1000;
  const accountCount = options.accounts ?? 20;
  const regions = options.regions ?? ['eu-west-1', 'us-east-1', 'ap-southeast-2'];
  const accountIds = [
    FLEET_CENTRAL_ACCOUNT,
    ...Array.from({ length: accountCount - 1 }, (_, i) => fleetMemberAccount(i + 1)),
  ];
  const clusters = Array.from({ length: total }, (_, i) => {
    // Twins are three consecutive clusters of one service: same team, same wave group, dev then staging then prod.
    const service = Math.floor(i / 3);
    const policy = policies[i % 3] as string;
    const name = `${teams[service % teams.length]}-${policy}-${String(i).padStart(4, '0')}`;
    const accountId = accountIds[i % accountIds.length] as string;
    const region = regions[service % regions.length] as string;
    const version = pick(versionMix, hashInt(100, 'fleet-version', String(service)));
    const enrolled = hashInt(100, 'fleet-enrolled', String(i)) < 90;
    const twins = hashInt(100, 'fleet-twins', String(service)) < 70;
    const withNodes = hashInt(100, 'fleet-nodes', String(i)) >= 10;
    return {
      name,
      region,
      ...(accountId === FLEET_CENTRAL_ACCOUNT ? {} : { accountId }),
      version,
      tags: {
        ...(enrolled ? { 'eks-upgrade/enabled': 'true' } : {}),
        'eks-upgrade/policy': policy,
        ...(twins ? { 'eks-upgrade/wave-group': `${teams[service % teams.length]}-${service}` } : {}),
        team: teams[service % teams.length] as string,
      },
      ...(withNodes ? { managedNodegroups: [{ name: 'default', desiredSize: 2 }] } : {}),
    };
  });
  return parseScenario(
    {
      name: `fleet-${total}`,
      description: `${total} clusters across ${accountCount} accounts and ${regions.length} regions`,
      startTime: options.startTime ?? '2026-11-24T02:00:00Z',
      accountId: FLEET_CENTRAL_ACCOUNT,
      accounts: accountIds.slice(1).map((id) => ({ id })),
      // AWS does not publish EKS API rate limits; 10 requests a second sustained with a burst of 20 per account
      // and region is a conservative reading of what EKS tolerates before ThrottlingException, and round-trip
      // times of 50-150 ms are typical from a Lambda function in another region.
      apiLatencyMs: { min: 50, max: 150 },
      apiRateLimits: { eks: { requestsPerSecond: 10, burst: 20 } },
      clusters,
    },
    `generated fleet of ${total} clusters`,
  );
}
