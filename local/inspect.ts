import { type AwsClients, createAwsClients } from '../lib/aws/clients.js';
import { everyAwsClient } from '../lib/aws/every-client.js';
import { connectToCluster, type KubeApis } from '../lib/kube/index.js';
import type { Scenario, ScenarioCluster } from '../sim/scenario.js';
import { createSimWorld, type SimWorld } from '../sim/world.js';

/** Credentials for the simulated account: real-looking, never valid anywhere. */
const simulatedCredentials = { accessKeyId: 'AKIASIMULATED000000', secretAccessKey: 'simulated-secret-access-key' };

export interface ScenarioConnection {
  cluster: ScenarioCluster;
  world: SimWorld;
  /** The real SDK clients, served by the simulated account. */
  aws: AwsClients;
  /** The real Kubernetes clients, over HTTP to the simulated API server, with an EKS token. */
  kube: KubeApis;
  close(): Promise<void>;
}

/**
 * Opens a scenario's world as it stands at its start, for read-only work such as `eks-upgrade readiness`: the
 * same clients the handlers use, without the state machine. Time is the wall clock; nothing is simulated to run.
 * Throws if the scenario has no cluster of that name.
 */
export async function connectToScenario(scenario: Scenario, clusterName: string): Promise<ScenarioConnection> {
  const cluster = scenario.clusters.find((c) => c.name === clusterName);
  if (!cluster) {
    throw new Error(
      `scenario "${scenario.name}" has no cluster "${clusterName}" (it has: ${scenario.clusters.map((c) => c.name).join(', ')})`,
    );
  }
  const world = await createSimWorld(scenario);
  try {
    const aws = createAwsClients({
      classes: everyAwsClient,
      region: cluster.region,
      credentials: simulatedCredentials,
      maxAttempts: 1,
      interceptor: world.account.interceptor,
    });
    const kube = await connectToCluster({ aws, now: () => new Date() }, cluster);
    return { cluster, world, aws, kube, close: () => world.close() };
  } catch (error) {
    await world.close();
    throw error;
  }
}
