import { performance } from 'node:perf_hooks';
import type { ApprovalDecision } from '../lib/approvals/index.js';
import { plainCause } from '../lib/console/index.js';
import { executionNameFor } from '../lib/dispatch/index.js';
import { approvalPolicySchema, upgradePolicySchema } from '../lib/planning/index.js';
import type { VirtualClock } from '../sim/clock.js';
import type { Scenario } from '../sim/scenario.js';
import { type LocalApi, startLocalApi } from './api-server.js';
import { createLocalEnvironment, type LocalEnvironment } from './environment.js';
import { localFunctions } from './functions.js';
import type { HistoryEvent, LocalExecution } from './stepfunctions.js';

/** One line of live progress for a cluster. */
export interface ClusterProgress {
  cluster: string;
  stage: string;
  hop?: string;
  nodes?: { upgraded: number; total: number };
  simulatedSeconds: number;
  status: LocalExecution['status'];
}

export interface ClusterSummary {
  name: string;
  fromVersion: string;
  toVersion: string;
  status: LocalExecution['status'];
  controlPlaneVersion: string;
  kubeletVersions: string[];
  addons: Array<{ name: string; version: string }>;
  pdbViolations: number;
  podsLost: number;
  simulatedSeconds: number;
  executionArn: string;
  error?: string;
  cause?: string;
  incidents?: string[];
  /** Every approval gate's decision, in order: who (or which policy) decided, how and when. */
  approvals: ApprovalDecision[];
}

/** A gate that is waiting for a person in an interactive run. */
export interface GateWaiting {
  cluster: string;
  executionName: string;
  gate: string;
  /** The gate's id: what `eks-upgrade approve --gate` names, so that a command decides only the gate it saw. */
  gateId: string;
  hop: string;
  expiresAt: string;
  /** The links of the approval email, pointing at the local API. */
  approveUrl?: string;
  rejectUrl?: string;
}

function isDecision(value: unknown): value is ApprovalDecision {
  const d = value as Partial<ApprovalDecision> | undefined;
  return typeof d?.approver === 'string' && typeof d.channel === 'string' && typeof d.decidedAt === 'string';
}

// Captured before any virtual clock fakes setTimeout: pacing waits in real time.
const realSetTimeout = globalThis.setTimeout;
const realSleep = (ms: number): Promise<void> => new Promise((resolve) => realSetTimeout(resolve, ms));

/**
 * Drives simulated time at `pace` simulated seconds per real second until `done()`, so that people watching the
 * console see stages run. A marker timer at each step's end stops time there (the next timer may be far later).
 */
export async function runPaced(
  clock: VirtualClock,
  done: () => boolean,
  pace: number,
  options: { maxSimulatedSeconds?: number } = {},
): Promise<void> {
  const stepMs = 100;
  while (!done()) {
    const simulatedMs = Math.max(1, Math.round(pace * stepMs));
    const target = clock.now().getTime() + simulatedMs;
    const marker = setTimeout(() => undefined, simulatedMs);
    try {
      await clock.runUntil(() => done() || clock.now().getTime() >= target, options);
    } finally {
      clearTimeout(marker);
    }
    if (!done()) await realSleep(stepMs);
  }
}

/** Drives simulated time until `done()`: at `pace` simulated seconds per real second, else as fast as it goes. */
export function driveUntil(
  clock: VirtualClock,
  done: () => boolean,
  options: { pace?: number; maxSimulatedSeconds?: number } = {},
): Promise<void> {
  const limit = options.maxSimulatedSeconds !== undefined ? { maxSimulatedSeconds: options.maxSimulatedSeconds } : {};
  return options.pace ? runPaced(clock, done, options.pace, limit) : clock.runUntil(done, limit);
}

