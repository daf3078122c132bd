/** The pre-flight for one hop: every check, read-only, in one report. */
import { addonFindings } from './checks/addons.js';
import { autoModeFindings } from './checks/automode.js';
import { selfManagedFindings, subnetFindings } from './checks/capacity.js';
import { controllerFindings } from './checks/controllers.js';
import { drainFindings } from './checks/drain.js';
import { gatherFacts } from './checks/facts.js';
import {
  apiServiceFindings,
  clusterFindings,
  eksResourceFindings,
  kubeSystemPodFindings,
  nodeFindings,
  webhookFindings,
} from './checks/health.js';
import { insightFindings } from './checks/insights.js';
import { scanPods } from './checks/pods.js';
import { kubeletSkewFindings, kubeProxySkewFindings } from './checks/skew.js';
import { amazonLinux2Findings, corednsFindings, dockerSocketFindings, ebsCsiFindings } from './checks/versioned.js';
import type { ReadinessDeps, ReadinessRequest } from './context.js';
import { type Finding, finding } from './findings.js';
import { buildReport, type ReadinessReport } from './report.js';
import { type LiveScan, scanLiveObjects } from './scan/live.js';
import { type ApiVerdict, apiFindings, judgeUsage } from './scan/usage.js';

/** Removed and deprecated APIs the live scan found, and what it could not list. */
export function liveScanFindings(scan: LiveScan, to: string): Finding[] {
  const verdicts = scan.usages.map((u) => judgeUsage(u, to)).filter((v): v is ApiVerdict => v !== undefined);
  const gaps = scan.incomplete.length
    ? [
        finding({
          id: 'scan-incomplete',
          area: 'apis',
          severity: 'warning',
          message: `The API scan could not list ${scan.incomplete.length} resource types or records, so it may miss removed APIs there.`,
          objects: scan.incomplete,
          fix: "Give the orchestrator's role read access to them, or repair the aggregated APIs behind them.",
        }),
      ]
    : [];
  return [...apiFindings(verdicts), ...gaps];
}

/**
 * Runs every readiness check for the hop `from` → `to` and returns the report; it changes nothing and throws only
 * when a dependency fails (ClusterNotFound, or the typed errors of the AWS and Kubernetes calls).
 */
export async function checkReadiness(deps: ReadinessDeps, request: ReadinessRequest): Promise<ReadinessReport> {
  const checkedAt = deps.now().toISOString();
  const facts = await gatherFacts(deps, request.cluster);
  const [pods, live] = await Promise.all([scanPods(deps.kube), scanLiveObjects(deps.kube)]);
  const groups = await Promise.all([
    liveScanFindings(live, request.to),
    insightFindings(deps.eks, request),
    addonFindings(deps.eks, facts, request),
    controllerFindings(deps.kube, request),
    kubeletSkewFindings(facts, request),
    kubeProxySkewFindings(deps.kube, facts, request),
    [...clusterFindings(facts, request), ...eksResourceFindings(facts), ...nodeFindings(facts)],
    kubeSystemPodFindings(pods),
    apiServiceFindings(deps.kube),
    webhookFindings(deps.kube),
    subnetFindings(deps, facts),
    selfManagedFindings(deps, request),
    autoModeFindings(deps.kube, facts, request),
    drainFindings(deps.kube, pods),
    [...dockerSocketFindings(pods, request), ...amazonLinux2Findings(facts, request)],
    corednsFindings(deps.kube),
    ebsCsiFindings(deps.kube, facts, request),
  ]);
  const { usages: _usages, ...scanned } = live;
  return buildReport(
    { cluster: request.cluster, from: request.from, to: request.to, checkedAt, scanned },
    groups.flat(),
  );
}
