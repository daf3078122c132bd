import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { type ApprovalDecision, executionArnPrefix, gateIdFor, gateRequestSchema } from '../approvals/index.js';
import type { Hop } from '../planning/index.js';
import { type FailureAdvice, failureAdvice, plainCause } from './execution-failure.js';
import { type AwsLink, executionLinks } from './links.js';

export type StageStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';
export type StageKind =
  | 'readiness'
  | 'gate'
  | 'window'
  | 'control-plane'
  | 'addons'
  | 'nodegroup'
  | 'validation'
  | 'other';

/** One stage of a hop, as the timeline shows it. */
export interface StageView {
  /** Unique in the hop: `readiness`, `gate:before-hop`, `window`, `control-plane`, `addons`, `nodegroup:<name>`, ... */
  id: string;
  kind: StageKind;
  label: string;
  status: StageStatus;
  startedAt?: string;
  /** When it finished (or stopped); absent while running. */
  endedAt?: string;
  /** Until `endedAt`, or until now while it runs. */
  durationSeconds?: number;
  /** The step it is at while it runs, in the state machine's words (`Wait for control plane`). */
  step?: string;
  /** A short note: blockers found, the add-on being updated, why it was skipped. */
  detail?: string;
  /** Node groups: nodes on the hop's version of all nodes. Add-ons: add-ons done of those in the hop. */
  progress?: { done: number; total: number };
  /** Node groups while they rotate: the old nodes being emptied, what is left on each, what holds it there. */
  draining?: DrainingNodeView[];
}

export interface DrainingNodeView {
  node: string;
  podsLeft: number;
  cordoned: boolean;
  heldBy: Array<{ pod: string; budget: string; budgetDetail: string }>;
}

function drainingView(raw: unknown): DrainingNodeView[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.slice(0, 20).flatMap((d) => {
    const n = record(d);
    if (!n || typeof n.node !== 'string') return [];
    const heldBy = (Array.isArray(n.heldBy) ? n.heldBy : []).slice(0, 20).flatMap((h) => {
      const b = record(h);
      return b && typeof b.pod === 'string' && typeof b.budget === 'string'
        ? [{ pod: b.pod, budget: b.budget, budgetDetail: typeof b.budgetDetail === 'string' ? b.budgetDetail : '' }]
        : [];
    });
    return [{ node: n.node, podsLeft: Number(n.podsLeft ?? 0), cordoned: n.cordoned === true, heldBy }];
  });
}

export interface ReadinessFindingView {
  id?: string;
  severity: string;
  message?: string;
  fix?: string;
  objects: string[];
  /** Objects beyond those listed. */
  moreObjects: number;
  hard?: boolean;
}

export interface ReadinessView {
  blockers: number;
  warnings: number;
  /** Blockers first, then warnings, then the rest. */
  findings: ReadinessFindingView[];
}

export interface HopView {
  index: number;
  from: string;
  to: string;
  status: StageStatus;
  startedAt?: string;
  endedAt?: string;
  stages: StageView[];
  readiness?: ReadinessView;
}

export interface ApprovalView {
  /** The gate's public id (a digest of its task token). */
  id: string;
  gate: string;
  label: string;
  hop: { index: number; from: string; to: string };
  status: 'waiting' | 'approved' | 'rejected' | 'timed-out' | 'not-offered' | 'closed';
  requestedAt: string;
  expiresAt: string;
  approver?: string;
  channel?: string;
  decidedAt?: string;
  comment?: string;
  /** While it waits: where the console POSTs a decision. */
  decide?: string;
}

export interface FailureView extends FailureAdvice {
  error: string;
  /** The cause in plain words (Lambda's JSON unwrapped). */
  cause: string;
  hop?: { index: number; from: string; to: string };
  stage?: string;
}

