import {
  DescribeExecutionCommand,
  type ExecutionListItem,
  ListExecutionsCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { clusterArnHash } from '../dispatch/names.js';
import type { ClusterRef, FleetClusterStatus, FleetStore } from '../fleet/types.js';
import { bundledSupportCalendar, compareMinor } from '../versions/index.js';
import { executionSubject, inBatches } from './executions.js';

/** Days to the end of standard support, in the words of the fleet page's colour bands. */
export type SupportBand = 'ok' | 'soon' | 'extended' | 'unknown';

export interface FleetRow extends FleetClusterStatus {
  /** Whole days from now to the end of standard support (negative once past it). */
  daysLeft?: number;
  band: SupportBand;
  running?: { name: string; startDate?: string };
  lastResult?: { name: string; status: string; stopDate?: string };
  /**
   * An upgrade that succeeded after the snapshot was taken: the row shows the cluster as that upgrade left it
   * (its version, deadline and remaining hops), and what it was when dispatch ran.
   */
  upgradedSinceDispatch?: { from?: string; to: string; execution: string; at: string };
}

export type FleetView =
  | { snapshot: false; message: string; howTo: string[] }
  | {
      snapshot: true;
      generatedAt: string;
      trigger: string;
      clusters: FleetRow[];
      /** Clusters dispatch saw without the enrolment tag (not listed). */
      notEnrolled: number;
      executionsScanned: number;
    };

/** Clusters whose end of standard support is this close are "soon". */
export const soonDays = 30;
const dayMs = 86_400_000;
/** Executions read per request to find each cluster's running execution and last result. */
const runningScan = { pageSize: 1000, pages: 3 };
const finishedScan = { pageSize: 1000, pages: 1 };
const describeBudget = 25;

export function supportBand(daysLeft: number | undefined): SupportBand {
  if (daysLeft === undefined) return 'unknown';
  if (daysLeft < 0) return 'extended';
  return daysLeft <= soonDays ? 'soon' : 'ok';
}

const key = (c: ClusterRef) => `${c.accountId}/${c.region}/${c.name}`;

async function listPages(
  deps: { sfn: SFNClient },
  request: { stateMachineArn: string; status?: 'RUNNING'; pageSize: number; pages: number },
): Promise<ExecutionListItem[]> {
  const items: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < request.pages; page++) {
    const listed = await deps.sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: request.stateMachineArn,
        maxResults: request.pageSize,
        ...(request.status ? { statusFilter: request.status } : {}),
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    items.push(...(listed.executions ?? []));
    nextToken = listed.nextToken;
    if (!nextToken) break;
  }
  return items;
}

/**
 * Matches executions to the snapshot's clusters: by the name dispatch recorded, by the cluster-ARN hash that ends
 * dispatch's names, else by the longest cluster name the
 * execution's name starts with; when that name is shared by clusters in several regions or accounts, the
 * execution's input decides (a bounded number of DescribeExecution calls).
 */
async function matchClusters(
  deps: { sfn: SFNClient },
  clusters: FleetClusterStatus[],
  executions: ExecutionListItem[],
  budget: { describes: number },
): Promise<Map<ExecutionListItem, string>> {
  const byExecution = new Map<string, string>();
  const byHash = new Map<string, string>();
  const byName = new Map<string, ClusterRef[]>();
  for (const c of clusters) {
    if (c.executionName) byExecution.set(c.executionName, key(c.cluster));
    if (c.cluster.arn) byHash.set(clusterArnHash(c.cluster.arn), key(c.cluster));
    byName.set(c.cluster.name, [...(byName.get(c.cluster.name) ?? []), c.cluster]);
  }
  const names = [...byName.keys()].sort((a, b) => b.length - a.length);
  const matched = new Map<ExecutionListItem, string>();
  const ambiguous: Array<{ execution: ExecutionListItem; refs: ClusterRef[] }> = [];
  for (const execution of executions) {
    const name = execution.name ?? '';
    const recorded = byExecution.get(name) ?? byHash.get(/-([0-9a-f]{6})$/.exec(name)?.[1] ?? '');
    if (recorded) {
      matched.set(execution, recorded);
      continue;
    }
    const clusterName = names.find((n) => name === n || name.startsWith(`${n}-`));
    const refs = clusterName ? (byName.get(clusterName) ?? []) : [];
    if (refs.length === 1) matched.set(execution, key(refs[0] as ClusterRef));
    else if (refs.length > 1) ambiguous.push({ execution, refs });
  }
  const resolvable = ambiguous.slice(0, Math.max(budget.describes, 0));
  budget.describes -= resolvable.length;
  await inBatches(resolvable, 10, async ({ execution, refs }) => {
    const subject = await executionSubject(deps, execution.executionArn ?? '');
    const ref = refs.find(
      (r) => r.region === subject.region && (subject.accountId === undefined || r.accountId === subject.accountId),
    );
    if (ref) matched.set(execution, key(ref));
  });
  return matched;
}

