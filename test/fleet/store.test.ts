import { NoSuchBucket } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { s3FleetStore } from '../../lib/fleet/index.js';
import type { FleetSnapshot } from '../../lib/fleet/types.js';
import { createLocalEnvironment, fleetBucket, type LocalEnvironment } from '../../local/environment.js';
import { parseScenario } from '../../sim/scenario.js';

let env: LocalEnvironment | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const snapshot: FleetSnapshot = {
  generatedAt: '2026-11-21T02:00:00.000Z',
  trigger: 'schedule',
  clusters: [
    {
      cluster: {
        accountId: '444455556666',
        region: 'eu-west-1',
        name: 'shop',
        arn: 'arn:aws:eks:eu-west-1:444455556666:cluster/shop',
      },
      enrolled: true,
      version: '1.33',
      target: '1.34',
      hops: ['1.34'],
      decision: 'wait-window',
      reason: 'the next maintenance window opens on Tuesday at 02:00 Europe/Berlin',
    },
  ],
};

async function open(): Promise<LocalEnvironment> {
  env = await createLocalEnvironment(
    parseScenario({ name: 'one', clusters: [{ name: 'solo', region: 'eu-west-1', version: '1.34' }] }),
  );
  return env;
}

describe('the fleet snapshot in S3', () => {
  it('reads nothing before the first write, then what was written, as JSON', async () => {
    const { deps, world } = await open();
    const store = s3FleetStore({ s3: deps.aws('eu-west-1').s3, bucket: fleetBucket, key: 'fleet/latest.json' });

    const before = await store.read();
    await store.write(snapshot);
    const after = await store.read();

    expect(before).toBeUndefined();
    expect(after).toEqual(snapshot);
    expect(JSON.parse(world.account.objectText(fleetBucket, 'fleet/latest.json') ?? '')).toEqual(snapshot);
    const put = world.account.calls.find((c) => c.command === 'PutObject');
    expect(put?.input).toEqual(expect.objectContaining({ ContentType: 'application/json', Key: 'fleet/latest.json' }));
  });

  it('lets S3 errors other than a missing key through', async () => {
    const { deps } = await open();
    const store = s3FleetStore({ s3: deps.aws('eu-west-1').s3, bucket: 'no-such-bucket' });

    await expect(store.read()).rejects.toBeInstanceOf(NoSuchBucket);
  });
});
