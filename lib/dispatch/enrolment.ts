import { InvalidPolicy } from '../errors.js';
import { approvalPolicySchema, type UpgradePolicy, upgradePolicySchema } from '../planning/index.js';

/** Tags that enrol a cluster and shape its policy. */
export const enrolmentTag = 'eks-upgrade/enabled';
/** Twins that upgrade in waves (dev, then staging, then prod) share this tag's value. */
export const waveGroupTag = 'eks-upgrade/wave-group';
export const targetTag = 'eks-upgrade/target';
/** `auto` or `people`: whether approval gates wait for a person. */
export const approvalsTag = 'eks-upgrade/approvals';
/** A Slack channel id for approval requests (with approvals `people`). */
export const slackChannelTag = 'eks-upgrade/slack-channel';

/**
 * Applies the cluster's own tags on top of its policy group: a pinned target, approvals by people or by the
 * policy, a Slack channel. Throws InvalidPolicy naming the tag at fault.
 */
export function applyTagOverrides(policy: UpgradePolicy, tags: Record<string, string>): UpgradePolicy {
  const approvals = tags[approvalsTag];
  if (approvals !== undefined && approvals !== 'people' && approvals !== 'auto') {
    throw new InvalidPolicy(`tag ${approvalsTag} is "${approvals}"; use "auto" or "people"`);
  }
  const current = policy.approvals;
  const mode =
    approvals === 'people'
      ? current.mode === 'people'
        ? current
        : approvalPolicySchema.parse({ mode: 'people' })
      : approvals === 'auto'
        ? approvalPolicySchema.parse('auto')
        : current;
  const channel = tags[slackChannelTag];
  const parsed = upgradePolicySchema.safeParse({
    ...policy,
    ...(tags[targetTag] ? { target: tags[targetTag] } : {}),
    approvals: { ...mode, ...(channel && mode.mode === 'people' ? { slack: { channel } } : {}) },
  });
  if (!parsed.success) {
    const problem = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new InvalidPolicy(`the cluster's eks-upgrade/* tags make an invalid policy (${problem}); fix the tags`);
  }
  return parsed.data;
}

/** The cluster's policy from its tags alone (no policy file). Throws InvalidPolicy naming the tag at fault. */
export function policyFromTags(tags: Record<string, string>): UpgradePolicy {
  return applyTagOverrides(upgradePolicySchema.parse({}), tags);
}
