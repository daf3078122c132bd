import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalEnvironment, type LocalEnvironment } from '../../local/environment.js';
import { parseScenario, ScenarioError } from '../../sim/scenario.js';

let env: LocalEnvironment | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const base = {
  name: 'history',
  startTime: '2026-11-21T02:00:00Z',
  accountId: '111122223333',
  accounts: [{ id: '444455556666' }],
  clusters: [
    { name: 'web-dev', region: 'eu-west-1', version: '1.34' },
    { name: 'web-prod', region: 'eu-west-1', version: '1.33', accountId: '444455556666' },
  ],
};

describe('past executions seeded by the scenario', () => {
  it('lists them newest first through the real client, filters by status, pages, and describes their input', async () => {
    env = await createLocalEnvironment(
      parseScenario({
        ...base,
        executions: [
          {
            cluster: 'web-dev',
            target: '1.34',
            status: 'SUCCEEDED',
            startedAt: '2026-11-10T02:00:00Z',
            stoppedAt: '2026-11-10T03:05:00Z',
          },
          {
            cluster: 'web-prod',
            accountId: '444455556666',
            target: '1.34',
            status: 'FAILED',
            startedAt: '2026-11-17T02:00:00Z',
            stoppedAt: '2026-11-17T02:20:00Z',
          },
          {
            name: 'web-dev-retry',
            cluster: 'web-dev',
            target: '1.34',
            status: 'ABORTED',
            startedAt: '2026-11-12T02:00:00Z',
            stoppedAt: '2026-11-12T02:01:00Z',
          },
        ],
      }),
    );
    const sfn = env.deps.aws(env.deps.settings.region).sfn;
    const stateMachineArn = env.stepFunctions.stateMachineArn;

    const all = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    const succeeded = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED' }));
    const first = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 2 }));
    const rest = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, maxResults: 2, nextToken: first.nextToken }),
    );
    const failed = await sfn.send(new DescribeExecutionCommand({ executionArn: all.executions?.[0]?.executionArn }));

    expect(all.executions?.map((e) => `${e.name} ${e.status}`)).toEqual([
      'web-prod-1-34-20261117 FAILED',
      'web-dev-retry ABORTED',
      'web-dev-1-34-20261110 SUCCEEDED',
    ]);
    expect(succeeded.executions?.map((e) => e.name)).toEqual(['web-dev-1-34-20261110']);
    expect(first.executions).toHaveLength(2);
    expect(rest.executions?.map((e) => e.name)).toEqual(['web-dev-1-34-20261110']);
    expect(rest.nextToken).toBeUndefined();
    expect(failed.stopDate?.toISOString()).toBe('2026-11-17T02:20:00.000Z');
    expect(JSON.parse(failed.input ?? '{}')).toEqual({
      cluster: 'web-prod',
      region: 'eu-west-1',
      accountId: '444455556666',
      policy: { target: '1.34' },
    });
  });

  it('refuses an execution that would end after the scenario starts', () => {
    expect(() =>
      parseScenario({
        ...base,
        executions: [
          {
            cluster: 'web-dev',
            target: '1.34',
            status: 'SUCCEEDED',
            startedAt: '2026-11-21T01:00:00Z',
            stoppedAt: '2026-11-21T03:00:00Z',
          },
        ],
      }),
    ).toThrow(ScenarioError);
  });
});
