/**
 * Deterministic identifiers for the simulated account: the same scenario and the same calls always produce the
 * same instance ids, AMI ids and update ids, so that tests and benchmarks can compare runs.
 */
import { createHash } from 'node:crypto';

/** Hex SHA-256 of the parts (joined with a separator that cannot appear in them). */
export function hashHex(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/** A deterministic integer in `[0, modulo)` derived from the parts. */
export function hashInt(modulo: number, ...parts: string[]): number {
  return Number.parseInt(hashHex(...parts).slice(0, 12), 16) % modulo;
}

/** A deterministic RFC 4122-shaped UUID derived from the parts. */
export function uuidFrom(...parts: string[]): string {
  const h = hashHex(...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An AWS-style resource id such as `i-0123456789abcdef0` (17 hex digits after the prefix). */
export function awsId(prefix: string, ...parts: string[]): string {
  return `${prefix}-0${hashHex(prefix, ...parts).slice(0, 16)}`;
}
