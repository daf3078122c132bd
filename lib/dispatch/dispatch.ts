import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import {
  DescribeClusterCommand,
  type EKSClient,
  ListClustersCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import {
  ExecutionAlreadyExists,
  ListExecutionsCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { InvalidPolicy } from '../errors.js';
import { planUpgrade, type UpgradePolicy, upgradePolicySchema } from '../planning/index.js';
import type { Log } from '../runtime/log.js';
import type { DispatchTrigger } from './events.js';

/** Tags that enrol a cluster and shape its policy. */
export const enrolmentTag = 'eks-upgrade/enabled';
export const targetTag = 'eks-upgrade/target';
/** `auto` (the default) or `people`: whether approval gates wait for a person. */
export const approvalsTag = 'eks-upgrade/approvals';
/** A Slack channel id for approval requests (with approvals `people`). */
export const slackChannelTag = 'eks-upgrade/slack-channel';

export interface DispatchDecision {
  cluster: string;
  region: string;
  decision:
    | 'started'
    | 'already-running'
    | 'duplicate'
    | 'nothing-to-do'
    | 'not-enrolled'
    | 'not-found'
    | 'invalid-policy';
  reason: string;
  executionName?: string;
}

/** Execution names are deterministic per cluster, target and day, so a duplicate trigger cannot start twice. */
export function executionNameFor(cluster: string, target: string, at: Date): string {
  const day = at.toISOString().slice(0, 10).replace(/-/g, '');
  return `${cluster}-${target.replace('.', '-')}-${day}`.replace(/[^A-Za-z0-9\-_]/g, '-').slice(0, 80);
}

/** The cluster's policy from its tags. Throws InvalidPolicy naming the tag at fault. */
export function policyFromTags(tags: Record<string, string>): UpgradePolicy {
  const people = tags[approvalsTag] === 'people';
  if (tags[approvalsTag] !== undefined && !people && tags[approvalsTag] !== 'auto') {
    throw new InvalidPolicy(`tag ${approvalsTag} is "${tags[approvalsTag]}"; use "auto" or "people"`);
  }
  const parsed = upgradePolicySchema.safeParse({
    ...(tags[targetTag] ? { target: tags[targetTag] } : {}),
    ...(people
      ? {
          approvals: {
            mode: 'people',
            ...(tags[slackChannelTag] ? { slack: { channel: tags[slackChannelTag] } } : {}),
          },
        }
      : {}),
  });
  if (!parsed.success) {
    const problem = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new InvalidPolicy(`the cluster's eks-upgrade/* tags make an invalid policy (${problem}); fix the tags`);
  }
  return parsed.data;
}

/**
 * Decides, for each cluster a trigger concerns, whether to start an upgrade, and starts it idempotently:
 * enrolled by tag, something to do, no execution already running for the cluster.
 */
export async function dispatchUpgrades(
  deps: {
    eks: (region: string) => EKSClient;
    autoscaling: (region: string) => AutoScalingClient;
    sfn: SFNClient;
    log: Log;
    now: () => Date;
  },
  request: { trigger: DispatchTrigger; stateMachineArn: string; defaultRegion: string },
): Promise<DispatchDecision[]> {
  const targets =
    request.trigger.kind === 'health'
      ? request.trigger.clusters.map((c) => ({ name: c.name, region: c.region }))
      : (
          await Promise.all(
            (request.trigger.regions ?? [request.defaultRegion]).map(async (region) => {
              const names: string[] = [];
              let nextToken: string | undefined;
              do {
                const page = await deps
                  .eks(region)
                  .send(new ListClustersCommand({ ...(nextToken ? { nextToken } : {}) }));
                names.push(...(page.clusters ?? []));
                nextToken = page.nextToken;
              } while (nextToken);
              return names.map((name) => ({ name, region }));
            }),
          )
        ).flat();

  const running = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = await deps.sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: request.stateMachineArn,
        statusFilter: 'RUNNING',
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    for (const e of page.executions ?? []) if (e.name) running.add(e.name);
    nextToken = page.nextToken;
  } while (nextToken);

  const decisions: DispatchDecision[] = [];
  for (const target of targets) {
    const base = { cluster: target.name, region: target.region };
    const described = await deps
      .eks(target.region)
      .send(new DescribeClusterCommand({ name: target.name }))
      .catch((e: unknown) => {
        if (e instanceof ResourceNotFoundException) return undefined;
        throw e;
      });
    if (!described?.cluster) {
      decisions.push({ ...base, decision: 'not-found', reason: `no cluster ${target.name} in ${target.region}` });
      continue;
    }
    const tags = described.cluster.tags ?? {};
    if (tags[enrolmentTag] !== 'true') {
      decisions.push({ ...base, decision: 'not-enrolled', reason: `tag ${enrolmentTag}=true is not set` });
      continue;
    }
    const runningName = [...running].find((n) => n.startsWith(`${target.name}-`));
    if (runningName) {
      decisions.push({
        ...base,
        decision: 'already-running',
        reason: `execution ${runningName} is running`,
        executionName: runningName,
      });
      continue;
    }
    let policy: UpgradePolicy;
    try {
      policy = policyFromTags(tags);
    } catch (e) {
      if (!(e instanceof InvalidPolicy)) throw e;
      decisions.push({ ...base, decision: 'invalid-policy', reason: e.message });
      continue;
    }
    const plan = await planUpgrade(
      { eks: deps.eks(target.region), autoscaling: deps.autoscaling(target.region), log: deps.log },
      { cluster: target.name, region: target.region, policy },
    );
    if (plan.hops.length === 0) {
      decisions.push({ ...base, decision: 'nothing-to-do', reason: `already on ${plan.toVersion}` });
      continue;
    }
    const name = executionNameFor(target.name, plan.toVersion, deps.now());
    try {
      await deps.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: request.stateMachineArn,
          name,
          input: JSON.stringify({ cluster: target.name, region: target.region, policy }),
        }),
      );
      decisions.push({
        ...base,
        decision: 'started',
        reason: `${plan.fromVersion} → ${plan.toVersion} (${plan.targetReason})`,
        executionName: name,
      });
    } catch (e) {
      if (!(e instanceof ExecutionAlreadyExists)) throw e;
      decisions.push({
        ...base,
        decision: 'duplicate',
        reason: `execution ${name} already exists for today`,
        executionName: name,
      });
    }
  }
  for (const d of decisions) deps.log.info('dispatch decision', { ...d });
  return decisions;
}
