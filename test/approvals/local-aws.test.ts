import { fileURLToPath } from 'node:url';
import {
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SendTaskSuccessCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { GetParameterCommand, ParameterAlreadyExists, PutParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { createAwsClients } from '../../lib/aws/clients.js';
import { everyAwsClient } from '../../lib/aws/every-client.js';
import { LocalStepFunctions } from '../../local/stepfunctions.js';
import { VirtualClock } from '../../sim/clock.js';
import { consoleRequest, jsonHeaders, startUpgrade, untilDone, untilGate, withGates } from './helpers.js';

describe('the local AWS the gates rely on, through the real SDK clients', () => {
  it('records gates in the execution history as Step Functions does: parameters with the token, the response, the close', async () => {
    await withGates(async (env) => {
      // Prepare
      const sfn = env.deps.aws('eu-west-1').sfn;
      const execution = startUpgrade(env, {
        mode: 'people',
        gates: { beforeNodes: false },
        timeoutSeconds: { beforeHop: 5400 },
      });
      await untilGate(env, execution);
      const [pending] = env.stepFunctions.pendingTasks();

      // Act
      const full = await sfn.send(new GetExecutionHistoryCommand({ executionArn: execution.executionArn }));
      const withoutData = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn: execution.executionArn, includeExecutionData: false }),
      );
      const newest: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(
          new GetExecutionHistoryCommand({
            executionArn: execution.executionArn,
            reverseOrder: true,
            maxResults: 5,
            ...(nextToken ? { nextToken } : {}),
          }),
        );
        newest.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);

      // Assess
      const scheduled = full.events?.find((e) => e.type === 'TaskScheduled');
      expect(scheduled?.taskScheduledEventDetails).toMatchObject({
        resourceType: 'lambda',
        resource: 'invoke.waitForTaskToken',
        region: 'eu-west-1',
        // TimeoutSecondsPath read from the state's input, as Step Functions reads it
        timeoutInSeconds: 5400,
      });
      const parameters = JSON.parse(scheduled?.taskScheduledEventDetails?.parameters ?? '{}');
      expect(parameters.Payload).toMatchObject({ taskToken: pending?.token, gate: 'before-hop', action: 'open' });
      expect(parameters.__localTimeoutSeconds).toBeUndefined();
      const submitted = full.events?.find((e) => e.type === 'TaskSubmitted');
      expect(JSON.parse(submitted?.taskSubmittedEventDetails?.output ?? '{}')).toMatchObject({
        StatusCode: 200,
        Payload: { gate: 'before-hop', expiresAt: '2026-11-23T10:30:00.000Z' },
      });
      expect(submitted?.previousEventId).toBe((scheduled?.id ?? 0) + 1);
      const stateEntered = full.events?.find((e) => e.type === 'TaskStateEntered');
      expect(JSON.parse(stateEntered?.stateEnteredEventDetails?.input ?? 'null')).toMatchObject({
        cluster: 'payments',
      });
      expect(
        withoutData.events?.find((e) => e.type === 'TaskScheduled')?.taskScheduledEventDetails?.parameters,
      ).toBeUndefined();
      expect(newest.map((e) => e.id)).toEqual((full.events ?? []).map((e) => e.id).reverse());
    });
  });

  it('closes a token when its gate is decided: a late SendTaskSuccess gets TaskTimedOut, as from Step Functions', async () => {
    await withGates(async (env) => {
      const sfn = env.deps.aws('eu-west-1').sfn;
      const execution = startUpgrade(env, { mode: 'people', gates: { beforeNodes: false } });
      await untilGate(env, execution);
      const [pending] = env.stepFunctions.pendingTasks();
      const listed = JSON.parse((await consoleRequest('GET', '/api/approvals')).body) as {
        approvals: Array<{ decide: string }>;
      };
      await consoleRequest('POST', listed.approvals[0]?.decide ?? '', {
        headers: jsonHeaders,
        body: { decision: 'approve' },
      });
      await untilDone(env, execution);
      await expect(
        sfn.send(new SendTaskSuccessCommand({ taskToken: pending?.token ?? '', output: '{}' })),
      ).rejects.toBeInstanceOf(TaskTimedOut);
      expect(execution.history.filter((e) => e.type === 'TaskSucceeded')).toHaveLength(1);
    });
  });

  it('keeps SecureString parameters: encrypted unless asked to decrypt, never overwritten by accident', async () => {
    await withGates(async (env) => {
      // Prepare
      const ssm = env.deps.aws('eu-west-1').ssm;
      const name = env.deps.settings.approvalLinkKeyParameter ?? '';

      // Act
      const decrypted = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      const encrypted = await ssm.send(new GetParameterCommand({ Name: name }));
      const overwrite = ssm.send(new PutParameterCommand({ Name: name, Type: 'SecureString', Value: 'other' }));

      // Assess
      expect(name).toBe('/eks-upgrade-orchestrator/local/approval-link-key');
      expect(decrypted.Parameter).toMatchObject({
        Type: 'SecureString',
        Value: env.secrets.approvalLinkKey,
        Version: 1,
      });
      expect(encrypted.Parameter?.Value).not.toBe(env.secrets.approvalLinkKey);
      await expect(overwrite).rejects.toBeInstanceOf(ParameterAlreadyExists);
      await expect(
        ssm.send(new PutParameterCommand({ Name: '/aws/service/mine', Type: 'String', Value: 'x' })),
      ).rejects.toMatchObject({ name: 'ValidationException' });
    });
  });

  it('times out a callback task at its static TimeoutSeconds, with nobody to answer, and closes the token', async () => {
    // Prepare: the one-gate fixture (TimeoutSeconds: 3600) with a gate function that only records the token.
    const clock = new VirtualClock(Date.parse('2026-11-23T09:00:00Z'));
    clock.install();
    try {
      const tokens: string[] = [];
      const local = new LocalStepFunctions({
        definitionPath: fileURLToPath(new URL('../fixtures/gate.asl.yaml', import.meta.url)),
        stateMachineName: 'gate',
        region: 'eu-west-1',
        accountId: '111122223333',
        clock,
        functions: { gate: async (event) => void tokens.push((event as { taskToken: string }).taskToken) },
      });
      const sfn = createAwsClients({
        classes: everyAwsClient,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
        interceptor: (c) => (c.service === 'sfn' ? local.interceptor() : { applyToStack: () => undefined }),
      }).sfn;
      const execution = local.startExecution({ name: 'nobody-answers', input: { cluster: 'payments' } });
      let done = false;
      void execution.done.then(() => {
        done = true;
      });

      // Act
      await clock.runUntil(() => done);

      // Assess
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('States.Timeout');
      expect(clock.elapsedSeconds()).toBe(3600);
      expect(execution.history.map((e) => e.type)).toContain('TaskTimedOut');
      await expect(
        sfn.send(new SendTaskSuccessCommand({ taskToken: tokens[0] ?? '', output: '{}' })),
      ).rejects.toBeInstanceOf(TaskTimedOut);
    } finally {
      clock.uninstall();
    }
  });
});
