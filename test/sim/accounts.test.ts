import { request as httpsRequest } from 'node:https';
import { DescribeClusterCommand, EKSServiceException, ListClustersCommand } from '@aws-sdk/client-eks';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSServiceException } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../lib/aws/clients.js';
import { everyAwsClient } from '../../lib/aws/every-client.js';
import { connectToCluster, createEksToken } from '../../lib/kube/index.js';
import { parseScenario, type Scenario, ScenarioError } from '../../sim/scenario.js';
import { createSimWorld, type SimWorld } from '../../sim/world.js';

const central = '111122223333';
const member = '444455556666';
const centralCredentials = { accessKeyId: 'AKIACENTRAL000000000', secretAccessKey: 'central-secret' };

function twoAccounts(change: Record<string, unknown> = {}): Scenario {
  return parseScenario({
    name: 'two-accounts',
    accountId: central,
    accounts: [{ id: member }],
    clusters: [
      { name: 'hub', region: 'eu-west-1', version: '1.33' },
      { name: 'shop', region: 'eu-west-1', version: '1.33', accountId: member },
    ],
    ...change,
  });
}

let world: SimWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function open(scenario: Scenario) {
  world = await createSimWorld(scenario);
  const cloud = world.cloud;
  const clients = (credentials = centralCredentials, maxAttempts = 1) =>
    createAwsClients({
      classes: everyAwsClient,
      region: 'eu-west-1',
      credentials,
      maxAttempts,
      interceptor: cloud.interceptor,
    });
  const assume = async (roleName = 'eks-upgrade-orchestrator-member', externalId?: string) => {
    const out = await clients().sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${member}:role/${roleName}`,
        RoleSessionName: 'eks-upgrade-plan',
        ...(externalId ? { ExternalId: externalId } : {}),
      }),
    );
    const c = out.Credentials;
    return {
      accessKeyId: c?.AccessKeyId ?? '',
      secretAccessKey: c?.SecretAccessKey ?? '',
      sessionToken: c?.SessionToken ?? '',
    };
  };
  return { world, clients, assume };
}

async function errorOf(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('simulated accounts, served by the credentials that signed the call', () => {
  it('shows the central credentials only the central clusters, and a member session only its own', async () => {
    const { world, clients, assume } = await open(twoAccounts());
    const memberClients = clients(await assume());

    const centralList = await clients().eks.send(new ListClustersCommand({}));
    const memberList = await memberClients.eks.send(new ListClustersCommand({}));
    const shop = await memberClients.eks.send(new DescribeClusterCommand({ name: 'shop' }));
    const hidden = await errorOf(clients().eks.send(new DescribeClusterCommand({ name: 'shop' })));
    const who = await memberClients.sts.send(new GetCallerIdentityCommand({}));

    expect(centralList.clusters).toEqual(['hub']);
    expect(memberList.clusters).toEqual(['shop']);
    expect(shop.cluster?.arn).toBe(`arn:aws:eks:eu-west-1:${member}:cluster/shop`);
    expect(hidden.name).toBe('ResourceNotFoundException');
    expect(who.Account).toBe(member);
    expect(who.Arn).toBe(`arn:aws:sts::${member}:assumed-role/eks-upgrade-orchestrator-member/eks-upgrade-plan`);
    const memberCalls = world.cloud.accounts.get(member)?.calls ?? [];
    expect(memberCalls.map((c) => `${c.command}:${c.caller}`)).toContain(
      `DescribeCluster:arn:aws:sts::${member}:assumed-role/eks-upgrade-orchestrator-member/eks-upgrade-plan`,
    );
    expect(world.account.calls.some((c) => c.command === 'DescribeCluster' && c.outcome === 'ok')).toBe(false);
  });

  it("answers STS's AccessDenied for a role that does not trust the orchestrator, is missing, or wants another ExternalId", async () => {
    const untrusting = await open(twoAccounts({ accounts: [{ id: member, memberRole: { trusts: false } }] }));
    const distrust = await errorOf(untrusting.assume());
    await untrusting.world.close();
    const strict = await open(twoAccounts({ accounts: [{ id: member, memberRole: { externalId: 'fleet-7' } }] }));

    const missing = await errorOf(strict.assume('someone-elses-role', 'fleet-7'));
    const wrongId = await errorOf(strict.assume('eks-upgrade-orchestrator-member', 'guess'));
    const granted = await strict.assume('eks-upgrade-orchestrator-member', 'fleet-7');

    for (const error of [distrust, missing, wrongId]) {
      expect(error).toBeInstanceOf(STSServiceException);
      expect(error.name).toBe('AccessDenied');
      expect(error.$metadata?.httpStatusCode).toBe(403);
    }
    expect(distrust.message).toContain(
      `is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${member}:role/eks-upgrade-orchestrator-member`,
    );
    expect(granted.accessKeyId).toMatch(/^ASIA/);
  });

  it("lets a cluster's Kubernetes API in only the identity of its own account", async () => {
    const { world, clients, assume } = await open(twoAccounts());
    const memberClients = clients(await assume());
    const shop = world.clusters.get('shop');
    const now = () => new Date();

    const asMember = await connectToCluster({ aws: memberClients, now }, { name: 'shop' });
    const nodes = await asMember.core.listNode();
    // A token presigned with the central credentials: the member cluster cannot map the identity, and answers 401.
    const centralToken = await createEksToken({
      clusterName: 'shop',
      region: 'eu-west-1',
      credentials: centralCredentials,
    });
    // Over https, trusting the world's CA, as a kubeconfig's certificate-authority-data does.
    const refused = await new Promise<{ status: number }>((resolve, reject) => {
      const req = httpsRequest(
        `${shop?.url}/api/v1/nodes`,
        { ca: world.tls.caPem, headers: { authorization: `Bearer ${centralToken}` } },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0 });
        },
      );
      req.on('error', reject);
      req.end();
    });

    expect(nodes.items).toEqual([]);
    expect(refused.status).toBe(401);
    expect(shop?.accountId).toBe(member);
  });

  it('keeps single-account scenarios as they were: any role may be assumed, every call reaches the one account', async () => {
    world = await createSimWorld(
      parseScenario({ name: 'one', clusters: [{ name: 'solo', region: 'eu-west-1', version: '1.34' }] }),
    );
    const aws = createAwsClients({
      classes: everyAwsClient,
      region: 'eu-west-1',
      credentials: centralCredentials,
      maxAttempts: 1,
      interceptor: world.cloud.interceptor,
    });
    const assumed = await aws.sts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::999988887777:role/anything', RoleSessionName: 'x1' }),
    );
    const asAssumed = createAwsClients({
      classes: everyAwsClient,
      region: 'eu-west-1',
      credentials: {
        accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
        secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
      },
      maxAttempts: 1,
      interceptor: world.cloud.interceptor,
    });

    const listed = await asAssumed.eks.send(new ListClustersCommand({}));

    expect(listed.clusters).toEqual(['solo']);
    expect(world.cloud.accounts.size).toBe(1);
  });
});

describe('fleet realism: latency and per-account rate limits on EKS', () => {
  it('throttles past the burst with the error the SDK retries, and the SDK rides it out', async () => {
    const scenario = twoAccounts({ apiRateLimits: { eks: { requestsPerSecond: 10, burst: 5 } } });
    const { world, clients } = await open(scenario);
    const once = clients(centralCredentials, 1);
    const patient = clients(centralCredentials, 8);

    const burst = await Promise.allSettled(Array.from({ length: 8 }, () => once.eks.send(new ListClustersCommand({}))));
    const throttled = burst.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    const retried = await patient.eks.send(new ListClustersCommand({}));

    expect(throttled).toHaveLength(3);
    expect(throttled[0]).toBeInstanceOf(EKSServiceException);
    expect((throttled[0] as Error).name).toBe('ThrottlingException');
    expect(retried.clusters).toEqual(['hub']);
    expect(retried.$metadata.attempts).toBeGreaterThan(1);
    expect(world.cloud.throttledCalls()).toBeGreaterThanOrEqual(4);
    // Another account's bucket is its own.
    expect(world.cloud.accounts.get(member)?.calls).toEqual([]);
  });
});

describe('scenario schema for accounts', () => {
  it('names a cluster whose account is neither the scenario’s nor listed in accounts', () => {
    expect(() =>
      parseScenario({
        name: 'stray',
        clusters: [{ name: 'x', region: 'eu-west-1', version: '1.34', accountId: '555566667777' }],
      }),
    ).toThrow(ScenarioError);
    expect(() =>
      parseScenario({
        name: 'stray',
        clusters: [{ name: 'x', region: 'eu-west-1', version: '1.34', accountId: '555566667777' }],
      }),
    ).toThrow(/clusters\.0\.accountId: account "555566667777" is not the scenario's accountId; add it to accounts/);
  });
});