/**
 * The fleet page: the latest dispatch snapshot, each cluster with its days left and band (from now), its running
 * execution and the result of its last finished one (among the newest executions).
 */
export async function fleetView(
  deps: { sfn: SFNClient; fleet?: FleetStore; now: () => Date },
  request: { stateMachineArn: string },
): Promise<FleetView> {
  const snapshot = await deps.fleet?.read();
  if (!snapshot) {
    return {
      snapshot: false,
      message: deps.fleet
        ? 'Dispatch has not run yet, so there is no fleet status to show.'
        : 'This console has no fleet store configured (FLEET_BUCKET), so there is no fleet status to show.',
      howTo: [
        'Dispatch runs on its schedule (the dispatchSchedule parameter) and when AWS Health announces an end of support.',
        'To run it now: aws lambda invoke --function-name <service>-<stage>-dispatch --payload \'{"source":"eks-upgrade.schedule"}\' --cli-binary-format raw-in-base64-out out.json',
        'Or preview the decisions without starting anything: eks-upgrade plan',
      ],
    };
  }
  const [running, newest] = await Promise.all([
    listPages(deps, { ...request, status: 'RUNNING', ...runningScan }),
    listPages(deps, { ...request, ...finishedScan }),
  ]);
  const finished = newest.filter((e) => e.status !== 'RUNNING');
  // The fleet page lists enrolled clusters only; dispatch's snapshot also records the ones it passed over.
  const enrolled = snapshot.clusters.filter((c) => c.enrolled);
  const budget = { describes: describeBudget };
  const runningOf = await matchClusters(deps, enrolled, running, budget);
  const finishedOf = await matchClusters(deps, enrolled, finished, budget);
  const runningBy = new Map<string, ExecutionListItem>();
  const lastBy = new Map<string, ExecutionListItem>();
  // Newest first: the first execution seen for a cluster is its latest.
  for (const e of running) {
    const k = runningOf.get(e);
    if (k && !runningBy.has(k)) runningBy.set(k, e);
  }
  for (const e of finished) {
    const k = finishedOf.get(e);
    if (k && !lastBy.has(k)) lastBy.set(k, e);
  }
  const upgraded = await upgradesSince(deps, snapshot.generatedAt, lastBy, budget);
  const now = deps.now().getTime();
  const clusters = enrolled.map((dispatched): FleetRow => {
    const since = upgraded.get(key(dispatched.cluster));
    const c = since ? asUpgraded(dispatched, since, snapshot.clusters) : dispatched;
    const end = c.endOfStandardSupport ? Date.parse(c.endOfStandardSupport) : Number.NaN;
    const daysLeft = Number.isNaN(end) ? undefined : Math.floor((end - now) / dayMs);
    const r = runningBy.get(key(c.cluster));
    const l = lastBy.get(key(c.cluster));
    const { daysLeft: _atDispatch, ...status } = c;
    return {
      ...status,
      ...(daysLeft !== undefined ? { daysLeft } : {}),
      band: supportBand(daysLeft),
      ...(since
        ? {
            upgradedSinceDispatch: {
              ...(dispatched.version ? { from: dispatched.version } : {}),
              to: since.to,
              execution: since.execution,
              at: since.at,
            },
          }
        : {}),
      ...(r
        ? { running: { name: r.name ?? '', ...(r.startDate ? { startDate: r.startDate.toISOString() } : {}) } }
        : {}),
      ...(l
        ? {
            lastResult: {
              name: l.name ?? '',
              status: l.status ?? 'UNKNOWN',
              ...(l.stopDate ? { stopDate: l.stopDate.toISOString() } : {}),
            },
          }
        : {}),
    };
  });
  return {
    snapshot: true,
    generatedAt: snapshot.generatedAt,
    trigger: snapshot.trigger,
    clusters,
    notEnrolled: snapshot.clusters.length - enrolled.length,
    executionsScanned: running.length + newest.length,
  };
}

