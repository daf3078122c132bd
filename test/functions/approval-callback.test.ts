import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/approvalCallback.js';
import { sealApprovalLink } from '../../lib/approvals/index.js';
import { createAwsClients } from '../../lib/aws/clients.js';
import { LocalStepFunctions } from '../../lib/local/stepfunctions.js';
import { MemoryLog, MemoryMetrics, setDependencyProvider } from '../../lib/runtime/index.js';
import { VirtualClock } from '../../lib/sim/clock.js';

const key = randomBytes(32).toString('base64');
const ssm = mockClient(SSMClient);

interface HttpResult {
  statusCode: number;
  body: string;
}

function request(method: 'GET' | 'POST', token: string, form?: Record<string, string>) {
  return handler({
    rawPath: `/approvals/${token}`,
    pathParameters: { token },
    requestContext: { http: { method } },
    ...(form ? { body: new URLSearchParams(form).toString(), isBase64Encoded: false } : {}),
  }) as Promise<HttpResult>;
}

describe('approval callback through the local Step Functions', () => {
  let clock: VirtualClock;
  let sfn: LocalStepFunctions;
  const tokens: string[] = [];

  beforeEach(() => {
    process.env.APPROVAL_LINK_KEY_PARAMETER = '/eks-upgrade/approval-link-key';
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: key } });
    clock = new VirtualClock(Date.parse('2026-11-21T02:00:00Z'));
    clock.install();
    sfn = new LocalStepFunctions({
      definitionPath: fileURLToPath(new URL('../fixtures/gate.asl.yaml', import.meta.url)),
      stateMachineName: 'gate',
      region: 'eu-west-1',
      accountId: '111122223333',
      clock,
      functions: {
        gate: async (event) => {
          tokens.push((event as { taskToken: string }).taskToken);
        },
      },
    });
    const aws = createAwsClients({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
      interceptor: (c) => (c.service === 'sfn' ? sfn.interceptor() : { applyToStack: () => undefined }),
    });
    setDependencyProvider(() => ({
      aws: () => aws,
      kube: () => Promise.reject(new Error('no Kubernetes here')),
      clock,
      log: new MemoryLog(),
      metrics: new MemoryMetrics(),
      settings: { region: 'eu-west-1' },
    }));
  });

  afterEach(() => {
    setDependencyProvider(undefined);
    clock.uninstall();
    ssm.reset();
    tokens.length = 0;
  });

  async function pendingGate() {
    const execution = sfn.startExecution({ name: `gate-${tokens.length}`, input: { cluster: 'demo' } });
    await clock.runUntil(() => tokens.length > 0 && sfn.pendingTasks().length > 0);
    const link = sealApprovalLink(
      {
        taskToken: tokens.at(-1) as string,
        executionArn: execution.executionArn,
        gate: 'before-hop',
        cluster: 'demo',
        hop: '1.32 -> 1.33',
        expiresAt: Date.parse('2026-11-21T03:00:00Z'),
      },
      key,
    );
    return { execution, link };
  }

  it('shows a confirmation page on GET and decides nothing', async () => {
    const { link } = await pendingGate();
    const page = await request('GET', link);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post"');
    expect(page.body).toContain('demo');
    expect(sfn.pendingTasks()).toHaveLength(1);
  });

  it('approves on POST, the execution continues with the decision on record, and a second use says already decided', async () => {
    const { execution, link } = await pendingGate();
    const approved = await request('POST', link, { decision: 'approve', comment: 'go ahead' });
    expect(approved.statusCode).toBe(200);
    await clock.runUntil(() => execution.status !== 'RUNNING');
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toMatchObject({
      decision: { approved: true, channel: 'email', comment: 'go ahead', gate: 'before-hop' },
    });
    const again = await request('POST', link, { decision: 'reject' });
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('already decided');
  });

  it('rejects on POST as ApprovalRejected, which fails the task the state machine routes on', async () => {
    const { execution, link } = await pendingGate();
    await request('POST', link, { decision: 'reject', comment: 'not during the sale' });
    await clock.runUntil(() => execution.status !== 'RUNNING');
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('ApprovalRejected');
    expect(execution.cause).toContain('not during the sale');
  });

  it('answers a forged, altered or expired link with a page saying so, and changes nothing', async () => {
    const { link } = await pendingGate();
    const altered = `${link.slice(0, -2)}${link.endsWith('A') ? 'B' : 'A'}A`;
    expect((await request('POST', altered, { decision: 'approve' })).statusCode).toBe(403);
    const foreign = sealApprovalLink(
      {
        taskToken: tokens.at(-1) as string,
        executionArn: 'x',
        gate: 'before-hop',
        cluster: 'demo',
        hop: '',
        expiresAt: Date.parse('2026-11-22T00:00:00Z'),
      },
      randomBytes(32).toString('base64'),
    );
    expect((await request('POST', foreign, { decision: 'approve' })).statusCode).toBe(403);
    const expired = sealApprovalLink(
      {
        taskToken: tokens.at(-1) as string,
        executionArn: 'x',
        gate: 'before-hop',
        cluster: 'demo',
        hop: '',
        expiresAt: Date.parse('2026-11-21T01:00:00Z'),
      },
      key,
    );
    const page = await request('POST', expired, { decision: 'approve' });
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('expired');
    expect(sfn.pendingTasks()).toHaveLength(1);
  });
});
