import { nextOpening, windowState } from '../fleet/windows.js';
import {
  compareMinor,
  daysUntilEndOfStandardSupport,
  extendedSupportCostAvoided,
  minorsBetween,
  type VersionSupport,
} from '../versions/index.js';
import type { GroupPolicy } from './policy-file.js';
import { formatDuration, type WaveGate } from './waves.js';

const DAY = 86_400_000;

/** What dispatch decides for an enrolled cluster before it starts anything. */
export type ClusterDecisionKind =
  | 'nothing-to-do'
  | 'already-running'
  | 'wait-wave'
  | 'wait-window'
  | 'wait-exclusion'
  | 'would-start';

export interface ClusterDecision {
  decision: ClusterDecisionKind;
  reason: string;
  /** Minor versions the hops land on, in order. */
  hops: string[];
  daysLeft?: number;
  plannedStart?: Date;
  atRisk?: boolean;
  extendedSupportCostAvoidedUsd?: number;
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const minute = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The instant the policy's start rule allows an upgrade from (asap: now; otherwise N days before end of support). */
function startAllowedFrom(group: GroupPolicy, support: VersionSupport | undefined, at: Date): Date {
  if (group.start === 'asap' || !support) return at;
  const from = new Date(support.endOfStandardSupport.getTime() - group.start.daysBeforeEndOfSupport * DAY);
  return from > at ? from : at;
}

/**
 * Decides what to do with one enrolled cluster at `at`, from facts gathered by dispatch: its version and target,
 * its policy group, the support dates of its version, a running execution, and its wave. Pure: no calls, no clock.
 * Throws InvalidPolicy when the group's maintenance schedule is invalid (the policy file check prevents it).
 */
export function decideCluster(facts: {
  at: Date;
  version: string;
  target: { version: string; reason: string };
  group: GroupPolicy;
  support?: VersionSupport;
  runningExecution?: string;
  wave: WaveGate;
  /**
   * The control plane is at the target but some nodes are not (an upgrade stopped during node rotation): what lags.
   * The upgrade resumes with a catch-up hop, inside a window; its wave already let it through.
   */
  catchUp?: string;
}): ClusterDecision {
  const { at, version, target, group, support } = facts;
  const atTarget = compareMinor(version, target.version) >= 0;
  const catchUp = atTarget ? facts.catchUp : undefined;
  const hops = catchUp ? [version] : minorsBetween(version, target.version);
  const base = support ? { daysLeft: daysUntilEndOfStandardSupport(support, at) } : {};
  if (atTarget && !catchUp) {
    return { ...base, decision: 'nothing-to-do', hops: [], reason: `already on ${version} (${target.reason})` };
  }
  if (facts.runningExecution) {
    return {
      ...base,
      decision: 'already-running',
      hops,
      reason: `execution ${facts.runningExecution} is upgrading it`,
    };
  }

  // The plan: the first window, after any soak and the start rule, that stays open long enough.
  const wave: WaveGate = catchUp ? { ready: true } : facts.wave;
  const waitFor = wave.ready ? at : wave.soakEndsAt;
  // A catch-up finishes an upgrade already begun: the start rule let it through then.
  const allowedFrom = catchUp ? at : startAllowedFrom(group, support, at);
  const earliest = waitFor && new Date(Math.max(waitFor.getTime(), allowedFrom.getTime()));
  const opening = earliest
    ? nextOpening(group.schedule, earliest, { minOpenMs: group.minWindowRemainingMs })
    : undefined;
  const plannedStart = opening?.start;
  const deadline = support ? new Date(support.endOfStandardSupport.getTime() - group.marginDays * DAY) : undefined;
  const atRisk = deadline ? !plannedStart || plannedStart > deadline : false;
  const plan = {
    ...base,
    hops,
    ...(plannedStart ? { plannedStart } : {}),
    atRisk,
    ...(support && plannedStart
      ? { extendedSupportCostAvoidedUsd: extendedSupportCostAvoided(support, plannedStart).usd }
      : {}),
  };
  const eoss = support?.endOfStandardSupport;
  const risk = !atRisk
    ? ''
    : eoss && eoss <= at
      ? ` At risk: ${version} left standard support on ${day(eoss)}; extended support is billed until the upgrade.`
      : plannedStart
        ? ` At risk: the planned start ${minute(plannedStart)} leaves less than ${group.marginDays} days before ${version} leaves standard support on ${day(eoss as Date)}.`
        : ` At risk: no start can be planned before ${version} leaves standard support on ${day(eoss as Date)}.`;
  const planned = plannedStart ? `; planned for ${minute(plannedStart)}` : '';
  const path = catchUp
    ? `catch-up on ${version}: ${catchUp}`
    : `${version} → ${target.version} in ${hops.length} hop${hops.length === 1 ? '' : 's'} (${target.reason})`;

  if (!wave.ready) {
    return { ...plan, decision: 'wait-wave', reason: `${path}: ${wave.reason}${planned}.${risk}` };
  }
  if (allowedFrom > at) {
    const lead = group.start === 'asap' ? 0 : group.start.daysBeforeEndOfSupport;
    return {
      ...plan,
      decision: 'wait-window',
      reason: `${path}: not due before ${day(allowedFrom)} (the policy starts ${lead} days before ${version} leaves standard support)${planned}.${risk}`,
    };
  }
  const state = windowState(group.schedule, at);
  if (!state.open) {
    const next = state.nextOpen ? `; next opening ${minute(state.nextOpen)}` : '; no opening within 400 days';
    if (state.reason === 'excluded') {
      return {
        ...plan,
        decision: 'wait-exclusion',
        reason: `${path}: inside the exclusion "${state.exclusion}"${next}${planned}.${risk}`,
      };
    }
    return { ...plan, decision: 'wait-window', reason: `${path}: outside its maintenance windows${planned}.${risk}` };
  }
  const left = state.closesAt.getTime() - at.getTime();
  if (left < group.minWindowRemainingMs) {
    return {
      ...plan,
      decision: 'wait-window',
      reason: `${path}: the window closes at ${minute(state.closesAt)}, ${formatDuration(left)} away, less than the ${formatDuration(group.minWindowRemainingMs)} an upgrade needs to start${planned}.${risk}`,
    };
  }
  const inWindow = group.schedule.windows.length ? `; window open until ${minute(state.closesAt)}` : '';
  return {
    ...plan,
    plannedStart: at,
    atRisk: deadline ? at > deadline : false,
    decision: 'would-start',
    reason: `${path}${inWindow}.${deadline && at > deadline ? risk : ''}`,
  };
}
