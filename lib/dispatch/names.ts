import { createHash } from 'node:crypto';

/** Step Functions execution names: at most 80 characters of letters, digits, "-" and "_". */
const maxNameLength = 80;

/** The six hex digits of sha256(cluster ARN) that end an execution name: twins named alike never collide. */
export function clusterArnHash(arn: string): string {
  return createHash('sha256').update(arn).digest('hex').slice(0, 6);
}

/**
 * Execution names are deterministic per cluster, target and UTC day: `<cluster>-<target>-<yyyymmdd>-<hash>`, the
 * hash taken from the cluster ARN when it is known. A duplicate trigger on the same day cannot start twice; a long
 * cluster name is shortened, never the suffix.
 */
export function executionNameFor(cluster: string | { name: string; arn: string }, target: string, at: Date): string {
  const name = typeof cluster === 'string' ? cluster : cluster.name;
  const day = at.toISOString().slice(0, 10).replace(/-/g, '');
  const suffix = `-${target.replace(/\./g, '-')}-${day}${typeof cluster === 'string' ? '' : `-${clusterArnHash(cluster.arn)}`}`;
  const safe = (text: string) => text.replace(/[^A-Za-z0-9\-_]/g, '-');
  return `${safe(name).slice(0, maxNameLength - safe(suffix).length)}${safe(suffix)}`;
}

/** What a name made by executionNameFor (with an ARN) says: the target minor, the day and the ARN hash. */
export function readExecutionName(name: string): { target: string; day: string; hash: string } | undefined {
  const m = /-(\d+)-(\d{1,2})-(\d{8})-([0-9a-f]{6})$/.exec(name);
  return m ? { target: `${m[1]}.${m[2]}`, day: m[3] as string, hash: m[4] as string } : undefined;
}
