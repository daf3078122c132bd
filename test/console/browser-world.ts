/**
 * The world the browser tests look at, run in a process of its own (the virtual clock fakes `setTimeout`
 * process-wide, which the browser driver needs for real): an interactive local run, as `eks-upgrade demo
 * --interactive --pace` serves it, of four clusters whose gates wait for people. Dispatch has not run in it, so the
 * fleet page has no snapshot. Prints one JSON line with the console's address, then runs until killed.
 */
import { fileURLToPath } from 'node:url';
import { runScenario } from '../../local/run.js';
import { parseScenario } from '../../sim/scenario.js';

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

const pace = Number(process.env.BROWSER_WORLD_PACE ?? '120');
await runScenario(browserScenario, {
  interactive: {
    user: 'alice@example.com',
    pace,
    onApi: (api) => {
      process.stdout.write(`${JSON.stringify({ consoleUrl: api.consoleUrl, url: api.url, token: api.token })}\n`);
    },
    // The console serves on after the upgrades end (a stop can end the last one), as `demo --interactive` does.
    whenEnded: () => new Promise<void>(() => undefined),
  },
});
