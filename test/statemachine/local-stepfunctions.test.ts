import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  InvalidToken,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { stepFunctionsHistory } from '../../local/history.js';
import type { HistoryEvent } from '../../local/stepfunctions.js';
import { startUpgrade, untilGate, withGates } from '../approvals/helpers.js';
import { scenario, upgrade, withEnvironment } from './helpers.js';

describe('local Step Functions API through the real SFN client', () => {
  it('lists, describes and gives the history of executions, and refuses tokens it never issued', async () => {
    await withEnvironment(scenario('already-at-target'), async (env) => {
      const execution = await upgrade(env, 'steady', 'steady-check');
      const sfn = env.deps.aws('eu-west-1').sfn;
      const list = await sfn.send(new ListExecutionsCommand({ stateMachineArn: env.stepFunctions.stateMachineArn }));
      expect(list.executions?.map((e) => e.name)).toEqual(['steady-check']);
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
      expect(described.status).toBe('SUCCEEDED');
      expect(JSON.parse(described.input ?? '{}')).toMatchObject({ cluster: 'steady' });
      const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: execution.executionArn }));
      const types = history.events?.map((e) => e.type) ?? [];
      expect(types[0]).toBe('ExecutionStarted');
      expect(types).toContain('TaskStateEntered');
      expect(types.at(-1)).toBe('ExecutionSucceeded');
      await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: 'forged', output: '{}' }))).rejects.toBeInstanceOf(
        InvalidToken,
      );
    });
  });

  it('starts an execution once per name: same name and input is idempotent, different input is refused', async () => {
    await withEnvironment(scenario('already-at-target'), async (env) => {
      const input = { cluster: 'steady', region: 'eu-west-1', policy: { target: '1.34' } };
      const first = env.stepFunctions.startExecution({ name: 'steady-1-34-20261121', input });
      expect(env.stepFunctions.startExecution({ name: 'steady-1-34-20261121', input })).toBe(first);
      expect(() =>
        env.stepFunctions.startExecution({ name: 'steady-1-34-20261121', input: { ...input, region: 'us-east-1' } }),
      ).toThrow(/Execution Already Exists/);
      let done = false;
      void first.done.then(() => {
        done = true;
      });
      await env.clock.runUntil(() => done);
    });
  });

  it('gives a failed upgrade the history Step Functions writes: TaskFailed, then the Catch, then ExecutionFailed', async () => {
    await withEnvironment(scenario('addon-fails'), async (env) => {
      const cluster = env.world.scenario.clusters[0]?.name ?? '';
      const execution = await upgrade(env, cluster, 'addon-run');
      const sfn = env.deps.aws('eu-west-1').sfn;
      const events = [];
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(
          new GetExecutionHistoryCommand({ executionArn: execution.executionArn, ...(nextToken ? { nextToken } : {}) }),
        );
        events.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      const types = events.map((e) => e.type ?? '');

      // The interpreter's own bookkeeping is not in the answer.
      expect(
        types.filter((t) => /^(StateCaught|StateRetried|ParallelBranch)|^(Task|Fail|Pass)StateFailed$/.test(t)),
      ).toEqual([]);
      // Ids run 1, 2, 3 … and every previousEventId names an event before it.
      expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
      for (const e of events) if (e.previousEventId) expect(e.previousEventId).toBeLessThan(e.id ?? 0);
      // The Fail state is entered, and the execution fails right after.
      expect(types.slice(-2)).toEqual(['FailStateEntered', 'ExecutionFailed']);
      expect(execution.history.some((e) => e.type === 'StateCaught')).toBe(true);
    });
  });

  it('lists executions with what ExecutionListItem holds, leaving input and output to DescribeExecution', async () => {
    await withEnvironment(scenario('already-at-target'), async (env) => {
      await upgrade(env, 'steady', 'steady-list');
      const sfn = env.deps.aws('eu-west-1').sfn;
      const list = await sfn.send(new ListExecutionsCommand({ stateMachineArn: env.stepFunctions.stateMachineArn }));
      expect(Object.keys(list.executions?.[0] ?? {}).sort()).toEqual(
        ['executionArn', 'name', 'startDate', 'stateMachineArn', 'status', 'stopDate'].sort(),
      );
    });
  });
  it("stops a running execution: ABORTED with the caller's error and cause, its gate closed, nothing after it run", async () => {
    await withGates(async (env) => {
      // Prepare: the upgrade waits at its first gate.
      const execution = startUpgrade(env, { mode: 'people' });
      await untilGate(env, execution);
      const [pending] = env.stepFunctions.pendingTasks();
      const sfn = env.deps.aws('eu-west-1').sfn;

      // Act
      const stopped = await sfn.send(
        new StopExecutionCommand({ executionArn: execution.executionArn, error: 'Stopped', cause: 'by alice' }),
      );
      let done = false;
      void execution.done.then(() => {
        done = true;
      });
      await env.clock.runUntil(() => done);
      const again = await sfn.send(new StopExecutionCommand({ executionArn: execution.executionArn }));

      // Assess
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
      expect(described).toMatchObject({ status: 'ABORTED', error: 'Stopped', cause: 'by alice' });
      expect(described.stopDate).toEqual(stopped.stopDate);
      expect(again.stopDate).toEqual(stopped.stopDate);
      const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: execution.executionArn }));
      expect(history.events?.at(-1)).toMatchObject({
        type: 'ExecutionAborted',
        executionAbortedEventDetails: { error: 'Stopped', cause: 'by alice' },
      });
      expect(history.events?.filter((e) => e.type === 'ExecutionAborted')).toHaveLength(1);
      expect(env.stepFunctions.pendingTasks()).toEqual([]);
      await expect(
        sfn.send(new SendTaskSuccessCommand({ taskToken: pending?.token ?? '', output: '{}' })),
      ).rejects.toBeInstanceOf(TaskTimedOut);
      expect(env.world.account.clusterVersion('payments')).toBe('1.33');
    });
  });
});

describe('stepFunctionsHistory', () => {
  it('drops the events Step Functions never writes and renumbers the rest, linking each to its nearest kept one', () => {
    const at = new Date('2026-12-01T00:00:00Z');
    const local: HistoryEvent[] = [
      { id: 1, timestamp: at, type: 'ExecutionStarted' },
      { id: 2, timestamp: at, type: 'TaskStateEntered', stateName: 'Check' },
      { id: 3, timestamp: at, type: 'TaskScheduled', previousEventId: 2 },
      { id: 4, timestamp: at, type: 'TaskFailed', previousEventId: 3 },
      { id: 5, timestamp: at, type: 'TaskStateFailed', previousEventId: 4 },
      { id: 6, timestamp: at, type: 'StateCaught', previousEventId: 5 },
      { id: 7, timestamp: at, type: 'TaskStateExited', previousEventId: 6 },
      { id: 8, timestamp: at, type: 'MapStateFailed' },
    ];
    const kept = stepFunctionsHistory(local);
    expect(kept.map((e) => [e.id, e.type, e.previousEventId])).toEqual([
      [1, 'ExecutionStarted', undefined],
      [2, 'TaskStateEntered', undefined],
      [3, 'TaskScheduled', 2],
      [4, 'TaskFailed', 3],
      [5, 'TaskStateExited', 4],
      [6, 'MapStateFailed', undefined],
    ]);
    expect(local).toHaveLength(8);
  });
});
