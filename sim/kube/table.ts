/**
 * Server-side printing, as kube-apiserver answers `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`: a
 * `meta.k8s.io/v1` Table with the columns kubectl shows for the kind (priority 1 columns are the `-o wide` ones)
 * and, per row, the object's metadata (`includeObject=Metadata`, the default), the whole object (`Object`) or
 * nothing (`None`). Kinds without a printer get the default columns, Name and Created At.
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables
 * Columns and cells follow pkg/printers/internalversion/printers.go; ages follow apimachinery's HumanDuration,
 * measured against the simulated clock, as the server measures them against its own.
 */
import type { Json } from './model.js';
import type { ServedResource } from './resources.js';
import { badRequest } from './status.js';

export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'date';
  format: string;
  description: string;
  priority: number;
}

type Cell = string | number;

interface Printer {
  columns: TableColumn[];
  cells(object: Json, nowMs: number): Cell[];
}

const col = (name: string, description: string, priority = 0, type: TableColumn['type'] = 'string'): TableColumn => ({
  name,
  type,
  format: name === 'Name' ? 'name' : '',
  description,
  priority,
});

const NAME = col('Name', 'Name must be unique within a namespace.');
const AGE = col('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** apimachinery's duration.HumanDuration: "45s", "3m12s", "5h4m", "13d", "2y30d". */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24);
    return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

function age(object: Json, nowMs: number): string {
  const created = Date.parse(str(obj(object.metadata).creationTimestamp));
  return Number.isNaN(created) ? '<unknown>' : humanDuration(nowMs - created);
}

function labelSelector(object: Json): string {
  const labels = obj(obj(obj(object.spec).selector).matchLabels);
  const text = Object.entries(labels)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
  return text === '' ? '<none>' : text;
}

function containers(object: Json): { names: string; images: string } {
  const all = list(obj(obj(obj(object.spec).template).spec).containers);
  return { names: all.map((c) => str(c.name)).join(','), images: all.map((c) => str(c.image)).join(',') };
}

const CONTAINERS = col('Containers', 'Names of each container in the template.', 1);
const IMAGES = col('Images', 'Images referenced by each container in the template.', 1);
const SELECTOR = col('Selector', 'Label selector for pods.', 1);

