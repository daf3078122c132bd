import { DescribeExecutionCommand, ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { ClusterRef } from '../fleet/types.js';
import type { Log } from '../runtime/log.js';
import { mapBounded, withRetry } from './calls.js';
import { clusterArnHash, readExecutionName } from './names.js';
import type { ExecutionRecord } from './waves.js';

const minor = /^1\.\d{1,2}$/;

/** The ARN of a cluster from its parts, in the partition of the given ARN (aws, aws-cn, aws-us-gov). */
export function clusterArnOf(like: string, ref: { region: string; accountId: string; name: string }): string {
  const partition = like.split(':')[1] || 'aws';
  return `arn:${partition}:eks:${ref.region}:${ref.accountId}:cluster/${ref.name}`;
}

/**
 * The upgrade state machine's executions (Step Functions keeps 90 days), by cluster ARN, newest first. An
 * execution belongs to a cluster by the ARN hash its name ends with; names without one (started by hand), or a
 * hash two clusters share, are settled by the cluster in the execution's input (DescribeExecution).
 */
export async function executionsByCluster(
  deps: { sfn: SFNClient; sleep: (ms: number) => Promise<void>; log: Log },
  request: { stateMachineArn: string; clusters: ClusterRef[] },
): Promise<Map<string, ExecutionRecord[]>> {
  const byHash = new Map<string, string[]>();
  const names = new Set<string>();
  for (const c of request.clusters) {
    const h = clusterArnHash(c.arn);
    byHash.set(h, [...(byHash.get(h) ?? []), c.arn]);
    names.add(c.name);
  }
  const owner = request.stateMachineArn.split(':')[4] ?? '';
  const out = new Map<string, ExecutionRecord[]>();
  let nextToken: string | undefined;
  do {
    const page = await withRetry(deps.sleep, () =>
      deps.sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: request.stateMachineArn,
          maxResults: 1000,
          ...(nextToken ? { nextToken } : {}),
        }),
      ),
    );
    // Names without a readable hash cost a DescribeExecution each: at most 16 at once.
    const records = await mapBounded(page.executions ?? [], 16, async (e) => {
      if (!e.name || !e.executionArn || !e.startDate) return undefined;
      const parsed = readExecutionName(e.name);
      const candidates = parsed ? (byHash.get(parsed.hash) ?? []) : [];
      let arn = candidates.length === 1 ? candidates[0] : undefined;
      let target = parsed?.target;
      const byHand = !parsed && [...prefixes(e.name)].some((p) => names.has(p));
      if (candidates.length > 1 || byHand) {
        const input = await describedInput(deps, e.executionArn);
        if (input?.cluster && input.region) {
          arn = clusterArnOf(request.stateMachineArn, {
            name: input.cluster,
            region: input.region,
            accountId: input.accountId ?? owner,
          });
          if (!target && input.policy?.target && minor.test(input.policy.target)) target = input.policy.target;
        }
      }
      if (!arn) return undefined;
      const record: ExecutionRecord = {
        name: e.name,
        status: e.status as ExecutionRecord['status'],
        ...(target ? { target } : {}),
        startDate: e.startDate,
        ...(e.stopDate ? { stopDate: e.stopDate } : {}),
      };
      return { arn, record };
    });
    for (const r of records) {
      if (!r) continue;
      const list = out.get(r.arn) ?? [];
      list.push(r.record);
      out.set(r.arn, list);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** `a-b-c` → `a`, `a-b`: the cluster names an execution name by hand could start with. */
function* prefixes(name: string): Generator<string> {
  for (let i = name.indexOf('-'); i > 0; i = name.indexOf('-', i + 1)) yield name.slice(0, i);
}

async function describedInput(
  deps: { sfn: SFNClient; sleep: (ms: number) => Promise<void>; log: Log },
  executionArn: string,
): Promise<{ cluster?: string; region?: string; accountId?: string; policy?: { target?: string } } | undefined> {
  try {
    const out = await withRetry(deps.sleep, () => deps.sfn.send(new DescribeExecutionCommand({ executionArn })));
    return JSON.parse(out.input ?? '{}');
  } catch (error) {
    deps.log.warn('could not read an execution input', { executionArn, error: (error as Error).message });
    return undefined;
  }
}
