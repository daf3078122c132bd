import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  decodeHelmRelease,
  HelmReleaseScan,
  parseManifests,
  scanManifestPaths,
  trackedObjectsIn,
} from '../../lib/readiness/index.js';
import { encodeHelmRelease, helmReleaseSecret, renderHelmManifest } from '../../sim/kube/helm.js';
import { parseScenario } from '../../sim/scenario.js';

const helmTemplate = `---
# Source: shop/templates/pdb.yaml
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata:
  name: shop
  namespace: web
spec:
  minAvailable: 1
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
`;

describe('manifest parsing', () => {
  it('reads multi-document YAML with each object’s line, and the Helm template it came from', () => {
    // Act
    const { objects, errors } = parseManifests(helmTemplate);

    // Assess
    expect(errors).toEqual([]);
    expect(objects).toEqual([
      {
        apiVersion: 'policy/v1beta1',
        kind: 'PodDisruptionBudget',
        name: 'shop',
        namespace: 'web',
        line: 3,
        template: 'shop/templates/pdb.yaml',
      },
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop', line: 12, template: 'shop/templates/deployment.yaml' },
    ]);
  });

  it('expands List kinds item by item, at each item’s line', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: batch/v1beta1\n  kind: CronJob\n  metadata: {name: a}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n';
    expect(parseManifests(text).objects.map((o) => `${o.kind}:${o.line}`)).toEqual(['CronJob:4', 'ConfigMap:7']);
  });

  it('expands typed lists (ConfigMapList) and JSON', () => {
    const text = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMapList',
      items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }],
    });
    expect(parseManifests(text).objects.map((o) => o.name)).toEqual(['x']);
  });

  it('reports an invalid document with its line and keeps reading the others', () => {
    // Act
    const { objects, errors } = parseManifests(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\nkind: [oops\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n',
    );

    // Assess
    expect(objects.map((o) => o.name)).toEqual(['ok', 's']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^line 5: /);
  });

  it('skips documents that are not Kubernetes objects (values files, comments, empty documents)', () => {
    expect(parseManifests('# nothing\n---\n---\nreplicaCount: 3\nimage: {tag: v1}\n').objects).toEqual([]);
  });
});

describe('fast scan of rendered Helm manifests', () => {
  it('returns only the objects of tracked APIs, with their template, without parsing the others', () => {
    expect(trackedObjectsIn(helmTemplate)).toEqual([
      {
        apiVersion: 'policy/v1beta1',
        kind: 'PodDisruptionBudget',
        name: 'shop',
        namespace: 'web',
        line: 1,
        template: 'shop/templates/pdb.yaml',
      },
    ]);
  });

  it('looks inside Lists and ignores documents YAML cannot read', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: batch/v1beta1\n  kind: CronJob\n  metadata: {name: nightly}\n---\napiVersion: batch/v1beta1\nkind: CronJob\nmetadata: [broken\n';
    expect(trackedObjectsIn(text).map((o) => o.name)).toEqual(['nightly']);
  });
});

describe('Helm v3 release records', () => {
  const release = parseScenario({
    name: 'h',
    clusters: [
      {
        name: 'c',
        region: 'eu-west-1',
        version: '1.32',
        helmReleases: [
          {
            name: 'shop',
            namespace: 'web',
            chart: 'shop',
            chartVersion: '2.0.0',
            revision: 7,
            manifests: [{ apiVersion: 'batch/v1beta1', kind: 'CronJob', name: 'nightly' }],
          },
        ],
      },
    ],
  }).clusters[0]?.helmReleases[0];
  if (!release) throw new Error('no release');

  it('decodes Helm’s encoding (base64 of gzipped JSON) back to the deployed manifest', () => {
    // Act
    const decoded = decodeHelmRelease(encodeHelmRelease(release, '2026-01-01T00:00:00Z'));

    // Assess
    expect(decoded).toMatchObject({
      name: 'shop',
      namespace: 'web',
      revision: 7,
      status: 'deployed',
      chart: 'shop-2.0.0',
    });
    expect(decoded.manifest).toBe(renderHelmManifest(release));
  });

  it('decodes a record stored without gzip, as Helm reads it when the magic header is absent', () => {
    const plain = Buffer.from(
      JSON.stringify({ name: 'raw', namespace: 'x', version: 1, info: { status: 'deployed' }, manifest: '' }),
    ).toString('base64');
    expect(decodeHelmRelease(plain)).toMatchObject({ name: 'raw', revision: 1 });
  });

  it('keeps the highest deployed revision of a release, skips superseded ones and reports undecodable records', () => {
    // Prepare
    const scan = new HelmReleaseScan();
    const secret = (revision: number, status: string, manifest: string) => {
      const record = { name: 'shop', namespace: 'web', version: revision, info: { status }, manifest };
      const encoded = gzipSync(JSON.stringify(record)).toString('base64');
      return {
        type: 'helm.sh/release.v1',
        metadata: { name: `sh.helm.release.v1.shop.v${revision}`, namespace: 'web', labels: { owner: 'helm', status } },
        data: { release: Buffer.from(encoded).toString('base64') },
      };
    };
    const cron = 'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: old}\n';

    // Act
    scan.add(secret(9, 'deployed', cron));
    scan.add(secret(10, 'deployed', cron.replace('old', 'newest')));
    scan.add(secret(11, 'superseded', cron.replace('old', 'superseded')));
    scan.add({ ...secret(12, 'deployed', cron), data: { release: Buffer.from('not a release').toString('base64') } });
    scan.add({ type: 'Opaque', metadata: { name: 'db-password' }, data: { password: 'c2VjcmV0' } });

    // Assess
    expect(scan.count).toBe(1);
    expect(scan.usages().map((u) => [u.name, u.source])).toEqual([
      ['newest', { type: 'helm', release: 'web/shop', revision: 10 }],
    ]);
    expect(scan.unreadable).toEqual(['web/sh.helm.release.v1.shop.v12']);
  });

  it('reads the Secret the simulator stores exactly as Helm’s Secret driver does', () => {
    const scan = new HelmReleaseScan();
    scan.add(helmReleaseSecret(release, '2026-01-01T00:00:00Z') as Parameters<HelmReleaseScan['add']>[0]);
    expect(scan.usages().map((u) => `${u.kind} ${u.name}`)).toEqual(['CronJob nightly']);
  });
});

describe('manifest paths', () => {
  it('reads stdin for "-" and reports unreadable paths without throwing', async () => {
    // Act
    const scan = await scanManifestPaths(
      { stdin: () => Readable.from(['apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: web}\n']) },
      { paths: ['-', '/nonexistent/manifests'], target: '1.22' },
    );

    // Assess
    expect(scan.verdicts.map((v) => [v.source, v.status])).toEqual([[{ type: 'file', path: '-', line: 1 }, 'removed']]);
    expect(scan.unreadable).toEqual([{ path: '/nonexistent/manifests', reason: 'no such file or directory' }]);
  });
});
