import { ReadinessBlocked } from '../errors.js';
import type { GateRequest } from './gate.js';

const findings = (n: number): string => `${n} ${n === 1 ? 'finding' : 'findings'}`;

function blockerSummary(r: GateRequest): string {
  const blockers = (r.readiness?.findings ?? []).filter((f) => f.severity === 'blocker');
  const lines = blockers.map(
    (f) =>
      `${f.id ?? 'blocker'}: ${f.message ?? ''}${f.objects?.length ? ` (${f.objects.slice(0, 5).join(', ')})` : ''}${f.fix ? `. Fix: ${f.fix}` : ''}${f.hard ? ' [hard]' : ''}`,
  );
  return lines.length ? lines.join(' | ') : `${r.readiness?.blockers ?? 0} blockers`;
}

/**
 * Decides whether readiness blockers may be put to a person at all. Throws ReadinessBlocked (nothing changed,
 * the upgrade stops) when the policy offers no override, gates are answered automatically, or any blocker is
 * marked hard: those are never offered for override.
 */
export function assertOverridable(r: GateRequest): void {
  const hop = `hop ${r.hop.from} → ${r.hop.to}`;
  const approvals = r.policy.approvals;
  const hard = (r.readiness?.findings ?? []).filter((f) => f.severity === 'blocker' && f.hard === true);
  const total = r.readiness?.blockers ?? 0;
  if (hard.length > 0) {
    // The count matches the list that follows: every blocker, with how many of them no one may override.
    const which =
      hard.length === total
        ? total === 1
          ? ' that cannot'
          : ', none of which can'
        : `, ${hard.length} of which cannot`;
    throw new ReadinessBlocked(
      `${hop} is blocked by ${findings(total)}${which} be overridden: ${blockerSummary(r)}. Nothing was changed.`,
    );
  }
  if (approvals.mode !== 'people' || !approvals.gates.overrideReadiness) {
    throw new ReadinessBlocked(
      `${hop} is blocked by ${findings(total)}: ${blockerSummary(r)}. Nothing was changed. (The policy offers no override; set approvals.gates.overrideReadiness to let a person decide.)`,
    );
  }
}
