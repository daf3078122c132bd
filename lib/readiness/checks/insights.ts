/**
 * EKS Upgrade Insights for the hop's target (ListInsights, category UPGRADE_READINESS; DescribeInsight for the
 * details): what EKS saw, including deprecated API calls from its audit log, which no object scan can see.
 * https://docs.aws.amazon.com/eks/latest/userguide/cluster-insights.html
 */
import {
  DescribeInsightCommand,
  type EKSClient,
  type Insight,
  type InsightSummary,
  ListInsightsCommand,
} from '@aws-sdk/client-eks';
import type { ReadinessRequest } from '../context.js';
import { type Finding, finding, type Severity } from '../findings.js';

const severityOf: Record<string, Severity | undefined> = { ERROR: 'blocker', WARNING: 'warning', UNKNOWN: 'info' };

async function insightsFor(eks: EKSClient, request: ReadinessRequest): Promise<InsightSummary[]> {
  const out: InsightSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await eks.send(
      new ListInsightsCommand({
        clusterName: request.cluster,
        filter: { categories: ['UPGRADE_READINESS'], kubernetesVersions: [request.to] },
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    out.push(...(page.insights ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return out.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
}

/** What an insight names: deprecated API usages with the clients that made them, resources, add-ons. */
export function insightObjects(insight: Insight): string[] {
  const summary = insight.categorySpecificSummary;
  return [
    ...(summary?.deprecationDetails ?? []).flatMap((d) => {
      const clients = (d.clientStats ?? []).map(
        (c) => `${c.userAgent} (${c.numberOfRequestsLast30Days} calls in 30 days)`,
      );
      const use = `${d.usage}${d.replacedWith ? ` → ${d.replacedWith}` : ''} (stops ${d.stopServingVersion})`;
      return clients.length ? clients.map((c) => `${use} by ${c}`) : [use];
    }),
    ...(summary?.addonCompatibilityDetails ?? []).map(
      (a) => `addon/${a.name} (compatible: ${(a.compatibleVersions ?? []).join(', ')})`,
    ),
    ...(insight.resources ?? []).map((r) => r.kubernetesResourceUri ?? r.arn ?? '').filter((r) => r !== ''),
  ];
}

/** One finding per insight that is not PASSING: ERROR blocks, WARNING warns, UNKNOWN informs. */
export async function insightFindings(eks: EKSClient, request: ReadinessRequest): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const summary of await insightsFor(eks, request)) {
    const severity = severityOf[summary.insightStatus?.status ?? 'UNKNOWN'];
    if (!severity || !summary.id) continue;
    const { insight } = await eks.send(new DescribeInsightCommand({ clusterName: request.cluster, id: summary.id }));
    const reason = insight?.insightStatus?.reason ?? summary.insightStatus?.reason;
    findings.push(
      finding({
        id: 'eks-insight',
        area: 'insights',
        severity,
        message: `EKS Upgrade Insight "${summary.name}" is ${summary.insightStatus?.status}${reason ? `: ${reason.replace(/\.?$/, '.')}` : '.'}`,
        objects: insight ? insightObjects(insight) : [],
        fix:
          insight?.recommendation || 'Follow the insight in the EKS console (Upgrade insights tab) before upgrading.',
      }),
    );
  }
  return findings;
}
