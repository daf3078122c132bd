import {
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  type EKSClient,
  ListClustersCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Clock } from '../clock.js';
import { InvalidPolicy } from '../errors.js';
import type { ClusterRef, FleetClusterStatus, FleetSnapshot, FleetStore } from '../fleet/types.js';
import { resolveTarget, type UpgradePolicy } from '../planning/index.js';
import type { Log } from '../runtime/log.js';
import {
  compareMinor,
  daysUntilEndOfStandardSupport,
  loadSupportCalendar,
  minorOf,
  minorsBetween,
  type SupportCalendar,
} from '../versions/index.js';
import { notifyClustersAtRisk } from './at-risk.js';
import { mapBounded, sharedSleeper, withRetry } from './calls.js';
import { decideCluster } from './decide.js';
import { applyTagOverrides, enrolmentTag, targetTag, waveGroupTag } from './enrolment.js';
import type { DispatchTrigger } from './events.js';
import { clusterArnOf, executionsByCluster } from './executions.js';
import { executionNameFor } from './names.js';
import { type FleetPolicy, type GroupPolicy, policyTag } from './policy-file.js';
import { type ExecutionRecord, type Twin, waveGate } from './waves.js';

export interface DispatchDeps {
  /** EKS in the cluster's account (through its member role) and region. */
  eks(cluster: { region: string; accountId: string }): EKSClient;
  /** EKS in the orchestrator's own account and region: DescribeClusterVersions for support dates. */
  supportEks: EKSClient;
  sfn: SFNClient;
  clock: Clock;
  log: Log;
  /** Where the fleet snapshot goes after a run that applies (the console reads it); none keeps no snapshot. */
  store?: FleetStore;
  /** Where a run that applies reports the clusters at risk of extended support; none reports nothing. */
  notify?: { sns: SNSClient; topicArn: string };
}

export interface DispatchRequest {
  trigger: DispatchTrigger;
  policy: FleetPolicy;
  stateMachineArn: string;
  /** Accounts and regions a schedule covers (the orchestrator's own when empty). */
  accounts: string[];
  regions: string[];
  /** False: decide and report (would-start), start nothing, write no snapshot. */
  apply: boolean;
  /** Clusters described (and executions started) at once; 16 unless set. */
  concurrency?: number;
  /** Names the snapshot's trigger (`schedule`, `health`, `cli`). */
  source?: string;
}

export interface DispatchRun extends FleetSnapshot {
  started: number;
  /** Accounts or regions that could not be listed: their clusters are missing from the run. */
  problems: string[];
}

type Described =
  | { ref: ClusterRef; state: 'found'; version: string; tags: Record<string, string> }
  | { ref: ClusterRef; state: 'not-found' }
  | { ref: ClusterRef; state: 'error'; error: string };

interface Enrolled {
  described: Extract<Described, { state: 'found' }>;
  group: GroupPolicy;
  upgrade: UpgradePolicy;
  waveGroup?: string;
}

const label = (ref: ClusterRef) => `${ref.accountId}/${ref.region}/${ref.name}`;
const errorText = (e: unknown) => `${(e as Error).name ?? 'Error'}: ${(e as Error).message ?? String(e)}`;

type Sleep = (ms: number) => Promise<void>;

async function listFleet(
  deps: DispatchDeps,
  sleep: Sleep,
  scope: { accounts: string[]; regions: string[]; like: string },
  problems: string[],
): Promise<ClusterRef[]> {
  const places = scope.accounts.flatMap((accountId) => scope.regions.map((region) => ({ accountId, region })));
  const lists = await mapBounded(places, 8, async (place) => {
    const refs: ClusterRef[] = [];
    try {
      let nextToken: string | undefined;
      do {
        const page = await withRetry(sleep, () =>
          deps.eks(place).send(new ListClustersCommand({ ...(nextToken ? { nextToken } : {}) })),
        );
        for (const name of page.clusters ?? []) {
          refs.push({ ...place, name, arn: clusterArnOf(scope.like, { ...place, name }) });
        }
        nextToken = page.nextToken;
      } while (nextToken);
    } catch (error) {
      problems.push(`cannot list the clusters of account ${place.accountId} in ${place.region}: ${errorText(error)}`);
      deps.log.error('cannot list clusters', { ...place, error: errorText(error) });
    }
    return refs;
  });
  return lists.flat();
}

