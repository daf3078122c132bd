/**
 * Deprecated and removed APIs of components that run on Kubernetes, judged against the component's own release
 * (`eks-upgrade scan --components cert-manager,istio --target-versions cert-manager=1.6`). Versions are the
 * component's releases, not Kubernetes'.
 */
import type { ApiDeprecation } from './apis.js';

function each(kinds: string[], fields: Omit<ApiDeprecation, 'kind'>): ApiDeprecation[] {
  return kinds.map((kind) => ({ kind, ...fields }));
}

const certManagerKinds = ['Certificate', 'CertificateRequest', 'Issuer', 'ClusterIssuer'];

/**
 * cert-manager: the `certmanager.k8s.io` group was replaced by `cert-manager.io` in v0.11
 * (https://cert-manager.io/docs/releases/upgrading/upgrading-0.10-0.11/); the v1alpha2, v1alpha3 and v1beta1
 * versions, deprecated in v1.4, were removed in v1.6 (https://cert-manager.io/docs/releases/upgrading/upgrading-1.5-1.6/).
 */
export const certManagerDeprecations: readonly ApiDeprecation[] = [
  ...each([...certManagerKinds, 'Order', 'Challenge'], {
    apiVersion: 'certmanager.k8s.io/v1alpha1',
    deprecatedIn: '0.11',
    removedIn: '0.11',
    component: 'cert-manager',
    note: 'The API group changed: rewrite the resources in cert-manager.io (and acme.cert-manager.io for Order and Challenge).',
  }).map((d) => ({
    ...d,
    replacement: d.kind === 'Order' || d.kind === 'Challenge' ? 'acme.cert-manager.io/v1' : 'cert-manager.io/v1',
    replacementAvailableIn: '1.0',
  })),
  ...['v1alpha2', 'v1alpha3', 'v1beta1'].flatMap((version) => [
    ...each(certManagerKinds, {
      apiVersion: `cert-manager.io/${version}`,
      deprecatedIn: '1.4',
      removedIn: '1.6',
      replacement: 'cert-manager.io/v1',
      replacementAvailableIn: '1.0',
      component: 'cert-manager',
    }),
    ...each(['Order', 'Challenge'], {
      apiVersion: `acme.cert-manager.io/${version}`,
      deprecatedIn: '1.4',
      removedIn: '1.6',
      replacement: 'acme.cert-manager.io/v1',
      replacementAvailableIn: '1.0',
      component: 'cert-manager',
    }),
  ]),
];

/**
 * Istio: `rbac.istio.io` was removed in 1.4 and `authentication.istio.io/v1alpha1` in 1.6, both for
 * `security.istio.io/v1beta1` (https://istio.io/latest/news/releases/1.4.x/announcing-1.4/upgrade-notes/,
 * https://istio.io/latest/news/releases/1.6.x/announcing-1.6/upgrade-notes/). `*` covers every kind of the group.
 */
export const istioDeprecations: readonly ApiDeprecation[] = [
  {
    apiVersion: 'rbac.istio.io/v1alpha1',
    kind: '*',
    deprecatedIn: '1.4',
    removedIn: '1.4',
    replacement: 'security.istio.io/v1beta1',
    replacementKind: 'AuthorizationPolicy',
    replacementAvailableIn: '1.4',
    component: 'istio',
  },
  {
    apiVersion: 'authentication.istio.io/v1alpha1',
    kind: '*',
    deprecatedIn: '1.5',
    removedIn: '1.6',
    replacement: 'security.istio.io/v1beta1',
    replacementKind: 'PeerAuthentication',
    replacementAvailableIn: '1.5',
    component: 'istio',
    note: 'Policy becomes PeerAuthentication (mTLS) and RequestAuthentication (JWT).',
  },
];

/** Every component catalog the product ships, by component name. */
export const componentDeprecations: Readonly<Record<string, readonly ApiDeprecation[]>> = {
  'cert-manager': certManagerDeprecations,
  istio: istioDeprecations,
};
