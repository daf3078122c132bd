/**
 * What EKS offers in the simulated world (today is 2026-11-21): Kubernetes versions with their support dates,
 * EKS-optimized AMIs (kubelet versions, release versions, SSM public parameters, AMI ids) and EKS add-on versions
 * with their compatibility per Kubernetes version.
 *
 * Dates and versions up to 1.34 follow what EKS published
 * (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html). Kubernetes 1.35 on EKS is past the
 * author's knowledge: its dates, platform version, AMI releases and add-on builds are plausible inventions.
 * AMI ids are deterministic fakes derived from the region and the AMI name.
 */
import { awsId } from './ids.js';

export type AmiFamily = 'al2023' | 'al2' | 'bottlerocket';
export type Architecture = 'x86_64' | 'arm64';
export type VersionSupportStatus = 'STANDARD_SUPPORT' | 'EXTENDED_SUPPORT' | 'UNSUPPORTED';

export interface KubernetesVersionInfo {
  /** Minor version as EKS spells it, e.g. `1.32`. */
  version: string;
  releaseDate: Date;
  endOfStandardSupport: Date;
  endOfExtendedSupport: Date;
  /** The newest EKS platform version for this Kubernetes version, e.g. `eks.26`. */
  platformVersion: string;
  /** Upstream patch the control plane runs, e.g. `1.32.9`. */
  kubernetesPatchVersion: string;
}

interface VersionRow {
  version: string;
  released: string;
  endStandard: string;
  endExtended: string;
  platformVersion: string;
  /** EKS-optimized AMI releases (Amazon Linux), oldest first; the last is the recommended one. */
  ami: Array<{ date: string; kubelet: string }>;
  /** Bottlerocket releases matching `ami` one to one (same kubelet). */
  bottlerocket: string[];
}

// EKS Kubernetes release calendar: https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
const VERSION_ROWS: readonly VersionRow[] = [
  {
    version: '1.28',
    released: '2023-09-26',
    endStandard: '2024-11-26',
    endExtended: '2025-11-26',
    platformVersion: 'eks.49',
    ami: [
      { date: '20251020', kubelet: 'v1.28.15-eks-c39b1d0' },
      { date: '20251112', kubelet: 'v1.28.15-eks-473151a' },
    ],
    bottlerocket: ['1.49.0-713f44ce', '1.50.0-cda7c5de'],
  },
  {
    version: '1.29',
    released: '2024-01-23',
    endStandard: '2025-03-23',
    endExtended: '2026-03-23',
    platformVersion: 'eks.46',
    ami: [
      { date: '20251020', kubelet: 'v1.29.15-eks-c39b1d0' },
      { date: '20251112', kubelet: 'v1.29.15-eks-473151a' },
    ],
    bottlerocket: ['1.49.0-713f44ce', '1.50.0-cda7c5de'],
  },
  {
    version: '1.30',
    released: '2024-05-23',
    endStandard: '2025-07-23',
    endExtended: '2026-07-23',
    platformVersion: 'eks.42',
    ami: [
      { date: '20251020', kubelet: 'v1.30.14-eks-3abbec1' },
      { date: '20251112', kubelet: 'v1.30.14-eks-b707fbb' },
    ],
    bottlerocket: ['1.49.0-713f44ce', '1.50.0-cda7c5de'],
  },
  {
    version: '1.31',
    released: '2024-09-26',
    endStandard: '2025-11-26',
    endExtended: '2026-11-26',
    platformVersion: 'eks.44',
    ami: [
      { date: '20251020', kubelet: 'v1.31.12-eks-3abbec1' },
      { date: '20251112', kubelet: 'v1.31.13-eks-113cf36' },
    ],
    bottlerocket: ['1.49.0-713f44ce', '1.50.0-cda7c5de'],
  },
  {
    version: '1.32',
    released: '2025-01-23',
    endStandard: '2026-03-23',
    endExtended: '2027-03-23',
    platformVersion: 'eks.27',
    ami: [
      { date: '20251020', kubelet: 'v1.32.7-eks-3abbec1' },
      { date: '20251112', kubelet: 'v1.32.9-eks-113cf36' },
    ],
    bottlerocket: ['1.49.0-713f44ce', '1.50.0-cda7c5de'],
  },
  {
    version: '1.33',
    released: '2025-05-29',
    endStandard: '2026-07-29',
    endExtended: '2027-07-29',
    platformVersion: 'eks.19',
    ami: [
      { date: '20251020', kubelet: 'v1.33.4-eks-3abbec1' },
      { date: '20251112', kubelet: 'v1.33.5-eks-113cf36' },
    ],
    bottlerocket: ['1.49.0-713f44ce', '1.50.0-cda7c5de'],
  },
  {
    version: '1.34',
    released: '2025-10-02',
    endStandard: '2026-12-02',
    endExtended: '2027-12-02',
    platformVersion: 'eks.9',
    ami: [
      { date: '20251020', kubelet: 'v1.34.1-eks-3abbec1' },
      { date: '20251112', kubelet: 'v1.34.1-eks-113cf36' },
    ],
    bottlerocket: ['1.49.0-713f44ce', '1.50.0-cda7c5de'],
  },
  {
    // Past the author's knowledge: plausible dates (upstream 1.35 shipped in December 2025) and builds.
    version: '1.35',
    released: '2026-01-27',
    endStandard: '2027-03-27',
    endExtended: '2028-03-27',
    platformVersion: 'eks.6',
    ami: [
      { date: '20260127', kubelet: 'v1.35.0-eks-4f1c2d7' },
      { date: '20260210', kubelet: 'v1.35.1-eks-9a8e2b1' },
    ],
    bottlerocket: ['1.53.0-1d4fb8b5', '1.54.0-8a1c2e0f'],
  },
];