async function describe(deps: DispatchDeps, sleep: Sleep, ref: ClusterRef): Promise<Described> {
  try {
    const out = await withRetry(sleep, () => deps.eks(ref).send(new DescribeClusterCommand({ name: ref.name })));
    return { ref, state: 'found', version: minorOf(out.cluster?.version ?? ''), tags: out.cluster?.tags ?? {} };
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return { ref, state: 'not-found' };
    return { ref, state: 'error', error: errorText(error) };
  }
}

/**
 * The cluster's last upgrade to `version` when it failed or timed out, in words, or undefined. Dispatch sees
 * managed node groups through EKS, but not self-managed groups, Karpenter pools or Fargate pods, which only the
 * Kubernetes API shows: after such an upgrade a catch-up run's plan looks at every node kind and finishes what
 * lags (or ends at once, already at target). An execution an operator stopped (ABORTED) is not resumed
 * automatically: they resume it from the console (Retry) when they choose.
 */
function unfinishedUpgradeTo(records: ExecutionRecord[], version: string): string | undefined {
  const latest = records
    .filter((r) => r.target === version)
    .sort((a, b) => b.startDate.getTime() - a.startDate.getTime())[0];
  if (!latest || (latest.status !== 'FAILED' && latest.status !== 'TIMED_OUT')) return undefined;
  return `the last upgrade to ${version} (${latest.name}) ended ${latest.status}; the run checks every node kind (self-managed groups, Karpenter pools, Fargate pods) and finishes what lags`;
}

/**
 * Managed node groups that run an older minor than the control plane, in words (`general on 1.33`), or undefined:
 * what an upgrade that stopped during node rotation left behind. A failure to look is logged and reads as none.
 */
