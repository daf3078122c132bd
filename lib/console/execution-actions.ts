import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { executionArnPrefix } from '../approvals/index.js';

/** What a stop or retry from the console did, or why it did nothing. */
export type ExecutionActionResult =
  | { outcome: 'stopped'; execution: string; stoppedAt: string }
  | { outcome: 'retried'; execution: string; retry: string }
  | { outcome: 'not-found' }
  | { outcome: 'forbidden'; reason: string }
  | { outcome: 'conflict'; reason: string; execution?: string };

interface ExecutionInput {
  cluster?: unknown;
  region?: unknown;
  accountId?: unknown;
  policy?: { approvals?: { approvers?: { console?: unknown } } };
}

function inputOf(described: DescribeExecutionCommandOutput): ExecutionInput {
  try {
    const parsed = JSON.parse(described.input ?? '{}') as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as ExecutionInput) : {};
  } catch {
    return {};
  }
}

/** Who may stop or retry an upgrade: the people who may decide its gates in the console, when the policy names them. */
function mayAct(input: ExecutionInput, user: { name: string; identities: string[] }): string | undefined {
  const listed = input.policy?.approvals?.approvers?.console;
  if (!Array.isArray(listed)) return undefined;
  return user.identities.some((id) => listed.includes(id))
    ? undefined
    : `${user.name} is not on this cluster's console approver list, so cannot stop or retry its upgrade`;
}

async function described(
  deps: { sfn: SFNClient },
  stateMachineArn: string,
  name: string,
): Promise<DescribeExecutionCommandOutput | undefined> {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) return undefined;
  try {
    return await deps.sfn.send(
      new DescribeExecutionCommand({ executionArn: `${executionArnPrefix(stateMachineArn)}${name}` }),
    );
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return undefined;
    throw error;
  }
}

/**
 * Stops a running upgrade (StopExecution), on record with who stopped it and why. Work already handed to EKS
 * (a control plane or managed node group update) finishes on EKS's side; the next run plans from the cluster's
 * real versions and resumes a rotation from the marks it left.
 */
export async function stopUpgrade(
  deps: { sfn: SFNClient; now: () => Date },
  request: {
    stateMachineArn: string;
    executionName: string;
    user: { name: string; identities: string[] };
    comment?: string;
  },
): Promise<ExecutionActionResult> {
  const execution = await described(deps, request.stateMachineArn, request.executionName);
  if (!execution?.executionArn) return { outcome: 'not-found' };
  const refused = mayAct(inputOf(execution), request.user);
  if (refused) return { outcome: 'forbidden', reason: refused };
  if (execution.status !== 'RUNNING')
    return { outcome: 'conflict', reason: `the upgrade is not running: it ended ${execution.status?.toLowerCase()}` };
  const cause = `Stopped by ${request.user.name} in the console at ${deps.now().toISOString()}${request.comment ? `: ${request.comment}` : ''}`;
  const out = await deps.sfn.send(
    new StopExecutionCommand({ executionArn: execution.executionArn, error: 'StoppedByOperator', cause }),
  );
  return {
    outcome: 'stopped',
    execution: request.executionName,
    stoppedAt: (out.stopDate ?? deps.now()).toISOString(),
  };
}

/** `payments-1-35-20261201-ab12cd` → `payments-1-35-20261201-ab12cd-r2` for its second retry. */
export function retryName(original: string, attempt: number): string {
  const base = original.replace(/-r\d+$/, '');
  const suffix = `-r${attempt}`;
  return `${base.slice(0, 80 - suffix.length)}${suffix}`;
}

/**
 * Starts the upgrade again with the failed (or stopped, or timed out) execution's input, as a new execution
 * named after it. Rather than Step Functions redrive, which replays the failed step with the input it had, a new
 * execution plans from the cluster's real versions and checks readiness again as of now, so finished work is
 * not repeated and nothing runs on a stale view of the cluster. Refused while another upgrade of the same
 * cluster runs.
 */
export async function retryUpgrade(
  deps: { sfn: SFNClient },
  request: { stateMachineArn: string; executionName: string; user: { name: string; identities: string[] } },
): Promise<ExecutionActionResult> {
  const execution = await described(deps, request.stateMachineArn, request.executionName);
  if (!execution?.executionArn || !execution.input) return { outcome: 'not-found' };
  const input = inputOf(execution);
  const refused = mayAct(input, request.user);
  if (refused) return { outcome: 'forbidden', reason: refused };
  if (execution.status === 'RUNNING' || execution.status === 'PENDING_REDRIVE')
    return { outcome: 'conflict', reason: 'the upgrade is still running: stop it first, or let it finish' };
  if (execution.status === 'SUCCEEDED')
    return { outcome: 'conflict', reason: 'the upgrade succeeded: there is nothing to retry' };
  // One upgrade per cluster at a time, as dispatch keeps it.
  const running = await runningUpgradeOf(deps, request.stateMachineArn, input);
  if (running)
    return {
      outcome: 'conflict',
      reason: `${running} is upgrading ${String(input.cluster)} now: retry once it has ended`,
      execution: running,
    };
  for (let attempt = 1; attempt <= 20; attempt++) {
    const name = retryName(request.executionName, attempt);
    try {
      await deps.sfn.send(
        new StartExecutionCommand({ stateMachineArn: request.stateMachineArn, name, input: execution.input }),
      );
      return { outcome: 'retried', execution: request.executionName, retry: name };
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }
  return {
    outcome: 'conflict',
    reason: `${request.executionName} was retried 20 times already: start a new upgrade from dispatch`,
  };
}

async function runningUpgradeOf(
  deps: { sfn: SFNClient },
  stateMachineArn: string,
  input: ExecutionInput,
): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await deps.sfn.send(
      new ListExecutionsCommand({
        stateMachineArn,
        statusFilter: 'RUNNING',
        maxResults: 100,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    for (const e of page.executions ?? []) {
      if (!e.executionArn) continue;
      const other = inputOf(await deps.sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn })));
      if (other.cluster === input.cluster && other.region === input.region && other.accountId === input.accountId)
        return e.name;
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}
