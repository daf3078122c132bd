import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  InvalidToken,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
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
});
