/**
 * Self-managed controllers whose version must keep up with Kubernetes, recognised by their images in the
 * workloads' pod templates. Each rule cites where its minimum comes from.
 */
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { type KubeApis, listAll } from '../../kube/index.js';
import { compareMinor, minorOf } from '../../versions/index.js';
import type { ReadinessRequest } from '../context.js';
import { type Finding, finding, objectRef } from '../findings.js';

export interface ControllerRule {
  name: string;
  /** Matches the image repository (without registry-specific prefixes). */
  image: RegExp;
  /** From Kubernetes `kubernetes` on, the controller must be at least `minimum`. */
  minimums: Array<{ kubernetes: string; minimum: string }>;
  /** The controller's minor must match the control plane's (cluster-autoscaler). */
  matchesMinor?: boolean;
  source: string;
}

export const controllerRules: readonly ControllerRule[] = [
  {
    // Kubernetes 1.22 stops serving networking.k8s.io/v1beta1 Ingress; v2.4.1 is the first release EKS documents
    // for 1.22 (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html, Kubernetes 1.22).
    name: 'AWS Load Balancer Controller',
    image: /(?:^|\/)(?:amazon\/)?(?:aws-load-balancer-controller|aws-alb-ingress-controller)$/,
    minimums: [{ kubernetes: '1.22', minimum: '2.4.1' }],
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/aws-load-balancer-controller.html',
  },
  {
    // ingress-nginx moved to networking.k8s.io/v1 in controller v1.0.0, the first to support Kubernetes 1.22.
    name: 'ingress-nginx',
    image: /(?:^|\/)(?:ingress-nginx\/controller|kubernetes-ingress-controller\/nginx-ingress-controller)$/,
    minimums: [{ kubernetes: '1.22', minimum: '1.0.0' }],
    source: 'https://github.com/kubernetes/ingress-nginx#supported-versions-table',
  },
  {
    // Karpenter's compatibility matrix (https://karpenter.sh/docs/upgrading/compatibility/).
    name: 'Karpenter',
    image: /(?:^|\/)karpenter\/(?:controller|karpenter)$/,
    minimums: [
      { kubernetes: '1.25', minimum: '0.25.0' },
      { kubernetes: '1.26', minimum: '0.28.0' },
      { kubernetes: '1.28', minimum: '0.31.0' },
      { kubernetes: '1.29', minimum: '0.34.0' },
      { kubernetes: '1.30', minimum: '0.37.0' },
      { kubernetes: '1.31', minimum: '1.0.5' },
      { kubernetes: '1.32', minimum: '1.2.0' },
      { kubernetes: '1.33', minimum: '1.5.0' },
      { kubernetes: '1.34', minimum: '1.6.0' },
      { kubernetes: '1.35', minimum: '1.9.0' },
    ],
    source: 'https://karpenter.sh/docs/upgrading/compatibility/',
  },
  {
    // "We recommend using Cluster Autoscaler with the Kubernetes control plane version for which it was meant."
    name: 'Cluster Autoscaler',
    image: /(?:^|\/)(?:autoscaling\/)?cluster-autoscaler$/,
    minimums: [],
    matchesMinor: true,
    source: 'https://github.com/kubernetes/autoscaler/tree/master/cluster-autoscaler#releases',
  },
];

/** `[major, minor, patch]` of an image tag such as `v2.4.1`, `1.0.5@sha256:…` or `v1.32.1-eks`; undefined if none. */
export function imageVersion(image: string): { repository: string; version?: number[] } {
  const [withoutDigest = ''] = image.split('@');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > withoutDigest.lastIndexOf('/');
  const repository = hasTag ? withoutDigest.slice(0, colon) : withoutDigest;
  const m = hasTag ? /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(withoutDigest.slice(colon + 1)) : null;
  return { repository, ...(m ? { version: [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] } : {}) };
}

