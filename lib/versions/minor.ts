import { InvalidInput } from '../errors.js';

/** A Kubernetes minor version such as 1.32, as EKS names its versions. */
export interface MinorVersion {
  major: number;
  minor: number;
}

const minorPattern = /^v?(\d+)\.(\d+)(?:[.\-+].*)?$/;

/** Parses "1.32", "v1.32.9-eks-113cf36" or "1.32.9" into its minor version. Throws InvalidInput. */
export function parseMinor(version: string): MinorVersion {
  const match = minorPattern.exec(version.trim());
  if (!match) throw new InvalidInput(`"${version}" is not a Kubernetes version; use a minor version such as "1.32"`);
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** The "1.32" form of any Kubernetes version string. Throws InvalidInput. */
export function minorOf(version: string): string {
  const v = parseMinor(version);
  return `${v.major}.${v.minor}`;
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareMinor(a: string, b: string): number {
  const x = parseMinor(a);
  const y = parseMinor(b);
  return x.major - y.major || x.minor - y.minor;
}

/** The minor version `steps` after `version` (negative steps go back). */
export function addMinor(version: string, steps: number): string {
  const v = parseMinor(version);
  return `${v.major}.${v.minor + steps}`;
}

/** How many minor versions `to` is ahead of `from`. */
export function minorDistance(from: string, to: string): number {
  const a = parseMinor(from);
  const b = parseMinor(to);
  if (a.major !== b.major) throw new InvalidInput(`cannot compare ${from} and ${to}: different major versions`);
  return b.minor - a.minor;
}

/** Every minor version after `from` up to and including `to`, in order. */
export function minorsBetween(from: string, to: string): string[] {
  const n = minorDistance(from, to);
  return Array.from({ length: Math.max(0, n) }, (_, i) => addMinor(from, i + 1));
}

/**
 * Orders EKS add-on versions such as "v1.19.2-eksbuild.1": by semantic version, then by eksbuild number.
 * Negative when a < b.
 */
export function compareAddonVersions(a: string, b: string): number {
  const parse = (v: string): number[] => {
    const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-eksbuild\.(\d+))?/.exec(v);
    return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0)] : [0, 0, 0, 0];
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 4; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.localeCompare(b);
}