/** How an interactive run serves the people who decide its gates. */
export interface InteractiveOptions {
  user: string;
  port?: number;
  /** Simulated seconds per real second, so that the console shows stages running; as fast as possible without. */
  pace?: number;
  /** Called once the local API serves, before any execution starts (tests seed the environment here). */
  onApi?: (api: LocalApi, env: LocalEnvironment) => void | Promise<void>;
  onGate?: (gate: GateWaiting) => void;
  /**
   * Called with the result once every upgrade has ended, while the local API still serves (the console shows the
   * result); the run tears down when it resolves.
   */
  whenEnded?: (result: RunResult) => Promise<void>;
}

/**
 * Makes a local environment interactive: gates wait for people (simulated time holds before their deadlines),
 * who decide through the local HTTP API it starts on 127.0.0.1 (console, approval links); each gate that opens is
 * announced to `onGate`. The caller closes the API.
 */
export async function serveInteractive(env: LocalEnvironment, options: InteractiveOptions): Promise<LocalApi> {
  env.clock.holdForPeople = true;
  const api = await startLocalApi(env, {
    handlers: localFunctions,
    user: options.user,
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
  try {
    await options.onApi?.(api, env);
  } catch (error) {
    await api.close();
    throw error;
  }
  const onGate = options.onGate;
  if (onGate) env.stepFunctions.onEvent((execution, event) => announceGate(env, execution, event, onGate));
  return api;
}

/** Gates of an interactive run wait for people: the policy's `auto` is replaced by people deciding. */
const interactiveApprovals = approvalPolicySchema.parse({ mode: 'people' });

export interface RunResult {
  clusters: ClusterSummary[];
  realSeconds: number;
  simulatedSeconds: number;
  /** Simulated AWS operations with their start and end, for the benchmark's physical limit. */
  operations: ReturnType<LocalEnvironment['world']['account']['operations']>;
  notifications: number;
}

interface Tracker {
  progress: ClusterProgress;
  hopsTotal: number;
  hops: Array<{ from: string; to: string }>;
  /** The node group the progress's node counts were counted on. */
  nodesOf?: string;
}

function applyEvent(tracker: Tracker, event: HistoryEvent, now: number, start: number): void {
  const p = tracker.progress;
  p.simulatedSeconds = (now - start) / 1000;
  if (event.type === 'TaskStateExited' && event.stateName === 'Plan upgrade') {
    const plan = (event.output as { plan?: { hops?: Array<{ from: string; to: string }> } }).plan;
    tracker.hops = plan?.hops ?? [];
    tracker.hopsTotal = tracker.hops.length;
  }
  if (event.type === 'MapIterationStarted' && event.stateName === 'Upgrade one minor version at a time') {
    const hop = tracker.hops[event.mapIndex ?? 0];
    // A hop that only brings lagging nodes up to the control plane's version is no version change.
    const label = hop && (hop.from === hop.to ? `catch-up of the nodes at ${hop.to}` : `${hop.from} → ${hop.to}`);
    if (hop) p.hop = `${(event.mapIndex ?? 0) + 1}/${tracker.hopsTotal} ${label}`;
    p.nodes = undefined;
    tracker.nodesOf = undefined;
  }
  if (
    event.stateName &&
    event.type.endsWith('StateEntered') &&
    event.stateType !== 'Choice' &&
    event.stateType !== 'Map'
  ) {
    // Inside the add-on and node group maps, name the add-on or node group the step is about.
    const input = (event.input ?? {}) as { addon?: string; nodegroup?: string };
    const subject = input.addon ?? input.nodegroup;
    p.stage = subject && !event.stateName.endsWith('done') ? `${event.stateName} ${subject}` : event.stateName;
    // The failure and stop notices say why, as the notification they send does.
    const caught = (event.input as { error?: { Error?: unknown; Cause?: unknown } } | undefined)?.error;
    if (caught && typeof caught.Error === 'string' && event.stateType === 'Task') {
      const cause = plainCause(typeof caught.Cause === 'string' ? caught.Cause : undefined);
      const short = cause.length > 160 ? `${cause.slice(0, 159)}…` : cause;
      p.stage = `${event.stateName}: ${caught.Error}${short ? ` (${short})` : ''}`;
    }
    // Node counts belong to the node group they were counted on: a step about anything else shows none.
    if (input.nodegroup !== tracker.nodesOf) {
      p.nodes = undefined;
      tracker.nodesOf = undefined;
    }
  }
  if (
    event.type === 'TaskStateExited' &&
    (event.stateName === 'Check node group' || event.stateName === 'Upgrade node group')
  ) {
    const progress = (event.output as { progress?: { nodesUpgraded?: number; nodesTotal?: number } }).progress;
    if (progress?.nodesTotal !== undefined) {
      p.nodes = { upgraded: progress.nodesUpgraded ?? 0, total: progress.nodesTotal };
      tracker.nodesOf = (event.output as { nodegroup?: string } | undefined)?.nodegroup ?? tracker.nodesOf;
    }
  }
}

/**
 * Upgrades every cluster of a scenario through the real state machine and handlers in the simulated world,
 * and reports what the simulator (not the code under test) observed: versions, PDB violations, lost pods.
 */
export async function runScenario(
  scenario: Scenario,
  options: {
    onProgress?: (progress: ClusterProgress) => void;
    definitionPath?: string;
    /** Called with the environment after the executions end and before it is torn down (tests look inside). */
    inspect?: (env: LocalEnvironment) => void | Promise<void>;
    /**
     * Gates wait for people, who decide through the local HTTP API (console, approval links) served on
     * 127.0.0.1 while the run lasts; simulated time holds while a gate waits (with `pace`, it passes at that pace
     * and holds before the gate's deadline).
     */
    interactive?: InteractiveOptions;
  } = {},
): Promise<RunResult> {
  const realStart = performance.now();
  const env = await createLocalEnvironment(
    scenario,
    options.definitionPath ? { definitionPath: options.definitionPath } : {},
  );
  let api: LocalApi | undefined;
  try {
    if (options.interactive) api = await serveInteractive(env, options.interactive);
    const start = env.clock.now().getTime();
    const trackers = new Map<string, Tracker>();
    env.stepFunctions.onEvent((execution, event) => {
      const tracker = trackers.get(execution.executionArn);
      if (!tracker) return;
      applyEvent(tracker, event, env.clock.now().getTime(), start);
      tracker.progress.status = execution.status;
      options.onProgress?.({ ...tracker.progress });
    });

    const executions = scenario.clusters.map((cluster) => {
      const parsed = upgradePolicySchema.parse(cluster.policy);
      const policy = options.interactive ? { ...parsed, approvals: interactiveApprovals } : parsed;
      const execution = env.stepFunctions.startExecution({
        name: executionNameFor(cluster.name, policy.target, env.clock.now()),
        // A member account's cluster is named with its account, as dispatch names it (the role is assumed there).
        input: {
          cluster: cluster.name,
          region: cluster.region,
          ...(cluster.accountId ? { accountId: cluster.accountId } : {}),
          policy,
        },
      });
      trackers.set(execution.executionArn, {
        progress: { cluster: cluster.name, stage: 'Starting', simulatedSeconds: 0, status: 'RUNNING' },
        hopsTotal: 0,
        hops: [],
      });
      return { cluster, execution, from: cluster.version };
    });

    let settled = 0;
    for (const e of executions) void e.execution.done.then(() => settled++);
    const pace = options.interactive?.pace;
    await driveUntil(env.clock, () => settled === executions.length, pace ? { pace } : {});

    // A member account's cluster lives in that account's simulated EKS, not the orchestrator's.
    const { cloud } = env.world;
    const accountOf = (name: string) => cloud.accounts.get(cloud.accountOfCluster(name)) ?? cloud.central;
    const clusters: ClusterSummary[] = executions.map(({ cluster, execution, from }) => {
      const kube = env.world.clusters.get(cluster.name)?.kube;
      const stats = kube?.disruptionStats() ?? { pdbViolations: 0, podsLost: 0, incidents: [] };
      const tracker = trackers.get(execution.executionArn);
      if (tracker) {
        tracker.progress.status = execution.status;
        options.onProgress?.({ ...tracker.progress, stage: execution.status === 'SUCCEEDED' ? 'Done' : 'Stopped' });
      }
      const plan = (execution.history.find((h) => h.type === 'TaskStateExited' && h.stateName === 'Plan upgrade')
        ?.output ?? {}) as {
        plan?: { toVersion?: string };
      };
      return {
        name: cluster.name,
        fromVersion: from,
        toVersion: plan.plan?.toVersion ?? cluster.policy.target,
        status: execution.status,
        controlPlaneVersion: accountOf(cluster.name).clusterVersion(cluster.name),
        kubeletVersions: kube ? [...new Set(kube.kubeletVersions())].sort() : [],
        addons: Object.entries(accountOf(cluster.name).addonVersions(cluster.name))
          .map(([name, version]) => ({ name, version }))
          .sort((a, b) => a.name.localeCompare(b.name)),
        pdbViolations: stats.pdbViolations,
        podsLost: stats.podsLost,
        simulatedSeconds:
          ((execution.stopDate?.getTime() ?? env.clock.now().getTime()) - execution.startDate.getTime()) / 1000,
        executionArn: execution.executionArn,
        ...(execution.error ? { error: execution.error, cause: execution.cause } : {}),
        ...(stats.incidents.length ? { incidents: stats.incidents } : {}),
        approvals: execution.history.map(decisionOf).filter(isDecision),
      };
    });
    await options.inspect?.(env);
    const result: RunResult = {
      clusters,
      realSeconds: (performance.now() - realStart) / 1000,
      simulatedSeconds: env.clock.elapsedSeconds(),
      operations: env.world.account.operations(),
      notifications: env.world.account.published.length,
    };
    await options.interactive?.whenEnded?.(result);
    return result;
  } finally {
    await api?.close();
    await env.close();
  }
}

/**
 * The approval decision an event records, if any: a gate's output (approved), a rejection's cause, or the
 * policy approving a gate on timeout.
 */
function decisionOf(event: HistoryEvent): unknown {
  if (event.type === 'TaskSucceeded') return event.output;
  if (event.type === 'TaskFailed' && event.error === 'ApprovalRejected') {
    try {
      return (JSON.parse(event.cause ?? '') as { decision?: unknown }).decision;
    } catch {
      return undefined;
    }
  }
  if (event.type === 'TaskStateExited' && event.stateName?.endsWith('timed out')) {
    const approvals = (event.output as { approvals?: Record<string, unknown> } | undefined)?.approvals ?? {};
    return Object.values(approvals).find((d) => isDecision(d) && d.approver === 'policy:on-timeout');
  }
  return undefined;
}

/** Tells the person running an interactive demo that a gate waits, with the links its email carries. */
function announceGate(
  env: LocalEnvironment,
  execution: LocalExecution,
  event: HistoryEvent,
  onGate: (gate: GateWaiting) => void,
): void {
  if (event.type !== 'TaskSubmitted') return;
  const opened = (event.output as { Payload?: { gateId?: string; gate?: string; expiresAt?: string } }).Payload;
  if (!opened?.gateId) return;
  const input = execution.input as { cluster?: string };
  const scheduled = execution.history.findLast((h) => h.type === 'TaskScheduled');
  const hop = (scheduled?.parameters as { Payload?: { hop?: { from?: string; to?: string } } } | undefined)?.Payload
    ?.hop;
  const email = env.world.account.published.findLast(
    (m) =>
      m.attributes.kind?.StringValue === 'approval-requested' && m.attributes.cluster?.StringValue === input.cluster,
  );
  const link = (label: string) => new RegExp(`^${label}:\\s+(\\S+)$`, 'm').exec(email?.message ?? '')?.[1];
  const approveUrl = link('Approve');
  const rejectUrl = link('Reject');
  onGate({
    cluster: input.cluster ?? '',
    executionName: execution.name,
    gate: opened.gate ?? '',
    gateId: opened.gateId,
    hop: hop ? `${hop.from} → ${hop.to}` : '',
    expiresAt: opened.expiresAt ?? '',
    ...(approveUrl ? { approveUrl } : {}),
    ...(rejectUrl ? { rejectUrl } : {}),
  });
}
