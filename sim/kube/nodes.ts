/**
 * Nodes as the kubelet registers them on EKS and as clients may update them: labels, `spec.providerID`, taints
 * (with those the node lifecycle controller owns derived from state), conditions and `nodeInfo`.
 * https://kubernetes.io/docs/reference/node/node-labels/ and https://kubernetes.io/docs/concepts/architecture/nodes/
 */
import type { Json, NodeRecord } from './model.js';
import { hexFor, kubeTime } from './naming.js';
import { NODES } from './resources.js';
import { conflict, invalid } from './status.js';
import type { SimTaint } from './types.js';

const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

/** Taints the node lifecycle controller owns: derived from the node's state, never stored from client patches. */
export const SYSTEM_TAINT_KEYS: ReadonlySet<string> = new Set([
  NOT_READY_TAINT,
  UNSCHEDULABLE_TAINT,
  'node.kubernetes.io/unreachable',
]);

/** Region of an availability zone (`eu-west-1a` → `eu-west-1`). */
export function regionOfZone(zone: string): string {
  return zone.replace(/[a-z]$/, '');
}

/** Graviton instance families carry a `g` after the generation digit (m7g, c6gn, t4g). */
export function archOfInstanceType(instanceType: string): 'arm64' | 'amd64' {
  return /^[a-z]+\d+g/.test(instanceType) ? 'arm64' : 'amd64';
}

function instanceShape(instanceType: string): { cpu: number; memoryMi: number } {
  const [family = 'm', size = 'large'] = instanceType.split('.');
  const sizes: Record<string, number> = { nano: 2, micro: 2, small: 2, medium: 2, large: 2, xlarge: 4, metal: 96 };
  const cpu = sizes[size] ?? Number(size.replace('xlarge', '')) * 4;
  const perCpuGi = family.startsWith('c') ? 2 : family.startsWith('r') || family.startsWith('x') ? 8 : 4;
  return {
    cpu: Number.isFinite(cpu) && cpu > 0 ? cpu : 2,
    memoryMi: (Number.isFinite(cpu) ? cpu : 2) * perCpuGi * 1024,
  };
}

function osDetails(osImage: string, arch: string): { kernel: string; runtime: string } {
  const machine = arch === 'arm64' ? 'aarch64' : 'x86_64';
  if (/bottlerocket/i.test(osImage)) return { kernel: '6.1.141', runtime: 'containerd://1.7.27+bottlerocket' };
  if (/2023/.test(osImage)) return { kernel: `6.1.141-155.222.amzn2023.${machine}`, runtime: 'containerd://1.7.27' };
  return { kernel: `5.10.238-234.956.amzn2.${machine}`, runtime: 'containerd://1.7.27' };
}

/** Labels the kubelet and EKS put on a node when it registers. */
export function registrationLabels(node: NodeRecord['spec']): Record<string, string> {
  const arch = node.labels?.['kubernetes.io/arch'] ?? archOfInstanceType(node.instanceType);
  const region = regionOfZone(node.availabilityZone);
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': arch,
    'beta.kubernetes.io/instance-type': node.instanceType,
    'beta.kubernetes.io/os': 'linux',
    'failure-domain.beta.kubernetes.io/region': region,
    'failure-domain.beta.kubernetes.io/zone': node.availabilityZone,
    'kubernetes.io/arch': arch,
    'kubernetes.io/hostname': node.name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': node.instanceType,
    'topology.kubernetes.io/region': region,
    'topology.kubernetes.io/zone': node.availabilityZone,
    [GROUP_LABEL]: node.group,
  };
  if (node.groupKind === 'managed') {
    labels['eks.amazonaws.com/nodegroup'] = node.group;
    labels['eks.amazonaws.com/capacityType'] = 'ON_DEMAND';
  }
  return { ...labels, ...node.labels };
}

/** The label the simulator puts on every node naming its node group, used by workloads' node group restriction. */
export const GROUP_LABEL = 'sim.eks-upgrade/group';

