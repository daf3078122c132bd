import { ExecutionDoesNotExist, InvalidToken, SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import type { InitializeHandlerArguments, InitializeHandlerOutput, MiddlewareStack, Pluggable } from '@smithy/types';
import { type ConsoleDeps, type ConsoleSettings, handleConsoleRequest } from '../../lib/console/index.js';
import type { FleetStore } from '../../lib/fleet/types.js';
import { MemoryLog } from '../../lib/runtime/index.js';

export interface RecordedExecution {
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  startDate: Date;
  stopDate?: Date;
  input: Record<string, unknown>;
  output?: Record<string, unknown>;
}

export const stateMachineArn =
  'arn:aws:states:eu-west-1:111122223333:stateMachine:eks-upgrade-orchestrator-test-upgrade-cluster';
const executionArn = (name: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

/**
 * Past executions served to the real SFNClient (ListExecutions newest first with statusFilter and paging,
 * DescribeExecution), as the local Step Functions serves them, without running a state machine for each. `calls`
 * counts the commands sent.
 */
export function recordedExecutionsMiddleware(records: RecordedExecution[]): {
  middleware: Pluggable<object, object>;
  calls: Record<string, number>;
} {
  const sorted = [...records].sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  const byArn = new Map(sorted.map((r) => [executionArn(r.name), r]));
  const byStatus = new Map<string, RecordedExecution[]>();
  for (const r of sorted) byStatus.set(r.status, [...(byStatus.get(r.status) ?? []), r]);
  const calls: Record<string, number> = {};
  const meta = { $metadata: {} };
  const item = (r: RecordedExecution) => ({
    executionArn: executionArn(r.name),
    stateMachineArn,
    name: r.name,
    status: r.status,
    startDate: r.startDate,
    ...(r.stopDate ? { stopDate: r.stopDate } : {}),
  });
  const answer = (command: string, input: Record<string, unknown>): object => {
    calls[command] = (calls[command] ?? 0) + 1;
    if (command === 'ListExecutionsCommand') {
      const all = input.statusFilter ? (byStatus.get(String(input.statusFilter)) ?? []) : sorted;
      const start = input.nextToken ? Number(input.nextToken) : 0;
      if (!Number.isInteger(start)) throw new InvalidToken({ message: 'Invalid Token', ...meta });
      const size = Math.min(Number(input.maxResults ?? 100) || 100, 1000);
      return {
        executions: all.slice(start, start + size).map(item),
        ...(start + size < all.length ? { nextToken: String(start + size) } : {}),
      };
    }
    if (command === 'DescribeExecutionCommand') {
      const r = byArn.get(String(input.executionArn));
      if (!r) throw new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', ...meta });
      return { ...item(r), input: JSON.stringify(r.input), ...(r.output ? { output: JSON.stringify(r.output) } : {}) };
    }
    throw new Error(`${command} is not recorded`);
  };
  const middleware: Pluggable<object, object> = {
    applyToStack: (stack) =>
      stack.add(
        (_next, context) =>
          async (args: InitializeHandlerArguments<object>): Promise<InitializeHandlerOutput<object>> => ({
            output: {
              ...answer(context.commandName ?? '', args.input as Record<string, unknown>),
              $metadata: { httpStatusCode: 200 },
            },
            response: {},
          }),
        { step: 'initialize', priority: 'high', name: 'recordedExecutions' },
      ),
  };
  return { middleware, calls };
}

/** A real SFNClient answered by `recordedExecutionsMiddleware`. */
export function recordedExecutions(records: RecordedExecution[]): { sfn: SFNClient; calls: Record<string, number> } {
  const { middleware, calls } = recordedExecutionsMiddleware(records);
  const sfn = new SFNClient({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  (sfn.middlewareStack as unknown as MiddlewareStack<object, object>).use(middleware);
  return { sfn, calls };
}

/** `count` executions across `clusters`, one an hour back from `newest`, statuses in turn, named as dispatch names them. */
export function manyExecutions(
  count: number,
  clusters: string[],
  newest = Date.parse('2026-11-23T09:00:00Z'),
): RecordedExecution[] {
  const statuses = ['SUCCEEDED', 'FAILED', 'SUCCEEDED', 'TIMED_OUT', 'ABORTED', 'RUNNING'] as const;
  return Array.from({ length: count }, (_, i) => {
    const cluster = clusters[i % clusters.length] as string;
    const startDate = new Date(newest - i * 3_600_000);
    const status = statuses[i % statuses.length] as RecordedExecution['status'];
    const day = startDate.toISOString().slice(0, 10).replace(/-/g, '');
    return {
      name: `${cluster}-1-34-${day}-${i.toString(16).padStart(6, '0').slice(-6)}`,
      status,
      startDate,
      ...(status === 'RUNNING' ? {} : { stopDate: new Date(startDate.getTime() + 1_800_000) }),
      input: { cluster, region: 'eu-west-1', policy: { target: '1.34' } },
    };
  });
}

/** The console's dependencies around a Step Functions client; approvals' secrets are never read by these routes. */
export function consoleDeps(
  sfn: SFNClient,
  options: { fleet?: FleetStore; now?: Date; settings?: ConsoleSettings } = {},
): ConsoleDeps {
  const unused = () => Promise.reject(new Error('not used by this route'));
  return {
    sfn,
    sns: new SNSClient({ region: 'eu-west-1' }),
    log: new MemoryLog(),
    now: () => options.now ?? new Date('2026-11-23T09:00:00Z'),
    stateMachineArn,
    settings: options.settings ?? { pollSeconds: 5 },
    linkKey: unused,
    slack: () => Promise.resolve(undefined),
    slackSigningSecret: unused,
    ...(options.fleet ? { fleet: options.fleet } : {}),
  };
}

/** A signed-in GET of the console API. */
export async function get(deps: ConsoleDeps, path: string, query: Record<string, string> = {}) {
  const response = await handleConsoleRequest(deps, {
    method: 'GET',
    path,
    query,
    headers: {},
    user: { name: 'alice@example.com', identities: ['alice@example.com'] },
  });
  return { ...response, json: () => JSON.parse(response.body) };
}