function older(version: number[], minimum: string): boolean {
  const want = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (version[i] ?? 0) - (want[i] ?? 0);
    if (d !== 0) return d < 0;
  }
  return false;
}

/** The minimum a rule asks for at `target`: the highest threshold at or below it. */
function minimumFor(rule: ControllerRule, target: string): string | undefined {
  return rule.minimums.filter((m) => compareMinor(m.kubernetes, target) <= 0).at(-1)?.minimum;
}

/** What a controller image needs for `target`: undefined when it is fine or unknown. */
export function controllerVerdict(
  image: string,
  target: string,
): { rule: ControllerRule; severity: 'blocker' | 'warning'; why: string } | undefined {
  const { repository, version } = imageVersion(image);
  const rule = controllerRules.find((r) => r.image.test(repository));
  if (!rule || !version) return undefined;
  const running = version.join('.');
  const minimum = minimumFor(rule, target);
  if (minimum && older(version, minimum)) {
    return {
      rule,
      severity: 'blocker',
      why: `${rule.name} ${running} is older than ${minimum}, the minimum for ${target}`,
    };
  }
  const minor = `${version[0]}.${version[1]}`;
  if (rule.matchesMinor && minorOf(minor) !== target) {
    return {
      rule,
      severity: 'warning',
      why: `${rule.name} ${running} is meant for Kubernetes ${minor}, not ${target}`,
    };
  }
  return undefined;
}

async function podTemplates(kube: KubeApis): Promise<Array<{ ref: string; template?: V1PodTemplateSpec }>> {
  const out: Array<{ ref: string; template?: V1PodTemplateSpec }> = [];
  const add = (
    kind: string,
    o: { metadata?: { name?: string; namespace?: string }; spec?: { template?: V1PodTemplateSpec } },
  ) =>
    out.push({
      ref: objectRef(kind, o.metadata?.name ?? '?', o.metadata?.namespace),
      ...(o.spec?.template ? { template: o.spec.template } : {}),
    });
  for await (const d of listAll((p) => kube.apps.listDeploymentForAllNamespaces(p))) add('Deployment', d);
  for await (const d of listAll((p) => kube.apps.listDaemonSetForAllNamespaces(p))) add('DaemonSet', d);
  for await (const s of listAll((p) => kube.apps.listStatefulSetForAllNamespaces(p))) add('StatefulSet', s);
  return out;
}

/** Known controllers that are too old for the target (blocker) or built for another minor (warning). */
export async function controllerFindings(kube: KubeApis, request: ReadinessRequest): Promise<Finding[]> {
  const found = new Map<string, { severity: 'blocker' | 'warning'; rule: ControllerRule; objects: string[] }>();
  for (const { ref, template } of await podTemplates(kube)) {
    for (const c of [...(template?.spec?.containers ?? []), ...(template?.spec?.initContainers ?? [])]) {
      const verdict = c.image ? controllerVerdict(c.image, request.to) : undefined;
      if (!verdict) continue;
      const key = `${verdict.rule.name}|${verdict.severity}`;
      const entry = found.get(key) ?? { severity: verdict.severity, rule: verdict.rule, objects: [] };
      entry.objects.push(`${ref}: ${verdict.why}`);
      found.set(key, entry);
    }
  }
  return [...found.values()].map((e) =>
    finding({
      id: e.severity === 'blocker' ? 'controller-too-old' : 'controller-version-mismatch',
      area: 'controllers',
      severity: e.severity,
      message: `${e.rule.name} ${e.severity === 'blocker' ? 'is too old' : 'does not match'} for Kubernetes ${request.to}.`,
      objects: e.objects,
      fix:
        e.severity === 'blocker'
          ? `Upgrade ${e.rule.name} to a release that supports ${request.to} before this hop (${e.rule.source}).`
          : `Deploy the ${e.rule.name} release for ${request.to} right after the control plane update (${e.rule.source}).`,
    }),
  );
}
