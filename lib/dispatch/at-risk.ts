import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { FleetClusterStatus } from '../fleet/types.js';
import type { Log } from '../runtime/log.js';

/** Decisions under which the upgrade is already under way: nothing for a person to do about the deadline. */
const underWay = new Set<FleetClusterStatus['decision']>(['started', 'already-running', 'duplicate']);

/** The enrolled clusters whose planned upgrade leaves too little margin (or none) and that are not upgrading now. */
export function clustersAtRisk(clusters: FleetClusterStatus[]): FleetClusterStatus[] {
  return clusters.filter((c) => c.enrolled && c.atRisk && !underWay.has(c.decision));
}

const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : 'unknown');

/**
 * Publishes one digest of the clusters at risk of entering (or staying in) paid extended support, so that a person
 * widens a window, lifts an exclusion or approves a wave early. Nothing is published when no cluster is at risk.
 */
export async function notifyClustersAtRisk(
  deps: { sns: SNSClient; topicArn: string; log: Log },
  clusters: FleetClusterStatus[],
  at: Date,
): Promise<{ published: number }> {
  const risky = clustersAtRisk(clusters);
  if (risky.length === 0) return { published: 0 };
  const noun = risky.length === 1 ? 'cluster' : 'clusters';
  const lines = [
    `Dispatch at ${at.toISOString()} found ${risky.length} enrolled ${noun} whose upgrade cannot start with the margin the policy asks for before the end of standard support. Extended support costs USD 0.50 more per cluster-hour.`,
    '',
    ...risky.flatMap((c) => [
      `- ${c.cluster.name} (${c.cluster.accountId}/${c.cluster.region}) on ${c.version ?? '?'}: end of standard support ${day(c.endOfStandardSupport)}, ${c.daysLeft ?? '?'} days left; planned ${c.plannedStart ? day(c.plannedStart) : 'no start possible'}; ${c.decision}.`,
      `  ${c.reason}`,
    ]),
    '',
    'What to do: widen or add a maintenance window, shorten or lift an exclusion, or let the wave through (policy file, docs/fleet.md); or start the upgrade now with eks-upgrade dispatch.',
  ];
  await deps.sns.send(
    new PublishCommand({
      TopicArn: deps.topicArn,
      Subject: `EKS upgrades at risk: ${risky.length} ${noun} may run into extended support`.slice(0, 99),
      Message: lines.join('\n'),
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'fleet-at-risk' } },
    }),
  );
  deps.log.warn('clusters at risk of extended support', { clusters: risky.map((c) => c.cluster.arn) });
  return { published: 1 };
}