interface UpgradeSince {
  to: string;
  execution: string;
  at: string;
}

/**
 * The clusters whose latest upgrade succeeded after the snapshot was taken, and the version each reached (the
 * plan's target in the execution's output): a bounded number of DescribeExecution calls.
 */
async function upgradesSince(
  deps: { sfn: SFNClient },
  generatedAt: string,
  lastBy: Map<string, ExecutionListItem>,
  budget: { describes: number },
): Promise<Map<string, UpgradeSince>> {
  const taken = Date.parse(generatedAt);
  const candidates = [...lastBy.entries()].filter(
    ([, e]) => e.status === 'SUCCEEDED' && e.stopDate && e.stopDate.getTime() > taken && e.executionArn,
  );
  const resolvable = candidates.slice(0, Math.max(budget.describes, 0));
  budget.describes -= resolvable.length;
  const out = new Map<string, UpgradeSince>();
  await inBatches(resolvable, 10, async ([k, e]) => {
    const described = await deps.sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }));
    const to = reachedVersion(described.output) ?? reachedVersion(described.input, 'input');
    if (to) out.set(k, { to, execution: e.name ?? '', at: (e.stopDate as Date).toISOString() });
  });
  return out;
}

/** The version a succeeded execution left the control plane on: its plan's target, else its input's target. */
function reachedVersion(text: string | undefined, from: 'output' | 'input' = 'output'): string | undefined {
  try {
    const data = JSON.parse(text ?? '{}') as { plan?: { toVersion?: unknown }; policy?: { target?: unknown } };
    const v = from === 'output' ? data.plan?.toVersion : data.policy?.target;
    return typeof v === 'string' && /^1\.\d{1,2}$/.test(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The row as the upgrade left the cluster: its version, the deadline of that version (from a cluster of the
 * snapshot on it in the same region, as EKS gave it, else the bundled calendar) and the hops still to go.
 */
function asUpgraded(c: FleetClusterStatus, since: UpgradeSince, all: FleetClusterStatus[]): FleetClusterStatus {
  const peer = all.find(
    (o) => o.version === since.to && o.cluster.region === c.cluster.region && o.endOfStandardSupport,
  );
  const bundled = bundledSupportCalendar.versions.find((v) => v.version === since.to);
  const support = peer
    ? {
        endOfStandardSupport: peer.endOfStandardSupport as string,
        ...(peer.endOfExtendedSupport ? { endOfExtendedSupport: peer.endOfExtendedSupport } : {}),
        ...(peer.supportSource ? { supportSource: peer.supportSource } : {}),
      }
    : bundled
      ? {
          endOfStandardSupport: new Date(bundled.endOfStandardSupport).toISOString(),
          endOfExtendedSupport: new Date(bundled.endOfExtendedSupport).toISOString(),
          supportSource: 'bundled-calendar' as const,
        }
      : {};
  const {
    endOfStandardSupport: _e,
    endOfExtendedSupport: _x,
    supportSource: _s,
    plannedStart: _p,
    atRisk: _r,
    ...rest
  } = c;
  const remaining = c.hops.filter((h) => compareMinor(h, since.to) > 0);
  return { ...rest, version: since.to, hops: remaining, ...support };
}
