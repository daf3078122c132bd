import { InvalidPolicy } from '../errors.js';
import { nextOpening, windowState } from '../fleet/windows.js';
import { durationMs, type UpgradePolicy } from '../planning/index.js';

/** What the "Check maintenance window" task returns: go now, or wait until `waitUntil` (RFC 3339, for a Wait). */
export type HopWindow =
  | { open: true; reason: string; closesAt?: string }
  | { open: false; reason: string; waitUntil: string };

// Step Functions Wait states read RFC 3339 timestamps; whole seconds keep them plain.
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Whether a hop's control plane update may start at `at`: inside one of the policy's maintenance windows, out of
 * every exclusion, with at least `minWindowRemaining` (1h unless set) before the window closes. No windows and no
 * exclusions: always. Throws InvalidPolicy for an invalid schedule or when no window opens within 400 days.
 */
export function hopWindow(policy: UpgradePolicy, at: Date): HopWindow {
  const schedule = { windows: policy.maintenanceWindows ?? [], exclusions: policy.exclusions ?? [] };
  if (schedule.windows.length === 0 && schedule.exclusions.length === 0) {
    return { open: true, reason: 'the policy has no maintenance windows' };
  }
  const minOpenMs = durationMs(policy.minWindowRemaining ?? '1h');
  const state = windowState(schedule, at);
  if (state.open && state.closesAt.getTime() - at.getTime() >= minOpenMs) {
    return { open: true, reason: 'inside a maintenance window', closesAt: rfc3339(state.closesAt) };
  }
  const next = nextOpening(schedule, at, { minOpenMs });
  if (!next) {
    throw new InvalidPolicy(
      "no maintenance window with enough time left opens within 400 days; check the policy's maintenanceWindows, exclusions and minWindowRemaining",
    );
  }
  const why = state.open
    ? `the window closes at ${rfc3339(state.closesAt)}, too soon to start`
    : state.reason === 'excluded'
      ? `inside the exclusion "${state.exclusion}"`
      : 'outside the maintenance windows';
  return { open: false, reason: `${why}; waiting for ${rfc3339(next.start)}`, waitUntil: rfc3339(next.start) };
}
