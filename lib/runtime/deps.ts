import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { type AwsClients, createAwsClients } from '../aws/clients.js';
import { type Clock, systemClock } from '../clock.js';
import { connectToCluster, type KubeApis } from '../kube/index.js';
import type { Log, MetricsSink } from './log.js';

/** Settings that come from the function's environment (set by serverless.yml). */
export interface RuntimeSettings {
  /** SNS topic for notifications and approval requests. */
  topicArn?: string;
  /** The upgrade-cluster state machine, for dispatch. */
  stateMachineArn?: string;
  /** Region of the orchestrator itself (clusters may be elsewhere). */
  region: string;
  /** Where approval links point: the HTTP API's URL (or a custom domain). */
  approvalBaseUrl?: string;
  /** SSM SecureString parameters holding the approval link key and the Slack app's bot token and signing secret. */
  approvalLinkKeyParameter?: string;
  slackBotTokenParameter?: string;
  slackSigningSecretParameter?: string;
  /** The Slack Web API base URL; unset means Slack's own. The local runner points it at the simulated Slack. */
  slackApiUrl?: string;
}

/** Everything a handler needs, injected so the same handlers run in Lambda, the simulator and tests. */
export interface RuntimeDeps {
  aws(region: string): AwsClients;
  kube(cluster: { name: string; region: string }): Promise<KubeApis>;
  clock: Clock;
  log: Log;
  metrics: MetricsSink;
  settings: RuntimeSettings;
}

function settingsFromEnv(env: NodeJS.ProcessEnv): RuntimeSettings {
  return {
    region: env.AWS_REGION ?? 'us-east-1',
    ...(env.NOTIFY_TOPIC_ARN ? { topicArn: env.NOTIFY_TOPIC_ARN } : {}),
    ...(env.STATE_MACHINE_ARN ? { stateMachineArn: env.STATE_MACHINE_ARN } : {}),
    ...(env.APPROVAL_BASE_URL ? { approvalBaseUrl: env.APPROVAL_BASE_URL } : {}),
    ...(env.APPROVAL_LINK_KEY_PARAMETER ? { approvalLinkKeyParameter: env.APPROVAL_LINK_KEY_PARAMETER } : {}),
    ...(env.SLACK_BOT_TOKEN_PARAMETER ? { slackBotTokenParameter: env.SLACK_BOT_TOKEN_PARAMETER } : {}),
    ...(env.SLACK_SIGNING_SECRET_PARAMETER ? { slackSigningSecretParameter: env.SLACK_SIGNING_SECRET_PARAMETER } : {}),
  };
}

/** Production dependencies: real AWS clients per region (reused across invocations), Powertools logging. */
export function productionDeps(env: NodeJS.ProcessEnv = process.env): RuntimeDeps {
  const clients = new Map<string, AwsClients>();
  const aws = (region: string): AwsClients => {
    let c = clients.get(region);
    if (!c) {
      c = createAwsClients({ region });
      clients.set(region, c);
    }
    return c;
  };
  const logger = new Logger({ serviceName: 'eks-upgrade-orchestrator' });
  const metrics = new Metrics({ namespace: 'EksUpgradeOrchestrator', serviceName: 'eks-upgrade-orchestrator' });
  return {
    aws,
    kube: (cluster) => connectToCluster({ aws: aws(cluster.region), now: () => new Date() }, cluster),
    clock: systemClock,
    log: logger,
    metrics: {
      addMetric: (name, unit, value) => metrics.addMetric(name, unit, value),
      addDimension: (name, value) => metrics.addDimension(name, value),
      publishStoredMetrics: () => metrics.publishStoredMetrics(),
    },
    settings: settingsFromEnv(env),
  };
}

let provider: (() => RuntimeDeps) | undefined;
let production: RuntimeDeps | undefined;

/**
 * Replaces the dependencies handlers receive. The local runner and tests use it to bind the handlers to the
 * simulated world; Lambda never calls it.
 */
export function setDependencyProvider(next: (() => RuntimeDeps) | undefined): void {
  provider = next;
}

/** The dependencies for the current invocation. */
export function currentDeps(): RuntimeDeps {
  if (provider) return provider();
  production ??= productionDeps();
  return production;
}
