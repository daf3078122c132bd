import { ListClustersCommand } from '@aws-sdk/client-eks';
import { afterEach, describe, expect, it } from 'vitest';
import { accountClients, memberRoleArn, partitionOf, sessionNameFor } from '../../../lib/aws/accounts.js';
import { createAwsClients } from '../../../lib/aws/clients.js';
import { everyAwsClient } from '../../../lib/aws/every-client.js';
import { AccountAccessDenied, InvalidInput } from '../../../lib/errors.js';
import { VirtualClock } from '../../../sim/clock.js';
import { parseScenario } from '../../../sim/scenario.js';
import { createSimWorld, type SimWorld } from '../../../sim/world.js';

const central = '111122223333';
const member = '444455556666';

let world: SimWorld | undefined;
let clock: VirtualClock | undefined;
afterEach(async () => {
  await world?.close();
  clock?.uninstall();
  world = undefined;
  clock = undefined;
});

async function fleet(memberRole: Record<string, unknown> = {}) {
  clock = new VirtualClock(Date.parse('2026-11-21T02:00:00Z'));
  clock.install();
  world = await createSimWorld(
    parseScenario({
      name: 'two-accounts',
      accountId: central,
      accounts: [{ id: member, memberRole }],
      clusters: [
        { name: 'hub', region: 'eu-west-1', version: '1.34' },
        { name: 'shop', region: 'eu-west-1', version: '1.34', accountId: member },
      ],
    }),
  );
  const cloud = world.cloud;
  const vclock = clock;
  const accounts = accountClients({
    build: (region, credentials) =>
      createAwsClients({
        classes: everyAwsClient,
        region,
        credentials: credentials ?? { accessKeyId: 'AKIACENTRAL000000000', secretAccessKey: 's' },
        maxAttempts: 1,
        interceptor: cloud.interceptor,
      }),
    region: 'eu-west-1',
    memberRole: { roleName: 'eks-upgrade-orchestrator-member', sessionName: sessionNameFor('plan') },
    now: () => vclock.now(),
  });
  return { world, clock: vclock, accounts };
}

/** Lets `ms` of simulated time pass. */
async function pass(c: VirtualClock, ms: number): Promise<void> {
  let done = false;
  void c.sleep(ms).then(() => {
    done = true;
  });
  await c.runUntil(() => done);
}

describe('member role ARNs and session names', () => {
  it('builds the role ARN in the region’s partition and a session name STS accepts', () => {
    expect(memberRoleArn(member, 'eks-upgrade-orchestrator-member', 'eu-west-1')).toBe(
      `arn:aws:iam::${member}:role/eks-upgrade-orchestrator-member`,
    );
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
    expect(sessionNameFor('controlPlane')).toBe('eks-upgrade-controlPlane');
    expect(sessionNameFor('x'.repeat(80))).toHaveLength(64);
  });
});

describe('clients per account', () => {
  it('reaches a member account through its role, learning the own account from STS', async () => {
    const { world, accounts } = await fleet();

    const own = await accounts.clients('eu-west-1').eks.send(new ListClustersCommand({}));
    const ownById = await accounts.clients('eu-west-1', central).eks.send(new ListClustersCommand({}));
    const theirs = await accounts.clients('eu-west-1', member).eks.send(new ListClustersCommand({}));

    expect(own.clusters).toEqual(['hub']);
    expect(ownById.clusters).toEqual(['hub']);
    expect(theirs.clusters).toEqual(['shop']);
    expect(await accounts.ownAccountId()).toBe(central);
    expect(world.account.assumedRoles.map((r) => `${r.roleArn} ${r.sessionName}`)).toEqual([
      `arn:aws:iam::${member}:role/eks-upgrade-orchestrator-member eks-upgrade-plan`,
    ]);
  });

  it('caches a member session and renews it five minutes before it expires, on the virtual clock', async () => {
    const { world, clock, accounts } = await fleet();
    const eks = accounts.clients('eu-west-1', member).eks;

    await eks.send(new ListClustersCommand({}));
    await pass(clock, 30 * 60_000);
    await eks.send(new ListClustersCommand({}));
    const cachedFor30Minutes = world.account.assumedRoles.length;
    await pass(clock, 26 * 60_000); // 56 minutes in: within 5 minutes of the one-hour session's end
    await eks.send(new ListClustersCommand({}));
    const first = await accounts.member.credentials(member);

    expect(cachedFor30Minutes).toBe(1);
    expect(world.account.assumedRoles).toHaveLength(2);
    expect(world.account.assumedRoles[1]?.atMs).toBe(Date.parse('2026-11-21T02:56:00Z'));
    expect(first.expiration?.toISOString()).toBe('2026-11-21T03:56:00.000Z');
  });

  it('raises AccountAccessDenied naming the role and the fix when the role does not trust the orchestrator', async () => {
    const { world, accounts } = await fleet({ trusts: false });
    const eks = accounts.clients('eu-west-1', member).eks;

    const refusal = (e: unknown) => e as Error;
    const error = refusal(await eks.send(new ListClustersCommand({})).then(() => undefined, refusal));
    const again = refusal(await eks.send(new ListClustersCommand({})).then(() => undefined, refusal));

    expect(error).toBeInstanceOf(AccountAccessDenied);
    expect(error.name).toBe('AccountAccessDenied');
    expect(error.message).toContain(`arn:aws:iam::${member}:role/eks-upgrade-orchestrator-member`);
    expect(error.message).toMatch(/deploy\/member-role\.yaml.*trust policy/);
    expect((error.cause as Error).name).toBe('AccessDenied');
    // A refusal is not cached: the next call asks STS again.
    expect(again).toBeInstanceOf(AccountAccessDenied);
    expect(world.account.calls.filter((c) => c.command === 'AssumeRole')).toHaveLength(2);
  });

  it('refuses an account id that is not 12 digits, saying what to give', async () => {
    const { accounts } = await fleet();

    expect(() => accounts.clients('eu-west-1', '4444-5555-6666')).toThrow(InvalidInput);
    expect(() => accounts.clients('eu-west-1', '4444-5555-6666')).toThrow(/give its 12 digits/);
  });
});
