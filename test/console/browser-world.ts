/**
 * The world the browser tests look at, run in a process of its own (the virtual clock fakes `setTimeout`
 * process-wide, which the browser driver needs for real): an interactive local run, as `eks-upgrade demo
 * --interactive --pace` serves it, of four clusters whose gates wait for people, with a fleet snapshot written
 * through the store the console reads. Prints one JSON line with the console's address, then runs until killed.
 */
import { fileURLToPath } from 'node:url';
import { executionNameFor } from '../../lib/dispatch/index.js';
import type { FleetClusterStatus } from '../../lib/fleet/index.js';
import { s3FleetStore } from '../../lib/fleet/index.js';
import { fleetBucket, type LocalEnvironment } from '../../lib/local/environment.js';
import { runScenario } from '../../lib/local/run.js';
import { parseScenario } from '../../lib/sim/scenario.js';
import { bundledSupportCalendar } from '../../lib/versions/index.js';

const startTime = '2026-11-23T09:00:00Z';
const accountId = '111122223333';
const region = 'eu-west-1';

const cluster = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  region,
  version: '1.33',
  policy: { target: '1.34' },
  tags: { 'eks-upgrade/enabled': 'true' },
  addons: [{ name: 'coredns' }],
  managedNodegroups: [{ name: 'general', desiredSize: 2, minSize: 2, maxSize: 4 }],
  workloads: [{ kind: 'Deployment', name: 'web', replicas: 2, startupSeconds: 10, pdb: { maxUnavailable: 1 } }],
  ...extra,
});

/** payments is approved, ledger rejected, fragile approved into a failing control plane update, orders left waiting. */
export const browserScenario = parseScenario(
  {
    name: 'console-browser',
    description: 'Four clusters on 1.33 whose upgrades to 1.34 wait for people in the console.',
    startTime,
    accountId,
    clusters: [
      cluster('payments'),
      cluster('ledger'),
      cluster('fragile', {
        faults: [
          {
            type: 'controlPlaneUpdateFails',
            toVersion: '1.34',
            errorCode: 'ClusterUnreachable',
            message: "EKS could not reach the cluster's subnets during the update.",
          },
        ],
      }),
      cluster('orders'),
    ],
  },
  fileURLToPath(import.meta.url),
);

/** What dispatch would have written for these clusters when it started their upgrades. */
async function writeFleetSnapshot(env: LocalEnvironment): Promise<void> {
  const now = env.clock.now();
  const support = bundledSupportCalendar.versions.find((v) => v.version === '1.33');
  const end = support ? new Date(`${support.endOfStandardSupport}T00:00:00Z`) : undefined;
  const clusters: FleetClusterStatus[] = browserScenario.clusters.map((c, i) => ({
    cluster: { accountId, region, name: c.name, arn: `arn:aws:eks:${region}:${accountId}:cluster/${c.name}` },
    enrolled: true,
    policyGroup: 'default',
    wave: { group: 'shop', name: i < 2 ? 'first' : 'second' },
    version: c.version,
    target: '1.34',
    hops: ['1.33 → 1.34'],
    ...(end
      ? {
          endOfStandardSupport: end.toISOString(),
          supportSource: 'bundled-calendar' as const,
          daysLeft: Math.floor((end.getTime() - now.getTime()) / 86_400_000),
        }
      : {}),
    decision: 'started',
    reason: 'The policy targets 1.34 and a maintenance window is open.',
    executionName: executionNameFor(c.name, '1.34', now),
  }));
  const store = s3FleetStore({ s3: env.deps.aws(region).s3, bucket: fleetBucket });
  await store.write({ generatedAt: now.toISOString(), trigger: 'schedule', clusters });
}

const pace = Number(process.env.BROWSER_WORLD_PACE ?? '120');
await runScenario(browserScenario, {
  interactive: {
    user: 'alice@example.com',
    pace,
    onApi: async (api, env) => {
      await writeFleetSnapshot(env);
      process.stdout.write(`${JSON.stringify({ consoleUrl: api.consoleUrl, url: api.url, token: api.token })}\n`);
    },
  },
});