/** The version EKS picks for a new cluster when none is given (`defaultVersion` in DescribeClusterVersions). */
export const DEFAULT_CLUSTER_VERSION = '1.34';

/** Amazon Linux 2 EKS-optimized AMIs are published up to Kubernetes 1.32 and no further. */
// https://docs.aws.amazon.com/eks/latest/userguide/eks-ami-deprecation-faqs.html
export const LAST_AL2_VERSION = '1.32';

const versionByMinor = new Map(VERSION_ROWS.map((row) => [row.version, row]));

function row(minor: string): VersionRow {
  const found = versionByMinor.get(minor);
  if (!found) {
    throw new Error(
      `Kubernetes version ${minor} is not in the simulated EKS catalog (have ${VERSION_ROWS.map((r) => r.version).join(', ')})`,
    );
  }
  return found;
}

/** Compares minor versions numerically (`1.9` < `1.10`). */
export function compareMinor(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/** The next minor version (`1.32` → `1.33`). */
export function nextMinor(minor: string): string {
  const [major = 1, m = 0] = minor.split('.').map(Number);
  return `${major}.${m + 1}`;
}

export function isKnownVersion(minor: string): boolean {
  return versionByMinor.has(minor);
}

/** Every Kubernetes version in the catalog, oldest first. */
export function kubernetesVersions(): KubernetesVersionInfo[] {
  return VERSION_ROWS.map((r) => versionInfo(r.version));
}

/** Release and support dates of one version. Throws if the catalog does not have it. */
export function versionInfo(minor: string): KubernetesVersionInfo {
  const r = row(minor);
  const latest = r.ami[r.ami.length - 1];
  return {
    version: r.version,
    releaseDate: new Date(`${r.released}T00:00:00Z`),
    endOfStandardSupport: new Date(`${r.endStandard}T00:00:00Z`),
    endOfExtendedSupport: new Date(`${r.endExtended}T00:00:00Z`),
    platformVersion: r.platformVersion,
    kubernetesPatchVersion: latest ? patchOf(latest.kubelet) : `${r.version}.0`,
  };
}

/** Where a version stands on a date, as DescribeClusterVersions reports it in `versionStatus`. */
export function supportStatus(minor: string, at: Date): VersionSupportStatus {
  const info = versionInfo(minor);
  if (at < info.endOfStandardSupport) return 'STANDARD_SUPPORT';
  if (at < info.endOfExtendedSupport) return 'EXTENDED_SUPPORT';
  return 'UNSUPPORTED';
}

/** The newest EKS platform version of a Kubernetes version. */
export function latestPlatformVersion(minor: string): string {
  return row(minor).platformVersion;
}

function patchOf(kubelet: string): string {
  return kubelet.replace(/^v/, '').replace(/-eks-.*$/, '');
}

// ---------------------------------------------------------------------------------------------------------------
// EKS-optimized AMIs

/** One EKS-optimized AMI release for a family, architecture and Kubernetes version. */
export interface AmiRelease {
  family: AmiFamily;
  architecture: Architecture;
  kubernetesVersion: string;
  /** What a managed node group reports as `releaseVersion`: `1.32.9-20251112`, or `1.50.0-cda7c5de` for Bottlerocket. */
  releaseVersion: string;
  /** The kubelet version nodes report, e.g. `v1.32.9-eks-113cf36`. */
  kubeletVersion: string;
  amiName: string;
  description: string;
  /** OS image as `kubectl get nodes -o wide` shows it. */
  osImage: string;
  creationDate: string;
  recommended: boolean;
}

/** An AMI release as registered in one region. */
export interface AmiImage extends AmiRelease {
  region: string;
  imageId: string;
}

/** Whether the family publishes AMIs for the version (Amazon Linux 2 stops at 1.32). */
export function amiFamilyAvailable(family: AmiFamily, minor: string): boolean {
  if (!isKnownVersion(minor)) return false;
  return family !== 'al2' || compareMinor(minor, LAST_AL2_VERSION) <= 0;
}

/** Every AMI release of a family, architecture and version, oldest first (the last is recommended). */
export function amiReleases(family: AmiFamily, architecture: Architecture, minor: string): AmiRelease[] {
  if (!amiFamilyAvailable(family, minor)) return [];
  const r = row(minor);
  return r.ami.map((ami, i) => {
    const recommended = i === r.ami.length - 1;
    const patch = patchOf(ami.kubelet);
    const creationDate = `${ami.date.slice(0, 4)}-${ami.date.slice(4, 6)}-${ami.date.slice(6, 8)}T06:12:45.000Z`;
    const base = {
      family,
      architecture,
      kubernetesVersion: minor,
      kubeletVersion: ami.kubelet,
      creationDate,
      recommended,
    };
    if (family === 'bottlerocket') {
      const brVersion = r.bottlerocket[i] ?? r.bottlerocket[r.bottlerocket.length - 1] ?? '1.50.0-cda7c5de';
      const brArch = architecture === 'arm64' ? 'aarch64' : 'x86_64';
      const amiName = `bottlerocket-aws-k8s-${minor}-${brArch}-v${brVersion}`;
      return {
        ...base,
        releaseVersion: brVersion,
        amiName,
        description: amiName,
        osImage: `Bottlerocket OS ${brVersion.split('-')[0]} (aws-k8s-${minor})`,
      };
    }
    if (family === 'al2') {
      const amiName =
        architecture === 'arm64'
          ? `amazon-eks-arm64-node-${minor}-v${ami.date}`
          : `amazon-eks-node-${minor}-v${ami.date}`;
      return {
        ...base,
        releaseVersion: `${patch}-${ami.date}`,
        amiName,
        description: `EKS Kubernetes Worker AMI with AmazonLinux2 image, (k8s: ${patch}, containerd: 1.7.*)`,
        osImage: 'Amazon Linux 2',
      };
    }
    const amiName = `amazon-eks-node-al2023-${architecture}-standard-${minor}-v${ami.date}`;
    return {
      ...base,
      releaseVersion: `${patch}-${ami.date}`,
      amiName,
      description: `EKS-optimized Kubernetes node based on Amazon Linux 2023, (k8s: ${patch}, containerd: 2.1.*)`,
      osImage: `Amazon Linux 2023.9.${ami.date}`,
    };
  });
}

/** The deterministic AMI id of a release in a region. */
export function amiImageId(region: string, amiName: string): string {
  return awsId('ami', region, amiName);
}

/** The recommended (newest) release, or a named one. Returns undefined when the catalog has no such AMI. */
export function findAmi(options: {
  region: string;
  family: AmiFamily;
  architecture: Architecture;
  version: string;
  releaseVersion?: string;
}): AmiImage | undefined {
  const releases = amiReleases(options.family, options.architecture, options.version);
  const release = options.releaseVersion
    ? releases.find((r) => r.releaseVersion === options.releaseVersion)
    : releases[releases.length - 1];
  if (!release) return undefined;
  return { ...release, region: options.region, imageId: amiImageId(options.region, release.amiName) };
}

const FAMILIES: readonly AmiFamily[] = ['al2023', 'al2', 'bottlerocket'];
const ARCHITECTURES: readonly Architecture[] = ['x86_64', 'arm64'];
const imagesByRegion = new Map<string, Map<string, AmiImage>>();

/** Every catalog AMI registered in a region, by image id. */
export function regionImages(region: string): ReadonlyMap<string, AmiImage> {
  let images = imagesByRegion.get(region);
  if (!images) {
    images = new Map();
    for (const v of VERSION_ROWS) {
      for (const family of FAMILIES) {
        for (const architecture of ARCHITECTURES) {
          for (const release of amiReleases(family, architecture, v.version)) {
            const imageId = amiImageId(region, release.amiName);
            images.set(imageId, { ...release, region, imageId });
          }
        }
      }
    }
    imagesByRegion.set(region, images);
  }
  return images;
}

/** Looks an AMI id up in a region's catalog. */
export function imageById(region: string, imageId: string): AmiImage | undefined {
  return regionImages(region).get(imageId);
}

/** The newest kubelet version EKS-optimized AMIs ship for a Kubernetes version. */
export function kubeletVersionFor(minor: string): string {
  const r = row(minor);
  const latest = r.ami[r.ami.length - 1];
  if (!latest) throw new Error(`no AMI release for Kubernetes ${minor}`);
  return latest.kubelet;
}

/** The release version a managed node group gets by default for a version and AMI family. */
export function latestReleaseVersion(minor: string, family: AmiFamily, architecture: Architecture = 'x86_64'): string {
  const releases = amiReleases(family, architecture, minor);
  const latest = releases[releases.length - 1];
  if (!latest) throw new Error(`no ${family} ${architecture} AMI for Kubernetes ${minor}`);
  return latest.releaseVersion;
}

/** A managed node group `amiType` as the AMI family and architecture it stands for. */
export function amiTypeFamily(amiType: string): { family: AmiFamily; architecture: Architecture } | undefined {
  switch (amiType) {
    case 'AL2023_x86_64_STANDARD':
      return { family: 'al2023', architecture: 'x86_64' };
    case 'AL2023_ARM_64_STANDARD':
      return { family: 'al2023', architecture: 'arm64' };
    case 'AL2_x86_64':
      return { family: 'al2', architecture: 'x86_64' };
    case 'AL2_ARM_64':
      return { family: 'al2', architecture: 'arm64' };
    case 'BOTTLEROCKET_x86_64':
      return { family: 'bottlerocket', architecture: 'x86_64' };
    case 'BOTTLEROCKET_ARM_64':
      return { family: 'bottlerocket', architecture: 'arm64' };
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// SSM public parameters
// AL2023/AL2: https://docs.aws.amazon.com/eks/latest/userguide/retrieve-ami-id.html
// Bottlerocket: https://docs.aws.amazon.com/eks/latest/userguide/retrieve-ami-id-bottlerocket.html

/** The SSM public parameter holding the recommended AMI id of a family, architecture and version. */
export function recommendedImageParameter(family: AmiFamily, architecture: Architecture, minor: string): string {
  if (family === 'bottlerocket') return `/aws/service/bottlerocket/aws-k8s-${minor}/${architecture}/latest/image_id`;
  if (family === 'al2') {
    const suffix = architecture === 'arm64' ? 'amazon-linux-2-arm64' : 'amazon-linux-2';
    return `/aws/service/eks/optimized-ami/${minor}/${suffix}/recommended/image_id`;
  }
  return `/aws/service/eks/optimized-ami/${minor}/amazon-linux-2023/${architecture}/standard/recommended/image_id`;
}

export interface PublicParameter {
  name: string;
  value: string;
  dataType: 'text' | 'aws:ec2:image';
  lastModifiedDate: Date;
}

const parametersByRegion = new Map<string, Map<string, PublicParameter>>();

/** Every EKS and Bottlerocket public parameter the simulated SSM serves in a region. */
export function publicParameters(region: string): ReadonlyMap<string, PublicParameter> {
  let params = parametersByRegion.get(region);
  if (params) return params;
  params = new Map();
  const add = (name: string, value: string, dataType: PublicParameter['dataType'], created: string) =>
    params?.set(name, { name, value, dataType, lastModifiedDate: new Date(created) });
  for (const v of VERSION_ROWS) {
    for (const family of FAMILIES) {
      for (const architecture of ARCHITECTURES) {
        const releases = amiReleases(family, architecture, v.version);
        const latest = releases[releases.length - 1];
        if (!latest) continue;
        const id = (r: AmiRelease) => amiImageId(region, r.amiName);
        const imageParam = recommendedImageParameter(family, architecture, v.version);
        add(imageParam, id(latest), 'aws:ec2:image', latest.creationDate);
        if (family === 'bottlerocket') {
          const prefix = imageParam.replace(/\/image_id$/, '');
          add(`${prefix}/image_version`, latest.releaseVersion, 'text', latest.creationDate);
          for (const r of releases) {
            const versioned = prefix.replace(/\/latest$/, `/${r.releaseVersion}`);
            add(`${versioned}/image_id`, id(r), 'aws:ec2:image', r.creationDate);
            add(`${versioned}/image_version`, r.releaseVersion, 'text', r.creationDate);
          }
          continue;
        }
        const recommended = imageParam.replace(/\/image_id$/, '');
        add(`${recommended}/release_version`, latest.releaseVersion, 'text', latest.creationDate);
        add(`${recommended}/image_name`, latest.amiName, 'text', latest.creationDate);
        add(
          recommended,
          JSON.stringify({
            schema_version: '3',
            image_id: id(latest),
            image_name: latest.amiName,
            release_version: latest.releaseVersion,
          }),
          'text',
          latest.creationDate,
        );
        const familyRoot = recommended.replace(/\/recommended$/, '');
        for (const r of releases) add(`${familyRoot}/${r.amiName}/image_id`, id(r), 'aws:ec2:image', r.creationDate);
      }
    }
  }
  parametersByRegion.set(region, params);
  return params;
}

// ---------------------------------------------------------------------------------------------------------------
// EKS add-ons
// https://docs.aws.amazon.com/eks/latest/userguide/workloads-add-ons-available-eks.html and
// `aws eks describe-addon-versions`: each add-on version lists the cluster versions it supports and, per cluster
// version, exactly one version is the default.

export interface AddonVersionEntry {
  addonVersion: string;
  /** Kubernetes versions this add-on version is compatible with. */
  clusterVersions: readonly string[];
  /** Kubernetes versions for which this is the default version. */
  defaultFor: readonly string[];
}

export interface AddonCatalogEntry {
  name: string;
  type: string;
  requiresIamPermissions: boolean;
  /** Newest first, as DescribeAddonVersions lists them. */
  versions: readonly AddonVersionEntry[];
}

const ALL = VERSION_ROWS.map((r) => r.version);
const span = (from: string, to: string) => ALL.filter((v) => compareMinor(v, from) >= 0 && compareMinor(v, to) <= 0);

function kubeProxyVersions(): AddonVersionEntry[] {
  // kube-proxy builds track the Kubernetes minor: each is offered for its own minor only.
  const builds: Record<string, [string, string]> = {
    '1.28': ['v1.28.8-eksbuild.5', 'v1.28.15-eksbuild.34'],
    '1.29': ['v1.29.3-eksbuild.5', 'v1.29.15-eksbuild.26'],
    '1.30': ['v1.30.0-eksbuild.3', 'v1.30.14-eksbuild.18'],
    '1.31': ['v1.31.2-eksbuild.3', 'v1.31.13-eksbuild.2'],
    '1.32': ['v1.32.0-eksbuild.2', 'v1.32.9-eksbuild.2'],
    '1.33': ['v1.33.0-eksbuild.2', 'v1.33.5-eksbuild.2'],
    '1.34': ['v1.34.0-eksbuild.2', 'v1.34.1-eksbuild.2'],
    '1.35': ['v1.35.0-eksbuild.1', 'v1.35.1-eksbuild.2'],
  };
  return Object.entries(builds)
    .reverse()
    .flatMap(([minor, [older, newer]]) => [
      { addonVersion: newer, clusterVersions: [minor], defaultFor: [minor] },
      { addonVersion: older, clusterVersions: [minor], defaultFor: [] },
    ]);
}

const ADDONS: readonly AddonCatalogEntry[] = [
  {
    name: 'vpc-cni',
    type: 'networking',
    requiresIamPermissions: true,
    versions: [
      { addonVersion: 'v1.20.4-eksbuild.2', clusterVersions: span('1.28', '1.35'), defaultFor: span('1.33', '1.35') },
      { addonVersion: 'v1.19.6-eksbuild.7', clusterVersions: span('1.28', '1.34'), defaultFor: span('1.31', '1.32') },
      { addonVersion: 'v1.19.2-eksbuild.1', clusterVersions: span('1.28', '1.33'), defaultFor: span('1.29', '1.30') },
      { addonVersion: 'v1.18.6-eksbuild.1', clusterVersions: span('1.28', '1.31'), defaultFor: ['1.28'] },
    ],
  },
  {
    name: 'coredns',
    type: 'networking',
    requiresIamPermissions: false,
    versions: [
      { addonVersion: 'v1.12.4-eksbuild.1', clusterVersions: span('1.33', '1.35'), defaultFor: span('1.33', '1.35') },
      { addonVersion: 'v1.12.1-eksbuild.2', clusterVersions: span('1.33', '1.35'), defaultFor: [] },
      { addonVersion: 'v1.11.4-eksbuild.24', clusterVersions: span('1.30', '1.32'), defaultFor: span('1.30', '1.32') },
      { addonVersion: 'v1.11.3-eksbuild.2', clusterVersions: span('1.29', '1.32'), defaultFor: [] },
      { addonVersion: 'v1.11.1-eksbuild.13', clusterVersions: span('1.29', '1.30'), defaultFor: ['1.29'] },
      { addonVersion: 'v1.10.1-eksbuild.18', clusterVersions: ['1.28'], defaultFor: ['1.28'] },
    ],
  },
  { name: 'kube-proxy', type: 'networking', requiresIamPermissions: false, versions: kubeProxyVersions() },
  {
    name: 'aws-ebs-csi-driver',
    type: 'storage',
    requiresIamPermissions: true,
    versions: [
      { addonVersion: 'v1.51.1-eksbuild.1', clusterVersions: span('1.28', '1.35'), defaultFor: ALL },
      { addonVersion: 'v1.48.0-eksbuild.2', clusterVersions: span('1.28', '1.34'), defaultFor: [] },
      { addonVersion: 'v1.45.0-eksbuild.2', clusterVersions: span('1.28', '1.33'), defaultFor: [] },
    ],
  },
  {
    name: 'eks-pod-identity-agent',
    type: 'security',
    requiresIamPermissions: false,
    versions: [
      { addonVersion: 'v1.3.9-eksbuild.3', clusterVersions: span('1.28', '1.35'), defaultFor: ALL },
      { addonVersion: 'v1.3.4-eksbuild.1', clusterVersions: span('1.28', '1.33'), defaultFor: [] },
    ],
  },
];

const addonByName = new Map(ADDONS.map((a) => [a.name, a]));

/** Every add-on in the catalog. */
export function addonCatalog(): readonly AddonCatalogEntry[] {
  return ADDONS;
}

export function addonNames(): string[] {
  return ADDONS.map((a) => a.name);
}

export function findAddon(name: string): AddonCatalogEntry | undefined {
  return addonByName.get(name);
}

/** Versions of an add-on compatible with a Kubernetes version, newest first. */
export function addonVersionsFor(name: string, minor: string): AddonVersionEntry[] {
  return (addonByName.get(name)?.versions ?? []).filter((v) => v.clusterVersions.includes(minor));
}

/** The default version of an add-on for a Kubernetes version. Throws if the catalog has none. */
export function defaultAddonVersion(name: string, minor: string): string {
  const entry = addonVersionsFor(name, minor).find((v) => v.defaultFor.includes(minor));
  if (!entry) throw new Error(`the simulated EKS catalog has no default ${name} version for Kubernetes ${minor}`);
  return entry.addonVersion;
}

export function isAddonVersionCompatible(name: string, addonVersion: string, minor: string): boolean {
  return addonVersionsFor(name, minor).some((v) => v.addonVersion === addonVersion);
}

/** Orders add-on versions such as `v1.19.6-eksbuild.7` by their numbers (major, minor, patch, build). */
export function compareAddonVersions(a: string, b: string): number {
  const parts = (v: string) => (v.match(/\d+/g) ?? []).map(Number);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
