import { fileURLToPath } from 'node:url';
import { type AwsClients, createAwsClients } from '../aws/clients.js';
import { connectToCluster } from '../kube/index.js';
import { MemoryLog, MemoryMetrics, type RuntimeDeps, setDependencyProvider } from '../runtime/index.js';
import { VirtualClock } from '../sim/clock.js';
import type { Scenario } from '../sim/scenario.js';
import { createSimWorld, type SimWorld } from '../sim/world.js';
import { localFunctions } from './functions.js';
import { LocalStepFunctions } from './stepfunctions.js';

export const defaultDefinitionPath = fileURLToPath(
  new URL('../../statemachines/upgrade-cluster.asl.yaml', import.meta.url),
);

/** Credentials for the simulated account: real-looking, never valid anywhere. */
const simulatedCredentials = { accessKeyId: 'AKIASIMULATED000000', secretAccessKey: 'simulated-secret-access-key' };

export interface LocalEnvironment {
  clock: VirtualClock;
  world: SimWorld;
  stepFunctions: LocalStepFunctions;
  deps: RuntimeDeps;
  log: MemoryLog;
  metrics: MemoryMetrics;
  close(): Promise<void>;
}

/**
 * Everything a local run needs: the virtual clock (installed), the simulated world, the local Step Functions
 * with the real handlers bound, and the dependencies those handlers receive. `close()` undoes all of it.
 */
export async function createLocalEnvironment(
  scenario: Scenario,
  options: { definitionPath?: string; region?: string; onLog?: ConstructorParameters<typeof MemoryLog>[0] } = {},
): Promise<LocalEnvironment> {
  const clock = new VirtualClock(Date.parse(scenario.startTime));
  clock.install();
  let world: SimWorld | undefined;
  try {
    world = await createSimWorld(scenario);
    const region = options.region ?? scenario.clusters[0]?.region ?? 'eu-west-1';
    const stepFunctions = new LocalStepFunctions({
      definitionPath: options.definitionPath ?? defaultDefinitionPath,
      stateMachineName: 'eks-upgrade-orchestrator-local-upgrade-cluster',
      region,
      accountId: scenario.accountId,
      clock,
      functions: localFunctions,
    });
    const account = world.account;
    const clients = new Map<string, AwsClients>();
    const aws = (r: string): AwsClients => {
      let c = clients.get(r);
      if (!c) {
        c = createAwsClients({
          region: r,
          credentials: simulatedCredentials,
          // Locally the state machine's Retry blocks do the retrying, on the virtual clock.
          maxAttempts: 1,
          interceptor: (client) =>
            client.service === 'sfn' ? stepFunctions.interceptor() : account.interceptor(client),
        });
        clients.set(r, c);
      }
      return c;
    };
    const log = new MemoryLog(options.onLog);
    const metrics = new MemoryMetrics();
    const deps: RuntimeDeps = {
      aws,
      kube: (cluster) => connectToCluster({ aws: aws(cluster.region), now: () => clock.now() }, cluster),
      clock,
      log,
      metrics,
      settings: {
        region,
        topicArn: `arn:aws:sns:${region}:${scenario.accountId}:eks-upgrade-orchestrator-local-notifications`,
        stateMachineArn: stepFunctions.stateMachineArn,
      },
    };
    setDependencyProvider(() => deps);
    const built = world;
    return {
      clock,
      world: built,
      stepFunctions,
      deps,
      log,
      metrics,
      close: async () => {
        setDependencyProvider(undefined);
        await built.close();
        clock.uninstall();
      },
    };
  } catch (error) {
    setDependencyProvider(undefined);
    await world?.close();
    clock.uninstall();
    throw error;
  }
}