/** Everything the execution page shows, computed from DescribeExecution and GetExecutionHistory. */
export interface ExecutionDetail {
  name: string;
  executionArn: string;
  cluster?: string;
  region?: string;
  accountId?: string;
  from?: string;
  to?: string;
  status: string;
  startedAt?: string;
  stoppedAt?: string;
  durationSeconds?: number;
  /** The instant the view was computed (running durations count up to it). */
  now: string;
  /** Where the upgrade is now, while it runs. */
  current?: { hop?: number; stage?: string; step: string };
  hops: HopView[];
  approvals: ApprovalView[];
  failure?: FailureView;
  /** The history was longer than the console reads; the view covers its beginning. */
  truncated?: boolean;
  /** Where AWS shows it: the Step Functions console, its task logs, the state machine's log group. */
  links: AwsLink[];
  /** What a person may do with it now from the console. */
  actions: Array<'stop' | 'retry'>;
}

/** A history event with its details unpacked: the one shape the rest of this module reads. */
interface Event {
  at: Date;
  type: string;
  name?: string;
  index?: number;
  input?: Record<string, unknown>;
  output?: Record<string, unknown>;
  error?: string;
  cause?: string;
  parameters?: Record<string, unknown>;
  resource?: string;
  timeoutInSeconds?: number;
}

/** GetExecutionHistory returns at most 1000 events a page; a long upgrade has a few thousand. */
const maxEvents = 25_000;
const hopMap = 'Upgrade one minor version at a time';
const addonMap = 'Upgrade add-ons';
const nodegroupMap = 'Rotate node groups';

const record = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

