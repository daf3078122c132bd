/**
 * Updates of Deployments and StatefulSets through PATCH (`kubectl rollout restart`, `kubectl scale` via the
 * object) and the rolling update their controllers then run, one step at a time:
 * - Deployment, RollingUpdate with maxSurge 25% (rounded up) and maxUnavailable 25% (rounded down): new pods are
 *   surged, and an old pod is deleted only while enough pods stay available.
 *   https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment
 * - StatefulSet, RollingUpdate: the highest ordinal not yet updated is deleted once every pod is Running and
 *   Ready, and recreated from the new template.
 *   https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#rolling-updates
 * Simplification: both controllers also wait while a PodDisruptionBudget selecting the pod allows no disruption.
 * Real controllers do not consult budgets; the simulator keeps a restart from counting as a budget violation.
 */
import { isTerminating, type Json, type PodRecord, type WorkloadRecord } from './model.js';
import { DEPLOYMENTS, resourceId, type ServedResource, STATEFULSETS } from './resources.js';
import { conflict, invalid } from './status.js';

export type RolloutStep =
  | { kind: 'surge'; workload: WorkloadRecord }
  | { kind: 'terminate'; workload: WorkloadRecord; pod: PodRecord };

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

/** The fields of a Deployment or StatefulSet a PATCH may change (applyWorkloadUpdate), as path prefixes. */
export const WORKLOAD_PATCHABLE_FIELDS = [
  'metadata.labels',
  'metadata.annotations',
  'spec.replicas',
  'spec.template.metadata.annotations',
];

/**
 * Applies what a client may change on a Deployment or StatefulSet: its labels and annotations, `spec.replicas`
 * and the pod template's annotations (a changed template starts a rollout). True when something changed. Throws KubeApiError (422, 409).
 */
export function applyWorkloadUpdate(resource: ServedResource, wl: WorkloadRecord, updated: Json): boolean {
  const meta = asObject(updated.metadata);
  const spec = asObject(updated.spec);
  if (meta.name !== wl.name) throw invalid(resource, wl.name, 'metadata.name: Invalid value: field is immutable');
  if (meta.resourceVersion !== undefined && meta.resourceVersion !== String(wl.resourceVersion)) {
    // Rendered objects report the newest pod change as their resourceVersion; compare against that too.
    const rendered = Math.max(wl.resourceVersion, ...[...wl.pods].map((p) => p.resourceVersion));
    if (meta.resourceVersion !== String(rendered)) {
      throw conflict(
        resource,
        wl.name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
  }
  const replicas = spec.replicas ?? wl.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid(resource, wl.name, 'spec.replicas: Invalid value: must be greater than or equal to 0');
  }
  const annotations = asObject(asObject(asObject(spec.template).metadata).annotations);
  if (!Object.values(annotations).every((v) => typeof v === 'string')) {
    throw invalid(resource, wl.name, 'spec.template.metadata.annotations: Invalid value: values must be strings');
  }
  const labels = meta.labels === undefined ? wl.podLabels : asObject(meta.labels);
  if (!Object.values(labels).every((v) => typeof v === 'string')) {
    throw invalid(resource, wl.name, 'metadata.labels: Invalid value: values must be strings');
  }
  const objectAnnotations = asObject(meta.annotations);
  if (!Object.values(objectAnnotations).every((v) => typeof v === 'string')) {
    throw invalid(resource, wl.name, 'metadata.annotations: Invalid value: values must be strings');
  }
  let changed = false;
  // The annotations the simulator renders itself (deployment.kubernetes.io/revision) are not stored.
  const own = Object.fromEntries(
    Object.entries(objectAnnotations as Record<string, string>).filter(
      ([k]) => !k.startsWith('deployment.kubernetes.io/') && !k.startsWith('deprecated.daemonset'),
    ),
  );
  if (!sameRecord(own, wl.annotations ?? {})) {
    wl.annotations = own;
    changed = true;
  }
  if (!sameRecord(labels as Record<string, string>, wl.labels ?? wl.podLabels)) {
    wl.labels = { ...(labels as Record<string, string>) };
    changed = true;
  }
  if (replicas !== wl.replicas) {
    wl.replicas = replicas;
    changed = true;
  }
  const next = annotations as Record<string, string>;
  if (!sameRecord(next, wl.templateAnnotations ?? {})) {
    wl.templateAnnotations = { ...next };
    wl.templateRevision = (wl.templateRevision ?? 0) + 1;
    changed = true;
  }
  return changed;
}

/** The resource a PATCH of workloads may target. */
export function isPatchableWorkload(resource: ServedResource): boolean {
  const id = resourceId(resource);
  return id === resourceId(DEPLOYMENTS) || id === resourceId(STATEFULSETS);
}

/**
 * The next step of `wl`'s rolling update, or undefined when there is none now. `allowed(pod)` gives the
 * disruptions each budget selecting the pod allows.
 */
export function rolloutStep(wl: WorkloadRecord, allowed: (pod: PodRecord) => number[]): RolloutStep | undefined {
  const revision = wl.templateRevision ?? 0;
  if (revision === 0) return undefined;
  const pods = [...wl.pods];
  const active = pods.filter((p) => !isTerminating(p));
  const outdated = active.filter((p) => (p.templateRevision ?? 0) < revision).sort((a, b) => a.serial - b.serial);
  if (outdated.length === 0) return undefined;
  const budgetsAllow = (pod: PodRecord) => allowed(pod).every((n) => n > 0);
  if (wl.kind === 'Deployment') {
    const maxSurge = Math.max(1, Math.ceil(wl.replicas * 0.25));
    const maxUnavailable = Math.floor(wl.replicas * 0.25);
    const updated = active.filter((p) => (p.templateRevision ?? 0) >= revision);
    if (updated.length < wl.replicas && active.length < wl.replicas + maxSurge) return { kind: 'surge', workload: wl };
    const ready = active.filter((p) => p.ready).length;
    // An old pod that is not Ready costs no availability; a Ready one only while enough stay available.
    const victim = outdated.find((p) => !p.ready) ?? outdated[0];
    if (!victim || active.length <= wl.replicas - maxUnavailable) return undefined;
    if (victim.ready && ready - 1 < wl.replicas - maxUnavailable) return undefined;
    return budgetsAllow(victim) ? { kind: 'terminate', workload: wl, pod: victim } : undefined;
  }
  if (wl.kind === 'StatefulSet') {
    if (pods.some((p) => isTerminating(p) || !p.ready) || active.length < wl.replicas) return undefined;
    const ordinal = (p: PodRecord) => Number(p.name.slice(wl.name.length + 1));
    const victim = [...outdated].sort((a, b) => ordinal(b) - ordinal(a))[0];
    return victim && budgetsAllow(victim) ? { kind: 'terminate', workload: wl, pod: victim } : undefined;
  }
  return undefined;
}

/** Carries a step out through the state's own operations. */
export function applyRolloutStep(
  step: RolloutStep,
  ops: { createPod(wl: WorkloadRecord): void; terminate(pod: PodRecord): void },
): void {
  if (step.kind === 'surge') ops.createPod(step.workload);
  else ops.terminate(step.pod);
}
