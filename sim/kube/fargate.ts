/**
 * AWS Fargate on EKS: a pod whose namespace a Fargate profile selects is scheduled by the Fargate scheduler onto
 * a micro-VM of its own, which registers as a node `fargate-ip-…` running the control plane's kubelet version of
 * the moment, and goes away with the pod. Nothing else runs there: DaemonSets do not, and other pods cannot.
 * https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html and
 * https://docs.aws.amazon.com/eks/latest/userguide/fargate-profile.html
 */
import type { SimNodeSpec } from './types.js';

export interface SimFargateProfile {
  name: string;
  namespaces: string[];
}

/** The label EKS's mutating webhook puts on a pod a profile selects, and the node's compute type. */
export const FARGATE_PROFILE_LABEL = 'eks.amazonaws.com/fargate-profile';
export const COMPUTE_TYPE_LABEL = 'eks.amazonaws.com/compute-type';

/** The profile that selects pods of `namespace` (the first by name, as EKS evaluates them in order), if any. */
export function fargateProfileFor(profiles: readonly SimFargateProfile[], namespace: string): string | undefined {
  return [...profiles].sort((a, b) => (a.name < b.name ? -1 : 1)).find((p) => p.namespaces.includes(namespace))?.name;
}

/** The node spec of the micro-VM one pod runs on; `serial` makes the address unique. */
export function fargateNodeSpec(options: {
  region: string;
  profile: string;
  serial: number;
  kubeletVersion: string;
}): SimNodeSpec {
  const { region, serial } = options;
  const ip = `10.0.${128 + (Math.floor(serial / 250) % 120)}.${(serial % 250) + 4}`;
  return {
    name: `fargate-ip-${ip.replaceAll('.', '-')}.${region}.compute.internal`,
    instanceId: `fargate-${serial}`,
    availabilityZone: `${region}a`,
    group: options.profile,
    groupKind: 'fargate',
    kubeletVersion: options.kubeletVersion,
    // Fargate's own platform image; reported as Amazon Linux 2023 so AMI-family readiness checks (which concern
    // EC2 nodes) do not mistake these micro-VMs for AL2 node groups.
    osImage: 'Amazon Linux 2023',
    instanceType: 'fargate',
    maxPods: 1,
    labels: { [COMPUTE_TYPE_LABEL]: 'fargate', [FARGATE_PROFILE_LABEL]: options.profile },
    taints: [{ key: COMPUTE_TYPE_LABEL, value: 'fargate', effect: 'NoSchedule' }],
    startupSeconds: 0,
  };
}