function parse(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    return record(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function unpack(e: HistoryEvent): Event {
  const at = e.timestamp ?? new Date(0);
  const type = e.type ?? 'Unknown';
  const entered = e.stateEnteredEventDetails;
  if (entered) return { at, type, ...(entered.name ? { name: entered.name } : {}), input: parse(entered.input) ?? {} };
  const exited = e.stateExitedEventDetails;
  if (exited) return { at, type, ...(exited.name ? { name: exited.name } : {}), output: parse(exited.output) ?? {} };
  const iteration =
    e.mapIterationStartedEventDetails ??
    e.mapIterationSucceededEventDetails ??
    e.mapIterationFailedEventDetails ??
    e.mapIterationAbortedEventDetails;
  if (iteration) return { at, type, ...(iteration.name ? { name: iteration.name } : {}), index: iteration.index ?? 0 };
  const scheduled = e.taskScheduledEventDetails;
  if (scheduled)
    return {
      at,
      type,
      resource: `${scheduled.resourceType}:${scheduled.resource}`,
      parameters: parse(scheduled.parameters) ?? {},
      ...(scheduled.timeoutInSeconds ? { timeoutInSeconds: scheduled.timeoutInSeconds } : {}),
    };
  const succeeded = e.taskSucceededEventDetails;
  if (succeeded) return { at, type, output: parse(succeeded.output) ?? {} };
  const failed =
    e.taskFailedEventDetails ??
    e.taskTimedOutEventDetails ??
    e.taskStartFailedEventDetails ??
    e.taskSubmitFailedEventDetails ??
    e.lambdaFunctionFailedEventDetails ??
    e.executionFailedEventDetails;
  if (failed)
    return {
      at,
      type,
      ...(failed.error ? { error: failed.error } : {}),
      ...(failed.cause ? { cause: failed.cause } : {}),
    };
  return { at, type };
}

async function readHistory(sfn: SFNClient, executionArn: string): Promise<{ events: Event[]; truncated: boolean }> {
  const events: Event[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        includeExecutionData: true,
        maxResults: 1000,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    for (const e of page.events ?? []) events.push(unpack(e));
    nextToken = page.nextToken;
  } while (nextToken && events.length < maxEvents);
  return { events, truncated: Boolean(nextToken) };
}

/** A hop as the plan task returned it (read back from the execution history). */
type PlannedHop = Hop;

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

function plannedHops(plan: Record<string, unknown> | undefined): PlannedHop[] {
  const hops = Array.isArray(plan?.hops) ? plan.hops : [];
  return hops.flatMap((raw, i) => {
    const h = record(raw);
    if (!h || typeof h.from !== 'string' || typeof h.to !== 'string') return [];
    return [
      {
        index: typeof h.index === 'number' ? h.index : i + 1,
        from: h.from,
        to: h.to,
        controlPlane: h.controlPlane !== false,
        addons: strings(h.addons),
        nodegroups: strings(h.nodegroups),
      },
    ];
  });
}

/** The stage a state of the hop belongs to; undefined for routing choices, which belong to none. */
function stageOf(name: string, subject: { nodegroup?: string }): { id: string; kind: StageKind } | undefined {
  switch (name) {
    case 'Check readiness':
    case 'Readiness blocked?':
      return { id: 'readiness', kind: 'readiness' };
    case 'Override readiness blockers':
    case 'Readiness override timed out':
      return { id: 'gate:override-readiness', kind: 'gate' };
    case 'Approve hop':
    case 'Hop approval timed out':
      return { id: 'gate:before-hop', kind: 'gate' };
    case 'Check maintenance window':
    case 'Maintenance window open?':
    case 'Wait for maintenance window':
      return { id: 'window', kind: 'window' };
    case 'Upgrade control plane':
    case 'Control plane upgraded?':
    case 'Wait for control plane':
    case 'Check control plane':
      return { id: 'control-plane', kind: 'control-plane' };
    case addonMap:
    case 'Upgrade add-on':
    case 'Add-on upgraded?':
    case 'Wait for add-on':
    case 'Check add-on':
    case 'Add-on done':
      return { id: 'addons', kind: 'addons' };
    case 'Recheck readiness':
    case 'Approve node rotation':
    case 'Node rotation approval timed out':
      return { id: 'gate:before-nodes', kind: 'gate' };
    case 'Upgrade node group':
    case 'Node group rotated?':
    case 'Wait for node group':
    case 'Check node group':
    case 'Node group done':
      return subject.nodegroup ? { id: `nodegroup:${subject.nodegroup}`, kind: 'nodegroup' } : undefined;
    case 'Validate hop':
    case 'Notify hop done':
      return { id: 'validation', kind: 'validation' };
    case nodegroupMap:
    // The end of a hop's iteration (after its notification, sent or not): no stage of its own.
    case 'Hop done':
      return undefined;
    default:
      // A state this page does not know (a maintenance-window wait, say) still shows, under its own name.
      return name.endsWith('?') ? undefined : { id: `other:${name}`, kind: 'other' };
  }
}

/** Order of the stages in a hop; node groups share a rank (they may rotate side by side). */
const rank: Record<StageKind, number> = {
  readiness: 0,
  gate: 1,
  window: 2,
  other: 2,
  'control-plane': 3,
  addons: 4,
  nodegroup: 6,
  validation: 7,
};
const rankOf = (s: StageState): number =>
  s.id === 'gate:before-nodes' ? 5 : s.id === 'gate:override-readiness' ? 0.5 : rank[s.kind];

interface StageState {
  id: string;
  kind: StageKind;
  label: string;
  firstAt?: Date;
  lastAt?: Date;
  /** The last event of the stage entered a state (it is at that step) rather than left one. */
  inside: boolean;
  step?: string;
  done: boolean;
  failed: boolean;
  detail?: string;
  progress?: { done: number; total: number };
  draining?: DrainingNodeView[];
  /** Shown only once it matters (a maintenance-window check of a policy without windows is not). */
  optional?: boolean;
}

interface HopState {
  hop: PlannedHop;
  startedAt?: Date;
  endedAt?: Date;
  outcome?: 'succeeded' | 'failed';
  stages: StageState[];
  readiness?: Record<string, unknown>;
}

const gateStageLabels: Record<string, string> = {
  'gate:override-readiness': 'Readiness override',
  'gate:before-hop': 'Approval before the hop',
  'gate:before-nodes': 'Approval before node rotation',
};

function stageLabel(id: string, hop: PlannedHop): string {
  if (gateStageLabels[id]) return gateStageLabels[id] as string;
  if (id === 'readiness') return 'Readiness';
  if (id === 'window') return 'Maintenance window';
  if (id === 'control-plane') return `Control plane ${hop.from} → ${hop.to}`;
  if (id === 'addons') return 'Add-ons';
  if (id === 'validation') return 'Validation';
  if (id.startsWith('nodegroup:automode:')) {
    return `EKS Auto Mode NodePool ${id.slice('nodegroup:automode:'.length)} (AWS replaces the nodes)`;
  }
  if (id.startsWith('nodegroup:')) return `Node group ${id.slice('nodegroup:'.length)}`;
  return id.replace(/^other:/, '');
}

function newHopState(hop: PlannedHop, policy: Record<string, unknown> | undefined): HopState {
  const gates = record(record(policy?.approvals)?.gates) ?? {};
  const windows = [policy?.maintenanceWindows, policy?.exclusions].some((w) => Array.isArray(w) && w.length > 0);
  const ids = [
    'readiness',
    ...(gates.beforeHop === false ? [] : ['gate:before-hop']),
    ...(windows && hop.controlPlane ? ['window'] : []),
    'control-plane',
    'addons',
    ...(gates.beforeNodes === false ? [] : ['gate:before-nodes']),
    ...hop.nodegroups.map((n) => `nodegroup:${n}`),
    'validation',
  ];
  const stages = ids.map((id) => blankStage(id, hop));
  const addons = stages.find((s) => s.id === 'addons');
  if (addons) addons.progress = { done: 0, total: hop.addons.length };
  return { hop, stages };
}

function blankStage(id: string, hop: PlannedHop): StageState {
  const kind: StageKind = id.startsWith('gate:')
    ? 'gate'
    : id.startsWith('nodegroup:')
      ? 'nodegroup'
      : id.startsWith('other:')
        ? 'other'
        : (id as StageKind);
  return { id, kind, label: stageLabel(id, hop), inside: false, done: false, failed: false };
}

function stageFor(hop: HopState, id: string, kind: StageKind): StageState {
  let stage = hop.stages.find((s) => s.id === id);
  if (!stage) {
    stage = blankStage(id, hop.hop);
    stage.kind = kind;
    if (kind === 'window') stage.optional = true;
    hop.stages.push(stage);
  }
  return stage;
}

function touch(stage: StageState, at: Date): void {
  stage.firstAt ??= at;
  stage.lastAt = at;
}

/** Applies one event inside a hop to its stages. */
function applyHopEvent(hop: HopState, e: Event): void {
  if (e.name === addonMap && e.index !== undefined) {
    const stage = stageFor(hop, 'addons', 'addons');
    touch(stage, e.at);
    if (e.type === 'MapIterationSucceeded' && stage.progress) stage.progress.done++;
    if (e.type === 'MapIterationFailed') stage.failed = true;
    return;
  }
  if (e.name === nodegroupMap && e.index !== undefined) {
    const nodegroup = hop.hop.nodegroups[e.index];
    if (!nodegroup) return;
    const stage = stageFor(hop, `nodegroup:${nodegroup}`, 'nodegroup');
    touch(stage, e.at);
    if (e.type === 'MapIterationSucceeded') stage.done = true;
    if (e.type === 'MapIterationFailed') stage.failed = true;
    return;
  }
  if (!e.name) return;
  const entered = e.type.endsWith('StateEntered');
  const exited = e.type.endsWith('StateExited');
  if (!entered && !exited) return;
  const data = (entered ? e.input : e.output) ?? {};
  const nodegroup = typeof data.nodegroup === 'string' ? data.nodegroup : undefined;
  const owner = stageOf(e.name, nodegroup ? { nodegroup } : {});
  if (!owner) return;
  const stage = stageFor(hop, owner.id, owner.kind);
  touch(stage, e.at);
  stage.inside = entered;
  const addon = typeof data.addon === 'string' ? data.addon : undefined;
  if (entered && !e.name.endsWith('?') && e.type !== 'MapStateEntered')
    stage.step = addon && !e.name.endsWith('done') ? `${e.name} ${addon}` : e.name;
  if (owner.kind === 'addons' && addon && entered) stage.detail = `updating ${addon}`;
  if (e.name === addonMap && exited) stage.done = true;
  // The readiness check just before the node rotation gate opens it; it does not close it.
  if (owner.kind === 'gate' && exited && e.name !== 'Recheck readiness') stage.done = true;
  if (e.name === 'Check readiness' && exited) {
    const readiness = record(data.readiness);
    if (readiness) {
      hop.readiness = readiness;
      const blockers = Number(readiness.blockers ?? 0);
      const warnings = Number(readiness.warnings ?? 0);
      stage.detail = `${blockers} blocker${blockers === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
    }
    stage.done = true;
  }
  if (owner.kind === 'nodegroup' && exited) {
    const progress = record(data.progress);
    if (typeof progress?.nodesTotal === 'number')
      stage.progress = { done: Number(progress.nodesUpgraded ?? 0), total: progress.nodesTotal };
    if (typeof progress?.detail === 'string') stage.detail = progress.detail;
    const draining = drainingView(progress?.draining);
    if (draining?.length) stage.draining = draining;
    else delete stage.draining;
  }
  if (e.name === 'Wait for maintenance window' && entered) stage.optional = false;
  if (owner.kind === 'window' && exited && typeof record(data.window)?.reason === 'string')
    stage.detail = String(record(data.window)?.reason);
  if (owner.kind === 'control-plane' && exited) {
    const progress = record(data.controlPlane);
    if (typeof progress?.detail === 'string') stage.detail = progress.detail;
  }
}

function stageStatus(hop: HopState, stage: StageState, executionRunning: boolean): StageStatus {
  const laterStarted = hop.stages.some((s) => s.firstAt && rankOf(s) > rankOf(stage));
  if (!stage.firstAt) {
    // Passed over by the plan or the policy, or never reached because the upgrade ended first.
    if (hop.outcome === 'succeeded' || laterStarted || !executionRunning) return 'skipped';
    return 'pending';
  }
  if (stage.failed) return 'failed';
  if (stage.kind === 'readiness' && hop.outcome === 'failed' && Number(hop.readiness?.blockers ?? 0) > 0) {
    // Blockers stopped the hop before anything changed.
    if (!hop.stages.some((s) => s.firstAt && rankOf(s) >= rank['control-plane'])) return 'failed';
  }
  if (stage.done || hop.outcome === 'succeeded' || (laterStarted && stage.kind !== 'nodegroup')) return 'succeeded';
  if (!executionRunning || hop.outcome === 'failed') return 'failed';
  return 'running';
}

const seconds = (from: Date, to: Date): number => Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

const severityOrder = (s: string): number => (s === 'blocker' ? 0 : s === 'warning' ? 1 : 2);

/** The readiness report as the page shows it: blockers first, each finding's objects bounded. */
export function readinessView(raw: Record<string, unknown>): ReadinessView {
  const findings = (Array.isArray(raw.findings) ? raw.findings : [])
    .map(record)
    .filter((f): f is Record<string, unknown> => f !== undefined)
    .slice(0, 500)
    .map((f) => {
      const objects = strings(f.objects);
      const total = typeof f.total === 'number' ? Math.max(f.total, objects.length) : objects.length;
      const shown = objects.slice(0, 20);
      return {
        ...(typeof f.id === 'string' ? { id: f.id } : {}),
        severity: typeof f.severity === 'string' ? f.severity : 'info',
        ...(typeof f.message === 'string' ? { message: f.message } : {}),
        ...(typeof f.fix === 'string' ? { fix: f.fix } : {}),
        objects: shown,
        moreObjects: total - shown.length,
        ...(f.hard === true ? { hard: true } : {}),
      };
    })
    .sort((a, b) => severityOrder(a.severity) - severityOrder(b.severity));
  return { blockers: Number(raw.blockers ?? 0), warnings: Number(raw.warnings ?? 0), findings };
}

interface GateState {
  view: ApprovalView;
  open: boolean;
}

const approvalKeys: Record<string, string> = {
  'before-hop': 'hop',
  'before-nodes': 'nodes',
  'override-readiness': 'override',
};

function isDecision(value: unknown): value is ApprovalDecision {
  const d = record(value);
  return typeof d?.approver === 'string' && typeof d.channel === 'string' && typeof d.decidedAt === 'string';
}

function decided(view: ApprovalView, decision: ApprovalDecision): void {
  view.status = decision.approved ? 'approved' : 'rejected';
  view.approver = decision.approver;
  view.channel = decision.channel;
  view.decidedAt = decision.decidedAt;
  if (decision.comment) view.comment = decision.comment;
}

/** Reads the approval gates from the Task* events of `lambda:invoke.waitForTaskToken` tasks. */
function applyGateEvent(gates: GateState[], e: Event, executionName: string): void {
  const current = gates.at(-1);
  if (e.type === 'TaskScheduled' && e.resource === 'lambda:invoke.waitForTaskToken') {
    const payload = record(e.parameters?.Payload);
    const parsed = gateRequestSchema.safeParse(payload);
    if (!parsed.success || typeof payload?.taskToken !== 'string') return;
    const r = parsed.data;
    const id = gateIdFor(payload.taskToken);
    gates.push({
      open: true,
      view: {
        id,
        gate: r.gate,
        label: gateStageLabels[`gate:${r.gate}`] ?? r.gate,
        hop: { index: r.hop.index, from: r.hop.from, to: r.hop.to },
        status: 'waiting',
        requestedAt: e.at.toISOString(),
        expiresAt: new Date(e.at.getTime() + (e.timeoutInSeconds ?? 99_999_999) * 1000).toISOString(),
        decide: `/api/approvals/${encodeURIComponent(executionName)}/${id}`,
      },
    });
    return;
  }
  if (!current?.open) {
    // A gate that timed out is closed by its "... timed out" state: approved on record, or ApprovalTimedOut.
    if (current?.view.status === 'timed-out' && e.type === 'TaskStateExited') {
      const decision = record(e.output?.approvals)?.[approvalKeys[current.view.gate] ?? ''];
      if (isDecision(decision)) decided(current.view, decision);
    }
    return;
  }
  const close = () => {
    current.open = false;
    delete current.view.decide;
  };
  if (e.type === 'TaskSucceeded') {
    close();
    if (isDecision(e.output)) decided(current.view, e.output);
    else current.view.status = 'closed';
  } else if (e.type === 'TaskFailed') {
    close();
    const decision = record(parse(e.cause))?.decision;
    if (e.error === 'ApprovalRejected' && isDecision(decision)) decided(current.view, decision);
    else current.view.status = e.error === 'ReadinessBlocked' ? 'not-offered' : 'closed';
  } else if (e.type === 'TaskTimedOut') {
    close();
    current.view.status = 'timed-out';
  } else if (e.type === 'TaskStartFailed' || e.type === 'TaskSubmitFailed') {
    close();
    current.view.status = 'closed';
  }
}

/**
 * The execution page's view of one upgrade: per hop, its stages in order with status, start and duration, node
 * rotation progress, the readiness report, the approvals with who decided how and when, and on failure the
 * cause in plain words with what to do next. Undefined when the state machine has no execution of that name.
 */
export async function executionDetail(
  deps: { sfn: SFNClient; now?: () => Date },
  request: { stateMachineArn: string; executionName: string },
): Promise<ExecutionDetail | undefined> {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(request.executionName)) return undefined;
  const executionArn = `${executionArnPrefix(request.stateMachineArn)}${request.executionName}`;
  let described: DescribeExecutionCommandOutput;
  try {
    described = await deps.sfn.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return undefined;
    throw error;
  }
  const { events, truncated } = await readHistory(deps.sfn, executionArn);
  return buildDetail(described, events, {
    now: deps.now?.() ?? new Date(),
    executionName: request.executionName,
    truncated,
  });
}

function buildDetail(
  described: DescribeExecutionCommandOutput,
  events: Event[],
  options: { now: Date; executionName: string; truncated: boolean },
): ExecutionDetail {
  const status = described.status ?? 'UNKNOWN';
  const running = status === 'RUNNING';
  const input = parse(described.input) ?? {};
  const end = described.stopDate ?? options.now;
  let plan: Record<string, unknown> | undefined;
  let hops: HopState[] = [];
  let hop: HopState | undefined;
  const gates: GateState[] = [];
  let current: ExecutionDetail['current'];

  for (const e of events) {
    applyGateEvent(gates, e, options.executionName);
    if (e.type === 'TaskStateExited' && e.name === 'Plan upgrade') {
      plan = record(e.output?.plan);
      hops = plannedHops(plan).map((h) => newHopState(h, record(plan?.policy)));
      continue;
    }
    if (e.name === hopMap && e.index !== undefined) {
      const target = hops[e.index];
      if (!target) continue;
      if (e.type === 'MapIterationStarted') {
        target.startedAt = e.at;
        hop = target;
      } else {
        target.endedAt = e.at;
        target.outcome = e.type === 'MapIterationSucceeded' ? 'succeeded' : 'failed';
        hop = undefined;
      }
      continue;
    }
    if (
      e.type.endsWith('StateEntered') &&
      e.name &&
      !e.name.endsWith('?') &&
      e.type !== 'MapStateEntered' &&
      e.type !== 'SucceedStateEntered'
    ) {
      const stage =
        hop && e.name
          ? stageOf(e.name, { ...(e.input?.nodegroup ? { nodegroup: String(e.input.nodegroup) } : {}) })
          : undefined;
      current = {
        ...(hop ? { hop: hop.hop.index } : {}),
        ...(hop && stage ? { stage: stageLabel(stage.id, hop.hop) } : {}),
        step: typeof e.input?.addon === 'string' ? `${e.name} ${e.input.addon}` : e.name,
      };
    }
    if (hop) applyHopEvent(hop, e);
  }

  const hopViews = hops.map((h): HopView => {
    const stages = h.stages
      .filter((s) => !s.optional)
      .sort((a, b) => rankOf(a) - rankOf(b) || stageOrder(h, a) - stageOrder(h, b));
    const views = stages.map((s): StageView => {
      const st = stageStatus(h, s, running);
      const finished = st === 'succeeded' || st === 'failed';
      const until = finished
        ? s.done || st === 'failed'
          ? (s.lastAt ?? end)
          : (nextStart(h, s) ?? s.lastAt ?? end)
        : end;
      const notReached = st === 'skipped' && !running && h.outcome !== 'succeeded' && !nextStart(h, s);
      const detail = notReached
        ? 'not reached: the upgrade ended before'
        : st === 'skipped' && s.kind === 'control-plane'
          ? `already at ${h.hop.to}: node groups catch up`
          : st === 'running' && s.kind === 'gate'
            ? 'waiting for a decision'
            : s.kind === 'addons' && st !== 'running'
              ? h.hop.addons.join(', ') || 'no add-ons to update'
              : s.detail;
      return {
        id: s.id,
        kind: s.kind,
        label: s.label,
        status: st,
        ...(s.firstAt ? { startedAt: s.firstAt.toISOString() } : {}),
        ...(s.firstAt && finished ? { endedAt: until.toISOString() } : {}),
        ...(s.firstAt && (finished || st === 'running') ? { durationSeconds: seconds(s.firstAt, until) } : {}),
        ...(st === 'running' && s.step ? { step: s.step } : {}),
        ...(detail ? { detail } : {}),
        ...(s.progress ? { progress: { ...s.progress } } : {}),
        ...(st === 'running' && s.draining ? { draining: s.draining } : {}),
      };
    });
    const hopStatus: StageStatus =
      h.outcome ?? (h.startedAt ? (running ? 'running' : 'failed') : running ? 'pending' : 'skipped');
    return {
      index: h.hop.index,
      from: h.hop.from,
      to: h.hop.to,
      status: hopStatus,
      ...(h.startedAt ? { startedAt: h.startedAt.toISOString() } : {}),
      ...(h.endedAt ? { endedAt: h.endedAt.toISOString() } : {}),
      stages: views,
      ...(h.readiness ? { readiness: readinessView(h.readiness) } : {}),
    };
  });

  const approvals = gates.map((g) => {
    if (g.open && !running) {
      g.view.status = 'closed';
      delete g.view.decide;
    }
    return g.view;
  });
  const failure = status === 'SUCCEEDED' || running ? undefined : failureView(described, hopViews, approvals);
  const cluster = typeof input.cluster === 'string' ? input.cluster : undefined;
  const region = typeof input.region === 'string' ? input.region : undefined;
  const accountId =
    typeof plan?.accountId === 'string'
      ? plan.accountId
      : typeof input.accountId === 'string'
        ? input.accountId
        : undefined;
  const target = typeof record(input.policy)?.target === 'string' ? String(record(input.policy)?.target) : undefined;
  const to = typeof plan?.toVersion === 'string' ? plan.toVersion : target;
  return {
    name: described.name ?? options.executionName,
    executionArn: described.executionArn ?? '',
    ...(cluster ? { cluster } : {}),
    ...(region ? { region } : {}),
    ...(accountId ? { accountId } : {}),
    ...(typeof plan?.fromVersion === 'string' ? { from: plan.fromVersion } : {}),
    ...(to ? { to } : {}),
    status,
    ...(described.startDate ? { startedAt: described.startDate.toISOString() } : {}),
    ...(described.stopDate ? { stoppedAt: described.stopDate.toISOString() } : {}),
    ...(described.startDate ? { durationSeconds: seconds(described.startDate, end) } : {}),
    now: options.now.toISOString(),
    ...(running && current ? { current } : {}),
    hops: hopViews,
    approvals,
    ...(failure ? { failure } : {}),
    ...(options.truncated ? { truncated: true } : {}),
    links: described.executionArn
      ? executionLinks(described.executionArn, {
          ...(described.startDate ? { startedAt: described.startDate.toISOString() } : {}),
          ...(described.stopDate ? { stoppedAt: described.stopDate.toISOString() } : {}),
          now: options.now.toISOString(),
        })
      : [],
    actions: running ? ['stop'] : status === 'SUCCEEDED' ? [] : ['retry'],
  };
}

/** Node groups keep the plan's order; other stages of one rank, the order they started in. */
function stageOrder(hop: HopState, s: StageState): number {
  if (s.kind === 'nodegroup') return hop.hop.nodegroups.indexOf(s.id.slice('nodegroup:'.length));
  return s.firstAt?.getTime() ?? Number.MAX_SAFE_INTEGER;
}

/** A stage that ended because the next one started ends when that one started. */
function nextStart(hop: HopState, s: StageState): Date | undefined {
  const later = hop.stages
    .filter((o) => o.firstAt && rankOf(o) > rankOf(s) && o.firstAt.getTime() >= (s.firstAt?.getTime() ?? 0))
    .map((o) => o.firstAt as Date)
    .sort((a, b) => a.getTime() - b.getTime());
  return later[0];
}

function failureView(
  described: DescribeExecutionCommandOutput,
  hops: HopView[],
  approvals: ApprovalView[],
): FailureView {
  const error = described.error ?? (described.status === 'ABORTED' ? 'Aborted' : (described.status ?? 'Failed'));
  const cause = plainCause(described.cause);
  const failedHop = hops.find((h) => h.status === 'failed');
  const failedStage = failedHop?.stages.find((s) => s.status === 'failed');
  const rejected = error === 'ApprovalRejected' ? approvals.findLast((a) => a.status === 'rejected') : undefined;
  const advice = failureAdvice(error, cause, {
    ...(failedHop ? { hop: `${failedHop.from} → ${failedHop.to}` } : {}),
    ...(failedStage ? { stage: failedStage.label } : {}),
    ...(rejected?.approver && rejected.channel && rejected.decidedAt
      ? {
          decision: {
            approver: rejected.approver,
            channel: rejected.channel,
            decidedAt: rejected.decidedAt,
            gate: rejected.gate,
            ...(rejected.comment ? { comment: rejected.comment } : {}),
          },
        }
      : {}),
  });
  return {
    error,
    cause: described.status === 'ABORTED' && !cause ? 'The execution was stopped by hand (StopExecution).' : cause,
    ...advice,
    ...(failedHop ? { hop: { index: failedHop.index, from: failedHop.from, to: failedHop.to } } : {}),
    ...(failedStage ? { stage: failedStage.label } : {}),
  };
}