export function renderNode(node: NodeRecord): Json {
  const s = node.spec;
  const arch = node.labels['kubernetes.io/arch'] ?? archOfInstanceType(s.instanceType);
  const shape = instanceShape(s.instanceType);
  const os = osDetails(s.osImage, arch);
  const since = kubeTime(node.readySinceMs);
  const taints: Json[] = node.taints.map((t) => ({
    key: t.key,
    ...(t.value !== undefined && { value: t.value }),
    effect: t.effect,
  }));
  // https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/#taint-nodes-by-condition
  if (!node.ready) {
    taints.push({ key: NOT_READY_TAINT, effect: 'NoSchedule' });
    taints.push({ key: NOT_READY_TAINT, effect: 'NoExecute', timeAdded: since });
  }
  if (node.unschedulable) taints.push({ key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule' });
  const heartbeat = (type: string, reason: string, message: string) => ({
    type,
    status: 'False',
    lastHeartbeatTime: since,
    lastTransitionTime: kubeTime(node.createdMs),
    reason,
    message,
  });
  const systemId = hexFor(s.instanceId, 32);
  return {
    metadata: {
      name: s.name,
      uid: node.uid,
      resourceVersion: String(node.resourceVersion),
      creationTimestamp: kubeTime(node.createdMs),
      labels: { ...node.labels },
      annotations: {
        'alpha.kubernetes.io/provided-node-ip': node.internalIp,
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        ...node.annotations,
      },
    },
    spec: {
      providerID: `aws:///${s.availabilityZone}/${s.instanceId}`,
      ...(node.unschedulable && { unschedulable: true }),
      ...(taints.length > 0 && { taints }),
    },
    status: {
      capacity: {
        cpu: String(shape.cpu),
        'ephemeral-storage': '20893676Ki',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: `${Math.round(shape.memoryMi * 1024 * 0.96)}Ki`,
        pods: String(s.maxPods),
      },
      allocatable: {
        cpu: `${shape.cpu * 1000 - 70}m`,
        'ephemeral-storage': '18181869946',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: `${Math.round(shape.memoryMi * 1024 * 0.88)}Ki`,
        pods: String(s.maxPods),
      },
      conditions: [
        heartbeat('MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        heartbeat('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        heartbeat('PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        node.ready
          ? {
              type: 'Ready',
              status: 'True',
              lastHeartbeatTime: since,
              lastTransitionTime: since,
              reason: 'KubeletReady',
              message: 'kubelet is posting ready status',
            }
          : {
              type: 'Ready',
              status: 'False',
              lastHeartbeatTime: since,
              lastTransitionTime: since,
              reason: 'KubeletNotReady',
              message:
                'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
            },
      ],
      addresses: [
        { type: 'InternalIP', address: node.internalIp },
        { type: 'InternalDNS', address: s.name },
        { type: 'Hostname', address: s.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: systemId,
        systemUUID: `ec2${systemId.slice(3, 8)}-${systemId.slice(8, 12)}-${systemId.slice(12, 16)}-${systemId.slice(16, 20)}-${systemId.slice(20)}`,
        bootID: hexFor(`${s.instanceId}/boot`, 32),
        kernelVersion: os.kernel,
        osImage: s.osImage,
        containerRuntimeVersion: os.runtime,
        kubeletVersion: s.kubeletVersion,
        kubeProxyVersion: s.kubeletVersion,
        operatingSystem: 'linux',
        architecture: arch,
      },
    },
  };
}

/** What a client's update of a node may change. */
export interface NodeUpdate {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  unschedulable: boolean;
  taints: SimTaint[];
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/**
 * Validates the node object a PATCH produced and extracts what clients may change; taints the node lifecycle
 * controller owns are dropped (they are derived again from the node's state). Throws KubeApiError (422, 409).
 */
export function parseNodeUpdate(node: NodeRecord, updated: Json): NodeUpdate {
  const name = node.spec.name;
  const meta = asObject(updated.metadata);
  const spec = asObject(updated.spec);
  if (meta.name !== name) throw invalid(NODES, name, 'metadata.name: Invalid value: field is immutable');
  if (meta.resourceVersion !== undefined && meta.resourceVersion !== String(node.resourceVersion)) {
    throw conflict(
      NODES,
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
    );
  }
  const labels = meta.labels ?? {};
  const annotations = meta.annotations ?? {};
  if (!isStringRecord(labels) || !isStringRecord(annotations)) {
    throw invalid(NODES, name, 'metadata.labels and metadata.annotations must map strings to strings');
  }
  if (spec.unschedulable !== undefined && typeof spec.unschedulable !== 'boolean') {
    throw invalid(NODES, name, 'spec.unschedulable: Invalid value: must be a boolean');
  }
  const taints: SimTaint[] = [];
  for (const raw of Array.isArray(spec.taints) ? spec.taints : []) {
    const t = asObject(raw);
    if (typeof t.key !== 'string' || !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(String(t.effect))) {
      throw invalid(
        NODES,
        name,
        `spec.taints: Invalid value: ${JSON.stringify(raw)}: a taint needs a key and an effect of NoSchedule, PreferNoSchedule or NoExecute`,
      );
    }
    if (SYSTEM_TAINT_KEYS.has(t.key)) continue;
    taints.push({
      key: t.key,
      ...(typeof t.value === 'string' && { value: t.value }),
      effect: t.effect as SimTaint['effect'],
    });
  }
  return { labels: { ...labels }, annotations: { ...annotations }, unschedulable: spec.unschedulable === true, taints };
}
