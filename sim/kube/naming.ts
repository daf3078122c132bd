/**
 * Deterministic stand-ins for the random parts of Kubernetes object identity (uids, generated name suffixes,
 * template hashes, IPs). The simulator never uses Math.random, so the same scenario always yields the same names.
 */
import { createHash } from 'node:crypto';

/**
 * The alphabet of `generateName` suffixes and `pod-template-hash` values (apimachinery's `rand.String` and
 * `SafeEncodeString`): no vowels and no look-alike characters, so generated names never spell words.
 */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function digest(seed: string): Buffer {
  return createHash('sha256').update(seed).digest();
}

/** `length` characters of the Kubernetes safe alphabet derived from `seed`. */
export function safeString(seed: string, length: number): string {
  const bytes = digest(seed);
  let out = '';
  for (let i = 0; i < length; i++) out += SAFE_ALPHABET[(bytes[i % bytes.length] ?? 0) % SAFE_ALPHABET.length];
  return out;
}

/** A version-4-shaped UUID derived from `seed`. */
export function uidFor(seed: string): string {
  const hex = digest(`uid:${seed}`).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Lowercase hex of `length` characters derived from `seed` (container ids, git commits, image digests). */
export function hexFor(seed: string, length: number): string {
  let hex = '';
  for (let i = 0; hex.length < length; i++) hex += digest(`${seed}#${i}`).toString('hex');
  return hex.slice(0, length);
}

/** Kubernetes timestamps are RFC 3339 with second precision (`metav1.Time`). */
export function kubeTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The IPv4 address EC2 encodes in its default private DNS names (`ip-10-0-1-23.<region>.compute.internal`). */
export function ipFromNodeName(name: string): string | undefined {
  const match = /^ip-(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})(\.|$)/.exec(name);
  return match ? `${match[1]}.${match[2]}.${match[3]}.${match[4]}` : undefined;
}

/** A VPC CNI style pod IP: secondary addresses of the node's subnet, numbered in allocation order. */
export function podIpFor(serial: number): string {
  return `10.0.${128 + (Math.floor(serial / 250) % 120)}.${(serial % 250) + 4}`;
}

/**
 * The resource (plural) name Kubernetes serves a kind under, by the English rules the API machinery uses
 * (`Ingress` → `ingresses`, `PodSecurityPolicy` → `podsecuritypolicies`, `Endpoints` stays `endpoints`).
 */
export function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower === 'endpoints') return lower;
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}