const printers: Record<string, Printer> = {
  '/nodes': {
    columns: [
      NAME,
      col('Status', 'The status of the node'),
      col('Roles', 'The roles of the node'),
      AGE,
      col('Version', 'Kubelet Version reported by the node.'),
      col('Internal-IP', 'List of internal IPs for the node.', 1),
      col('External-IP', 'List of external IPs for the node.', 1),
      col('OS-Image', 'OS image reported by the node.', 1),
      col('Kernel-Version', 'Kernel version reported by the node.', 1),
      col('Container-Runtime', 'Container runtime version reported by the node.', 1),
    ],
    cells(node, nowMs) {
      const status = obj(node.status);
      const ready = list(status.conditions).find((c) => c.type === 'Ready');
      const states = [ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'];
      if (obj(node.spec).unschedulable === true) states.push('SchedulingDisabled');
      const labels = obj(obj(node.metadata).labels);
      const roles = Object.keys(labels)
        .filter((k) => k.startsWith('node-role.kubernetes.io/'))
        .map((k) => k.slice('node-role.kubernetes.io/'.length))
        .concat(typeof labels['kubernetes.io/role'] === 'string' ? [labels['kubernetes.io/role']] : [])
        .filter((r) => r !== '')
        .sort();
      const address = (type: string) =>
        list(status.addresses)
          .filter((a) => a.type === type)
          .map((a) => str(a.address))
          .join(',') || '<none>';
      const info = obj(status.nodeInfo);
      return [
        str(obj(node.metadata).name),
        states.join(','),
        roles.length > 0 ? roles.join(',') : '<none>',
        age(node, nowMs),
        str(info.kubeletVersion),
        address('InternalIP'),
        address('ExternalIP'),
        str(info.osImage) || '<unknown>',
        str(info.kernelVersion) || '<unknown>',
        str(info.containerRuntimeVersion) || '<unknown>',
      ];
    },
  },
  '/pods': {
    columns: [
      NAME,
      col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'The aggregate status of the containers in this pod.'),
      col(
        'Restarts',
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      ),
      AGE,
      col('IP', 'IP address allocated to the pod.', 1),
      col('Node', 'Name of the Node this pod is assigned to.', 1),
      col('Nominated Node', 'Name of the Node where this pod would be scheduled if it could not fit where it is.', 1),
      col('Readiness Gates', 'The readiness gates of the pod.', 1),
    ],
    cells(pod, nowMs) {
      const meta = obj(pod.metadata);
      const status = obj(pod.status);
      const statuses = list(status.containerStatuses);
      const total = list(obj(pod.spec).containers).length;
      const ready = statuses.filter((c) => c.ready === true).length;
      const restarts = statuses.reduce((sum, c) => sum + num(c.restartCount), 0);
      let reason = str(status.reason) || str(status.phase) || 'Unknown';
      for (const c of statuses) {
        const waiting = str(obj(obj(c.state).waiting).reason);
        if (waiting !== '') reason = waiting;
      }
      if (meta.deletionTimestamp !== undefined) reason = 'Terminating';
      return [
        str(meta.name),
        `${ready}/${total}`,
        reason,
        restarts,
        age(pod, nowMs),
        str(status.podIP) || '<none>',
        str(obj(pod.spec).nodeName) || '<none>',
        str(status.nominatedNodeName) || '<none>',
        '<none>',
      ];
    },
  },
  'apps/deployments': {
    columns: [
      NAME,
      col('Ready', 'Number of the pod with ready state'),
      col(
        'Up-to-date',
        'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
      ),
      col(
        'Available',
        'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
      ),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR,
    ],
    cells(d, nowMs) {
      const status = obj(d.status);
      const { names, images } = containers(d);
      return [
        str(obj(d.metadata).name),
        `${num(status.readyReplicas)}/${num(obj(d.spec).replicas)}`,
        num(status.updatedReplicas),
        num(status.availableReplicas),
        age(d, nowMs),
        names,
        images,
        labelSelector(d),
      ];
    },
  },
  'apps/statefulsets': {
    columns: [NAME, col('Ready', 'Number of the pod with ready state'), AGE, CONTAINERS, IMAGES],
    cells(s, nowMs) {
      const { names, images } = containers(s);
      return [
        str(obj(s.metadata).name),
        `${num(obj(s.status).readyReplicas)}/${num(obj(s.spec).replicas)}`,
        age(s, nowMs),
        names,
        images,
      ];
    },
  },
  'apps/replicasets': {
    columns: [
      NAME,
      col('Desired', 'Number of desired pods.', 0, 'integer'),
      col('Current', 'Number of actual replicas.', 0, 'integer'),
      col('Ready', 'Number of ready replicas.', 0, 'integer'),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR,
    ],
    cells(r, nowMs) {
      const status = obj(r.status);
      const { names, images } = containers(r);
      return [
        str(obj(r.metadata).name),
        num(obj(r.spec).replicas),
        num(status.replicas),
        num(status.readyReplicas),
        age(r, nowMs),
        names,
        images,
        labelSelector(r),
      ];
    },
  },
  'apps/daemonsets': {
    columns: [
      NAME,
      col('Desired', 'The number of nodes that should be running the daemon pod.', 0, 'integer'),
      col('Current', 'The number of nodes running at least one daemon pod.', 0, 'integer'),
      col('Ready', 'The number of nodes that should be running the daemon pod and are ready.', 0, 'integer'),
      col('Up-to-date', 'The total number of nodes that are running updated daemon pod.', 0, 'integer'),
      col('Available', 'The number of nodes that should be running the daemon pod and are available.', 0, 'integer'),
      col('Node Selector', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR,
    ],
    cells(ds, nowMs) {
      const status = obj(ds.status);
      const { names, images } = containers(ds);
      const selector = Object.entries(obj(obj(obj(obj(ds.spec).template).spec).nodeSelector))
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(',');
      return [
        str(obj(ds.metadata).name),
        num(status.desiredNumberScheduled),
        num(status.currentNumberScheduled),
        num(status.numberReady),
        num(status.updatedNumberScheduled),
        num(status.numberAvailable),
        selector === '' ? '<none>' : selector,
        age(ds, nowMs),
        names,
        images,
        labelSelector(ds),
      ];
    },
  },
  'policy/poddisruptionbudgets': {
    columns: [
      NAME,
      col('Min Available', 'The minimum number of pods that must be available.'),
      col('Max Unavailable', 'The maximum number of pods that may be unavailable.'),
      col('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', 0, 'integer'),
      AGE,
    ],
    cells(pdb, nowMs) {
      const spec = obj(pdb.spec);
      const show = (v: unknown) => (v === undefined ? 'N/A' : String(v));
      return [
        str(obj(pdb.metadata).name),
        show(spec.minAvailable),
        show(spec.maxUnavailable),
        num(obj(pdb.status).disruptionsAllowed),
        age(pdb, nowMs),
      ];
    },
  },
  '/namespaces': {
    columns: [NAME, col('Status', 'The status of the namespace'), AGE],
    cells(ns, nowMs) {
      return [str(obj(ns.metadata).name), str(obj(ns.status).phase) || 'Active', age(ns, nowMs)];
    },
  },
};

/** The default table of a kind without a printer (apiserver's DefaultTableConvertor). */
const defaultPrinter: Printer = {
  columns: [
    NAME,
    col(
      'Created At',
      'CreationTimestamp is a timestamp representing the server time when this object was created.',
      0,
      'date',
    ),
  ],
  cells: (object) => [str(obj(object.metadata).name), str(obj(object.metadata).creationTimestamp)],
};

function printerFor(resource: ServedResource): Printer {
  return printers[`${resource.group}/${resource.plural}`] ?? defaultPrinter;
}

/** True when the request's Accept header asks for a meta.k8s.io Table (kubectl get does). */
export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? '')
    .split(',')
    .some((part) => /;\s*as=Table/.test(part) && /;\s*g=meta\.k8s\.io/.test(part) && /;\s*v=v1(beta1)?\b/.test(part));
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function includeObjectOf(query: URLSearchParams): IncludeObject {
  const value = query.get('includeObject') ?? 'Metadata';
  if (value !== 'None' && value !== 'Metadata' && value !== 'Object') {
    throw badRequest(`includeObject: Unsupported value: "${value}": supported values: "Metadata", "None", "Object"`);
  }
  return value;
}

function rowOf(resource: ServedResource, object: Json, nowMs: number, include: IncludeObject, groupVersion: string) {
  const row: Json = { cells: printerFor(resource).cells(object, nowMs) };
  if (include === 'Metadata') {
    row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata ?? {} };
  } else if (include === 'Object') {
    row.object = { kind: resource.kind, apiVersion: groupVersion, ...object };
  }
  return row;
}

/** A Table of `objects` (a list's items, one object, or a watch event's object), with the list's metadata. */
export function toTable(
  resource: ServedResource,
  objects: Json[],
  options: { nowMs: number; include: IncludeObject; metadata?: Json },
): Json {
  const groupVersion = resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: options.metadata ?? {},
    columnDefinitions: printerFor(resource).columns,
    rows: objects.map((o) => rowOf(resource, o, options.nowMs, options.include, groupVersion)),
  };
}
