/**
 * EKS add-ons against the versions EKS offers for the target (DescribeAddonVersions). The pipeline updates every
 * add-on of the hop to the target's default right after the control plane, so an add-on that is older than that
 * default (even one not compatible with the target yet) warns; one the hop cannot make compatible blocks: EKS
 * offers no version for the target, the installed build is newer than every compatible one (add-ons cannot be
 * downgraded), or the hop does not update it.
 * https://docs.aws.amazon.com/eks/latest/userguide/updating-an-add-on.html
 */
import type { EKSClient } from '@aws-sdk/client-eks';
import { type AddonTarget, addonTargetFor } from '../../addons/index.js';
import { compareAddonVersions } from '../../versions/index.js';
import type { ClusterFacts, ReadinessRequest } from '../context.js';
import { count, type Finding, finding } from '../findings.js';

type Verdict = { kind: 'blocked'; why: string } | { kind: 'behind'; why: string } | undefined;

function judge(target: AddonTarget, updatedByHop: boolean, to: string): Verdict {
  const { installed, compatibleVersions } = target;
  if (compatibleVersions.length === 0) return { kind: 'blocked', why: `EKS offers no version for ${to}` };
  const compatible = compatibleVersions.includes(installed);
  const newest = compatibleVersions[compatibleVersions.length - 1] ?? installed;
  if (!compatible && compareAddonVersions(installed, newest) > 0) {
    return { kind: 'blocked', why: `${installed} is newer than every build for ${to} (newest ${newest})` };
  }
  if (!compatible && !updatedByHop) return { kind: 'blocked', why: `${installed} is not compatible with ${to}` };
  if (target.target !== installed) {
    const why = `${installed} → ${target.target}${compatible ? '' : ` (${installed} is not compatible with ${to})`}`;
    return { kind: 'behind', why };
  }
  return undefined;
}

/** One blocker finding for add-ons the hop cannot make compatible, one warning for those it will update. */
export async function addonFindings(
  eks: EKSClient,
  facts: ClusterFacts,
  request: ReadinessRequest,
): Promise<Finding[]> {
  const blocked: string[] = [];
  const behind: string[] = [];
  for (const addon of facts.addons) {
    const name = addon.addonName ?? '';
    const target = await addonTargetFor(eks, { cluster: request.cluster, addon: name, kubernetesVersion: request.to });
    const verdict = judge(target, !request.addons || request.addons.includes(name), request.to);
    if (verdict?.kind === 'blocked') blocked.push(`addon/${name}: ${verdict.why}`);
    if (verdict?.kind === 'behind') behind.push(`addon/${name}: ${verdict.why}`);
  }
  const findings: Finding[] = [];
  if (blocked.length) {
    findings.push(
      finding({
        id: 'addon-incompatible',
        area: 'addons',
        severity: 'blocker',
        message: `${count(blocked.length, 'EKS add-on has', 'EKS add-ons have')} no version this hop can move to for ${request.to}.`,
        objects: blocked,
        fix: 'Update those add-ons to a build EKS lists for both versions, or remove them, before this hop.',
        hard: true,
      }),
    );
  }
  if (behind.length) {
    findings.push(
      finding({
        id: 'addon-behind-default',
        area: 'addons',
        severity: 'warning',
        message: `${count(behind.length, 'EKS add-on is', 'EKS add-ons are')} older than ${request.to}'s default; the add-on stage updates them right after the control plane.`,
        objects: behind,
        fix: "Review the add-ons' release notes and any custom configuration (the update keeps it with PRESERVE).",
      }),
    );
  }
  return findings;
}
