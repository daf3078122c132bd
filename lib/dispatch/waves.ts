import { compareMinor } from '../versions/index.js';

/** One past or running upgrade execution of a cluster, as ListExecutions and the execution's name tell it. */
export interface ExecutionRecord {
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
  /** The minor version the execution upgrades to, when its name or input says. */
  target?: string;
  startDate: Date;
  stopDate?: Date;
}

/** A cluster of the same wave group in an earlier wave, with what dispatch knows of it. */
export interface Twin {
  /** `<account>/<region>/<name>`, as people read it. */
  label: string;
  wave: string;
  /** Its control plane's minor version; undefined when it could not be described. */
  version?: string;
  /** Why it could not be described. */
  error?: string;
  executions: ExecutionRecord[];
}

export type WaveGate =
  | { ready: true; reason?: string }
  | { ready: false; twin: string; reason: string; soakEndsAt?: Date };

const failed = new Set(['FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']);

export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d ? `${d}d` : '', h ? `${h}h` : '', m || (!d && !h) ? `${m}m` : ''].filter(Boolean).join(' ');
}

/** One twin judged against the rule: on the target, its last upgrade to it succeeded, and it has soaked since. */
function judgeTwin(twin: Twin, target: string, soakMs: number, at: Date): WaveGate {
  const who = `${twin.label} (wave ${twin.wave})`;
  if (!twin.version) {
    return { ready: false, twin: twin.label, reason: `cannot tell what ${who} runs: ${twin.error ?? 'not described'}` };
  }
  if (compareMinor(twin.version, target) < 0) {
    return { ready: false, twin: twin.label, reason: `waits for ${who} to run ${target}; it runs ${twin.version}` };
  }
  const towardTarget = twin.executions
    .filter((e) => e.target && compareMinor(e.target, target) >= 0)
    .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  const last = towardTarget[0];
  if (!last) return { ready: true, reason: `${who} ran ${twin.version} before any upgrade on record` };
  if (last.status === 'RUNNING') {
    return { ready: false, twin: twin.label, reason: `waits for ${who}: its upgrade ${last.name} is still running` };
  }
  if (failed.has(last.status)) {
    return {
      ready: false,
      twin: twin.label,
      reason: `waits for ${who}: its upgrade ${last.name} ended ${last.status} on ${(last.stopDate ?? last.startDate).toISOString()}; fix it and upgrade it again`,
    };
  }
  const since = last.stopDate ?? last.startDate;
  const soakEndsAt = new Date(since.getTime() + soakMs);
  if (at < soakEndsAt) {
    return {
      ready: false,
      twin: twin.label,
      soakEndsAt,
      reason: `waits for ${who} to soak on ${target}: ${formatDuration(at.getTime() - since.getTime())} of ${formatDuration(soakMs)}, ${formatDuration(soakEndsAt.getTime() - at.getTime())} left`,
    };
  }
  return { ready: true, reason: `${who} has run ${target} for ${formatDuration(at.getTime() - since.getTime())}` };
}

/**
 * Whether a cluster's wave may go: every twin of the nearest earlier wave that has twins runs the target, its
 * latest upgrade toward it succeeded (no failed validation since), and has soaked for this wave's soak time.
 * A cluster in the first wave, or without twins in earlier waves, is ready.
 */
export function waveGate(request: {
  wave?: string;
  order: readonly string[];
  soakMs: number;
  target: string;
  twins: Twin[];
  at: Date;
}): WaveGate {
  const mine = request.wave ? request.order.indexOf(request.wave) : -1;
  if (mine <= 0) return { ready: true };
  const earlier = request.order.slice(0, mine).reverse();
  const previous = earlier.find((w) => request.twins.some((t) => t.wave === w));
  if (!previous) return { ready: true, reason: 'no twin in an earlier wave' };
  const verdicts = request.twins
    .filter((t) => t.wave === previous)
    .map((t) => judgeTwin(t, request.target, request.soakMs, request.at));
  const blocked = verdicts.filter((v): v is Extract<WaveGate, { ready: false }> => !v.ready);
  if (blocked.length === 0) return { ready: true, reason: verdicts.map((v) => v.reason).join('; ') };
  // An open-ended wait (behind, failed, running) outweighs a soak that ends on its own.
  const open = blocked.find((b) => !b.soakEndsAt);
  if (open) return open;
  return blocked.reduce((a, b) => ((a.soakEndsAt as Date) >= (b.soakEndsAt as Date) ? a : b));
}
