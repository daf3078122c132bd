import { describe, expect, it } from 'vitest';
import {
  addonCatalog,
  addonVersionsFor,
  amiReleases,
  defaultAddonVersion,
  findAmi,
  imageById,
  kubeletVersionFor,
  kubernetesVersions,
  latestReleaseVersion,
  publicParameters,
  recommendedImageParameter,
  supportStatus,
} from '../../../sim/aws/index.js';

const TODAY = new Date('2026-11-21T00:00:00Z');

describe('simulated EKS catalog', () => {
  it('offers 1.28 to 1.35 with support dates in order', () => {
    const versions = kubernetesVersions();

    expect(versions.map((v) => v.version)).toEqual(['1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35']);
    for (const v of versions) {
      expect(v.releaseDate < v.endOfStandardSupport).toBe(true);
      expect(v.endOfStandardSupport < v.endOfExtendedSupport).toBe(true);
    }
    expect(supportStatus('1.30', TODAY)).toBe('UNSUPPORTED');
    expect(supportStatus('1.31', TODAY)).toBe('EXTENDED_SUPPORT');
    expect(supportStatus('1.34', TODAY)).toBe('STANDARD_SUPPORT');
  });

  it('names kubelet and AMI release versions as EKS does', () => {
    expect(kubeletVersionFor('1.32')).toBe('v1.32.9-eks-113cf36');
    expect(latestReleaseVersion('1.32', 'al2023')).toBe('1.32.9-20251112');
    expect(latestReleaseVersion('1.32', 'bottlerocket')).toMatch(/^1\.\d+\.\d+-[0-9a-f]{8}$/);
    for (const v of kubernetesVersions())
      expect(kubeletVersionFor(v.version)).toMatch(/^v\d+\.\d+\.\d+-eks-[0-9a-f]{7}$/);
  });

  it('stops Amazon Linux 2 AMIs at 1.32', () => {
    expect(amiReleases('al2', 'x86_64', '1.32')).not.toHaveLength(0);
    expect(amiReleases('al2', 'x86_64', '1.33')).toEqual([]);
    expect(publicParameters('eu-west-1').has(recommendedImageParameter('al2', 'x86_64', '1.33'))).toBe(false);
    expect(publicParameters('eu-west-1').has(recommendedImageParameter('al2023', 'arm64', '1.35'))).toBe(true);
    expect(recommendedImageParameter('bottlerocket', 'x86_64', '1.33')).toBe(
      '/aws/service/bottlerocket/aws-k8s-1.33/x86_64/latest/image_id',
    );
  });

  it('gives deterministic AMI ids per region that resolve back to their release', () => {
    const ami = findAmi({ region: 'eu-west-1', family: 'al2023', architecture: 'x86_64', version: '1.33' });
    const again = findAmi({ region: 'eu-west-1', family: 'al2023', architecture: 'x86_64', version: '1.33' });
    const elsewhere = findAmi({ region: 'us-east-1', family: 'al2023', architecture: 'x86_64', version: '1.33' });

    expect(ami?.imageId).toBe(again?.imageId);
    expect(ami?.imageId).not.toBe(elsewhere?.imageId);
    expect(imageById('eu-west-1', ami?.imageId ?? '')?.kubeletVersion).toBe(kubeletVersionFor('1.33'));
  });

  it('has exactly one default version of every add-on for every Kubernetes version', () => {
    for (const addon of addonCatalog()) {
      for (const v of kubernetesVersions()) {
        const defaults = addonVersionsFor(addon.name, v.version).filter((e) => e.defaultFor.includes(v.version));
        expect(defaults, `${addon.name} on ${v.version}`).toHaveLength(1);
      }
    }
    expect(defaultAddonVersion('coredns', '1.31')).toMatch(/^v1\.11\./);
    expect(defaultAddonVersion('coredns', '1.33')).toMatch(/^v1\.12\./);
    expect(defaultAddonVersion('kube-proxy', '1.33')).toMatch(/^v1\.33\.\d+-eksbuild\.\d+$/);
    expect(addonVersionsFor('kube-proxy', '1.32').map((e) => e.addonVersion)).not.toContain('v1.33.0-eksbuild.2');
    expect(addonVersionsFor('vpc-cni', '1.28').length).toBeGreaterThan(1);
  });
});