async function laggingNodegroups(
  deps: DispatchDeps,
  sleep: Sleep,
  ref: ClusterRef,
  version: string,
): Promise<string | undefined> {
  try {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await withRetry(sleep, () =>
        deps.eks(ref).send(new ListNodegroupsCommand({ clusterName: ref.name, ...(nextToken ? { nextToken } : {}) })),
      );
      names.push(...(page.nodegroups ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    const behind: string[] = [];
    for (const nodegroupName of names) {
      const out = await withRetry(sleep, () =>
        deps.eks(ref).send(new DescribeNodegroupCommand({ clusterName: ref.name, nodegroupName })),
      );
      const v = out.nodegroup?.version;
      if (v && compareMinor(minorOf(v), version) < 0) behind.push(`${nodegroupName} on ${minorOf(v)}`);
    }
    return behind.length ? `managed node groups behind the control plane: ${behind.join(', ')}` : undefined;
  } catch (error) {
    deps.log.warn('cannot check the node groups of a cluster at its target', {
      cluster: label(ref),
      error: errorText(error),
    });
    return undefined;
  }
}

/** The cluster's policy group and its execution policy, or why it has none. */
function enrol(
  policy: FleetPolicy,
  d: Described,
): Enrolled | { decision: 'not-enrolled' | 'invalid-policy'; reason: string; group?: string } {
  if (d.state !== 'found') throw new Error('only described clusters enrol');
  if (d.tags[enrolmentTag] !== 'true') {
    return { decision: 'not-enrolled', reason: `tag ${enrolmentTag}=true is not set` };
  }
  try {
    const group = policy.groupFor(d.tags[policyTag]);
    const upgrade = applyTagOverrides(group.upgrade, d.tags);
    const waveGroup = d.tags[waveGroupTag];
    return { described: d, group, upgrade, ...(waveGroup ? { waveGroup } : {}) };
  } catch (error) {
    if (!(error instanceof InvalidPolicy)) throw error;
    return {
      decision: 'invalid-policy',
      reason: error.message,
      ...(d.tags[policyTag] ? { group: d.tags[policyTag] } : {}),
    };
  }
}

/** Whose policy broke a cluster's plan: its own tags when they override the target, else the policy file's group. */
function invalidIn(d: { tags: Record<string, string> }): 'tags' | 'policy-file' {
  return d.tags[targetTag] ? 'tags' : 'policy-file';
}

/** Versions EKS offers for clusters at `at`, newest first, from the support calendar. */
function offeredAt(calendar: SupportCalendar, at: Date): string[] {
  return calendar
    .versions()
    .filter((v) => (!v.releaseDate || v.releaseDate <= at) && v.endOfExtendedSupport > at)
    .map((v) => v.version)
    .sort((a, b) => compareMinor(b, a));
}

/**
 * Decides, for every cluster a trigger concerns, whether its upgrade starts now, and starts it idempotently:
 * enrolled by tag, policy group from the policy file, behind its target, no execution running for it, its wave's
 * twins soaked, its maintenance window open and no exclusion. Per-cluster failures are decisions (`error`), never
 * a failed run; a throttled API is retried with back-off. Writes the fleet snapshot when it applies.
 */
export async function dispatchFleet(deps: DispatchDeps, request: DispatchRequest): Promise<DispatchRun> {
  const at = deps.clock.now();
  const sleep = sharedSleeper(deps.clock);
  const limit = request.concurrency ?? 16;
  const like = request.stateMachineArn;
  const owner = like.split(':')[4] ?? '';
  const problems: string[] = [];
  const scope = {
    accounts: request.accounts.length ? request.accounts : [owner],
    regions:
      request.trigger.kind === 'schedule' && request.trigger.regions?.length
        ? request.trigger.regions
        : request.regions,
    like,
  };

  const named: ClusterRef[] =
    request.trigger.kind === 'health'
      ? request.trigger.clusters.map((c) => ({ ...c, arn: clusterArnOf(like, c) }))
      : await listFleet(deps, sleep, scope, problems);
  const concerned = await mapBounded(named, limit, (ref) => describe(deps, sleep, ref));
  let fleet = concerned;
  if (
    request.trigger.kind === 'health' &&
    concerned.some((d) => d.state === 'found' && d.tags[enrolmentTag] === 'true' && d.tags[waveGroupTag])
  ) {
    // Waves are judged against twins the event does not name: describe the rest of the fleet too.
    const known = new Set(named.map((r) => r.arn));
    const others = (await listFleet(deps, sleep, scope, problems)).filter((r) => !known.has(r.arn));
    fleet = [...concerned, ...(await mapBounded(others, limit, (ref) => describe(deps, sleep, ref)))];
  }

  const calendar = await loadSupportCalendar({ eks: deps.supportEks, log: deps.log, now: () => deps.clock.now() });
  const offered = offeredAt(calendar, at);
  const enrolment = new Map(fleet.filter((d) => d.state === 'found').map((d) => [d.ref.arn, enrol(request.policy, d)]));
  const enrolled = [...enrolment.values()].filter((e): e is Enrolled => 'described' in e);
  let executions = new Map<string, ExecutionRecord[]>();
  try {
    executions = await executionsByCluster(
      { sfn: deps.sfn, sleep, log: deps.log },
      {
        stateMachineArn: request.stateMachineArn,
        clusters: enrolled.map((e) => e.described.ref),
      },
    );
  } catch (error) {
    // Without the history nothing can tell a running upgrade or a soaked wave: start nothing this run.
    throw new Error(`cannot list the upgrade executions (${errorText(error)}); nothing was started`, { cause: error });
  }

  const twinsOf = (self: Enrolled): Twin[] =>
    enrolled
      .filter((e) => e.waveGroup === self.waveGroup && e.described.ref.arn !== self.described.ref.arn && e.group.wave)
      .map((e) => ({
        label: label(e.described.ref),
        wave: e.group.wave as string,
        version: e.described.version,
        executions: executions.get(e.described.ref.arn) ?? [],
      }));

  // Clusters whose control plane is at the target but whose nodes are not resume with a catch-up hop.
  const catchUps = new Map<string, string>();
  const concernedArns = new Set(concerned.map((d) => d.ref.arn));
  await mapBounded(
    enrolled.filter((e) => concernedArns.has(e.described.ref.arn)),
    limit,
    async (e) => {
      const { ref, version } = e.described;
      if ((executions.get(ref.arn) ?? []).some((x) => x.status === 'RUNNING')) return;
      let target: string;
      try {
        target = resolveTarget(e.upgrade.target, version, offered).version;
      } catch {
        return;
      }
      if (compareMinor(version, target) < 0) return;
      const lagging =
        (await laggingNodegroups(deps, sleep, ref, version)) ??
        unfinishedUpgradeTo(executions.get(ref.arn) ?? [], version);
      if (lagging) catchUps.set(ref.arn, lagging);
    },
  );

  const statuses: Array<{ status: FleetClusterStatus; start?: { target: string; policy: UpgradePolicy } }> =
    concerned.map((d) => {
      const base = { cluster: d.ref, hops: [] as string[] };
      if (d.state === 'not-found') {
        return {
          status: {
            ...base,
            enrolled: false,
            decision: 'not-found',
            reason: `no cluster ${d.ref.name} in account ${d.ref.accountId}, ${d.ref.region}${request.trigger.kind === 'health' ? ' (named by the AWS Health event)' : ''}`,
          },
        };
      }
      if (d.state === 'error') {
        return { status: { ...base, enrolled: false, decision: 'error', reason: `cannot describe it: ${d.error}` } };
      }
      const support = calendar.get(d.version);
      const supportFields = support
        ? {
            endOfStandardSupport: support.endOfStandardSupport.toISOString(),
            endOfExtendedSupport: support.endOfExtendedSupport.toISOString(),
            supportSource: support.source,
            daysLeft: daysUntilEndOfStandardSupport(support, at),
          }
        : {};
      const e = enrolment.get(d.ref.arn);
      if (!e || !('described' in e)) {
        return {
          status: {
            ...base,
            enrolled: e?.decision === 'invalid-policy',
            ...(e && 'group' in e && e.group ? { policyGroup: e.group } : {}),
            version: d.version,
            ...supportFields,
            decision: e?.decision ?? 'not-enrolled',
            reason: e?.reason ?? '',
            ...(e?.decision === 'invalid-policy' ? { invalidIn: 'tags' as const } : {}),
          },
        };
      }
      const known = {
        ...base,
        enrolled: true,
        policyGroup: e.group.group,
        ...(e.waveGroup && e.group.wave ? { wave: { group: e.waveGroup, name: e.group.wave } } : {}),
        version: d.version,
        ...supportFields,
      };
      // No version left in support is not the policy's fault: it is an error of the run (a calendar or an
      // instant past every version's end of extended support), said as such.
      if (offered.length === 0) {
        return {
          status: {
            ...known,
            decision: 'error',
            reason: `EKS supports no Kubernetes version at ${at.toISOString()} by the support calendar, so there is no target to choose; check the instant and the calendar`,
          },
        };
      }
      let target: { version: string; reason: string };
      try {
        target = resolveTarget(e.upgrade.target, d.version, offered);
      } catch (error) {
        if (!(error instanceof InvalidPolicy)) throw error;
        return { status: { ...known, decision: 'invalid-policy', reason: error.message, invalidIn: invalidIn(d) } };
      }
      const history = executions.get(d.ref.arn) ?? [];
      const running = history.find((x) => x.status === 'RUNNING');
      try {
        const decided = decideCluster({
          at,
          version: d.version,
          target,
          group: e.group,
          ...(support ? { support } : {}),
          ...(running ? { runningExecution: running.name } : {}),
          ...(catchUps.has(d.ref.arn) ? { catchUp: catchUps.get(d.ref.arn) as string } : {}),
          wave: e.waveGroup
            ? waveGate({
                ...(e.group.wave ? { wave: e.group.wave } : {}),
                order: request.policy.waveOrder,
                soakMs: e.group.soakMs,
                target: target.version,
                twins: twinsOf(e),
                at,
              })
            : { ready: true },
        });
        const status: FleetClusterStatus = {
          ...known,
          target: target.version,
          hops: decided.hops,
          ...(decided.daysLeft !== undefined ? { daysLeft: decided.daysLeft } : {}),
          ...(decided.plannedStart ? { plannedStart: decided.plannedStart.toISOString() } : {}),
          ...(decided.atRisk !== undefined ? { atRisk: decided.atRisk } : {}),
          ...(decided.extendedSupportCostAvoidedUsd !== undefined
            ? { extendedSupportCostAvoidedUsd: decided.extendedSupportCostAvoidedUsd }
            : {}),
          decision: decided.decision,
          reason: decided.reason,
          ...(running && decided.decision === 'already-running' ? { executionName: running.name } : {}),
        };
        if (decided.decision !== 'would-start') return { status };
        // The execution carries its resolved target and the support dates its gates may read.
        const endOfStandardSupport = Object.fromEntries(
          [d.version, ...decided.hops.slice(0, -1)].flatMap((v) => {
            const s = calendar.get(v);
            return s ? [[v, s.endOfStandardSupport.toISOString()]] : [];
          }),
        );
        return {
          status: { ...status, executionName: executionNameFor(d.ref, target.version, at) },
          start: { target: target.version, policy: { ...e.upgrade, target: target.version, endOfStandardSupport } },
        };
      } catch (error) {
        if (!(error instanceof InvalidPolicy)) throw error;
        return { status: { ...known, decision: 'invalid-policy', reason: error.message, invalidIn: invalidIn(d) } };
      }
    });

  if (request.apply) {
    await mapBounded(statuses, limit, async (entry) => {
      if (!entry.start) return;
      const { cluster, executionName } = entry.status;
      try {
        await withRetry(sleep, () =>
          deps.sfn.send(
            new StartExecutionCommand({
              stateMachineArn: request.stateMachineArn,
              name: executionName,
              input: JSON.stringify({
                cluster: cluster.name,
                region: cluster.region,
                accountId: cluster.accountId,
                policy: entry.start?.policy,
              }),
            }),
          ),
        );
        entry.status.decision = 'started';
      } catch (error) {
        if (error instanceof ExecutionAlreadyExists) {
          entry.status.decision = 'duplicate';
          entry.status.reason = `execution ${executionName} already exists for today: a repeated trigger starts nothing. ${entry.status.reason}`;
        } else {
          entry.status.decision = 'error';
          entry.status.reason = `could not start ${executionName}: ${errorText(error)}`;
        }
      }
    });
  }

  const clusters = statuses.map((s) => s.status);
  for (const c of clusters) {
    deps.log.info('dispatch decision', {
      cluster: label(c.cluster),
      decision: c.decision,
      reason: c.reason,
      ...(c.executionName ? { executionName: c.executionName } : {}),
    });
  }
  const snapshot: FleetSnapshot = {
    generatedAt: at.toISOString(),
    trigger: request.source ?? request.trigger.kind,
    clusters,
  };
  if (request.apply && deps.notify) {
    const notify = deps.notify;
    // Like the snapshot: reported when it fails, never a reason to fail a run whose upgrades have started.
    await withRetry(sleep, () => notifyClustersAtRisk({ ...notify, log: deps.log }, clusters, at)).catch(
      (error: unknown) => {
        problems.push(`cannot publish the clusters at risk: ${errorText(error)}`);
        deps.log.error('cannot publish the clusters at risk', { error: errorText(error) });
      },
    );
  }
  if (request.apply && deps.store) {
    // The upgrades have started either way; a snapshot that could not be written is reported, not fatal.
    await deps.store.write(snapshot).catch((error: unknown) => {
      problems.push(`cannot write the fleet snapshot: ${errorText(error)}`);
      deps.log.error('cannot write the fleet snapshot', { error: errorText(error) });
    });
  }
  return { ...snapshot, started: clusters.filter((c) => c.decision === 'started').length, problems };
}

/** The hops a cluster's upgrade makes, for people: `1.33 → 1.34 → 1.35`. */
export function hopPath(version: string, target: string): string {
  return [version, ...minorsBetween(version, target)].join(' → ');
}
