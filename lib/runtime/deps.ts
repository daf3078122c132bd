import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { STSClient } from '@aws-sdk/client-sts';
import { accountClients, callerAccountId, DEFAULT_MEMBER_ROLE_NAME, sessionNameFor } from '../aws/accounts.js';
import {
  type AwsClientClasses,
  type AwsClients,
  type AwsServiceName,
  awsServiceNames,
  createAwsClients,
  restrictAwsClients,
} from '../aws/clients.js';
import { type Clock, systemClock } from '../clock.js';
import type { KubeApis } from '../kube/client.js';
import type { connectToCluster } from '../kube/connect.js';
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
  /** The orchestrator's own account; learned once from STS GetCallerIdentity when unset. */
  accountId?: string;
  /** The role assumed in member accounts (deploy/member-role.yaml) and the ExternalId its trust policy asks for. */
  memberRoleName?: string;
  memberRoleExternalId?: string;
  /** The S3 bucket holding the fleet snapshot (`fleet/` prefix). */
  fleetBucket?: string;
  /** The fleet's upgrade policy file (bundled with the dispatch function); the shipped default when unset. */
  policyFile?: string;
  /** Accounts and regions dispatch scans for clusters (FLEET_ACCOUNTS, FLEET_REGIONS; comma-separated). */
  fleetAccounts?: string[];
  fleetRegions?: string[];
}

/** Connects to a cluster's Kubernetes API (lib/kube's `connectToCluster`). */
export type ClusterConnector = typeof connectToCluster;

/**
 * What a function uses besides its code: the SDK client classes it calls (STS comes with every function: it
 * resolves accounts and assumes member roles) and, for functions that talk to clusters, the cluster connector.
 * Only what a function declares is imported into its bundle; anything else it reaches for throws.
 */
export interface HandlerNeeds {
  aws?: AwsClientClasses;
  kube?: ClusterConnector;
}

/** The function a set of needs belongs to, named in the errors that say a need is missing. */
export interface DeclaredNeeds extends HandlerNeeds {
  functionName: string;
}

/** A function reached for a cluster or a client it did not declare. */
export class UndeclaredNeed extends Error {
  override name = 'UndeclaredNeed';
}

/** Everything a handler needs, injected so the same handlers run in Lambda, the simulator and tests. */
export interface RuntimeDeps {
  /** Clients for a region of the orchestrator's account, or of a member account through its member role. */
  aws(region: string, accountId?: string): AwsClients;
  kube(cluster: { name: string; region: string; accountId?: string }): Promise<KubeApis>;
  /** The orchestrator's own account id; `ownAccountId(deps)` falls back to STS when a binding leaves it out. */
  accountId?(): Promise<string>;
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
    ...(env.AWS_ACCOUNT_ID ? { accountId: env.AWS_ACCOUNT_ID } : {}),
    ...(env.MEMBER_ROLE_NAME ? { memberRoleName: env.MEMBER_ROLE_NAME } : {}),
    ...(env.MEMBER_ROLE_EXTERNAL_ID ? { memberRoleExternalId: env.MEMBER_ROLE_EXTERNAL_ID } : {}),
    ...(env.FLEET_BUCKET ? { fleetBucket: env.FLEET_BUCKET } : {}),
    ...(env.POLICY_FILE ? { policyFile: env.POLICY_FILE } : {}),
    ...(commaList(env.FLEET_ACCOUNTS) ? { fleetAccounts: commaList(env.FLEET_ACCOUNTS) } : {}),
    ...(commaList(env.FLEET_REGIONS) ? { fleetRegions: commaList(env.FLEET_REGIONS) } : {}),
  };
}

/** The items of a comma-separated setting or flag, trimmed; undefined when there are none. */
export function commaList(value: string | undefined): string[] | undefined {
  const items = (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

/** The member role options of a function's settings: name, ExternalId, RoleSessionName `eks-upgrade-<function>`. */
export function memberRoleOf(settings: RuntimeSettings, functionName: string) {
  return {
    roleName: settings.memberRoleName ?? DEFAULT_MEMBER_ROLE_NAME,
    ...(settings.memberRoleExternalId ? { externalId: settings.memberRoleExternalId } : {}),
    sessionName: sessionNameFor(functionName),
  };
}

const ownAccounts = new WeakMap<RuntimeDeps, Promise<string>>();

/** The orchestrator's own account: the binding's, the setting, or STS GetCallerIdentity (once per deps). */
export function ownAccountId(deps: RuntimeDeps): Promise<string> {
  if (deps.accountId) return deps.accountId();
  if (deps.settings.accountId) return Promise.resolve(deps.settings.accountId);
  let known = ownAccounts.get(deps);
  if (!known) {
    known = callerAccountId(deps.aws(deps.settings.region).sts);
    ownAccounts.set(deps, known);
  }
  return known;
}

function refuseKube(functionName: string): never {
  throw new UndeclaredNeed(
    `the ${functionName} function talks to a cluster without declaring it: add \`kube: connectToCluster\` to its needs in functions/${functionName}.ts`,
  );
}

/** The services a set of needs declares, STS always among them. */
export function declaredServices(needs: HandlerNeeds): AwsServiceName[] {
  return awsServiceNames.filter((service) => service === 'sts' || needs.aws?.[service]);
}

/**
 * Dependencies that honour a function's declared needs, over dependencies that serve everything (the local
 * runner's): undeclared clients and an undeclared cluster connection throw, as they would in Lambda.
 */
export function restrictToNeeds(deps: RuntimeDeps, needs: DeclaredNeeds): RuntimeDeps {
  const services = declaredServices(needs);
  const owner = `the ${needs.functionName} function`;
  return {
    ...deps,
    aws: (region, accountId) => restrictAwsClients(deps.aws(region, accountId), services, owner),
    kube: needs.kube ? deps.kube : () => refuseKube(needs.functionName),
  };
}

/**
 * Production dependencies: the declared AWS clients per region and account, each built on first use and reused
 * across invocations; the cluster connector when declared; Powertools logging and metrics.
 */
export function productionDeps(needs: DeclaredNeeds, env: NodeJS.ProcessEnv = process.env): RuntimeDeps {
  const settings = settingsFromEnv(env);
  // serverless names functions <service>-<stage>-<function>; the last part names the session in member accounts.
  const functionName = (env.AWS_LAMBDA_FUNCTION_NAME ?? 'orchestrator').split('-').pop() ?? 'orchestrator';
  const classes: AwsClientClasses = { ...needs.aws, sts: STSClient };
  const owner = `the ${needs.functionName} function`;
  const accounts = accountClients({
    build: (region, credentials) =>
      createAwsClients({ region, classes, owner, ...(credentials ? { credentials } : {}) }),
    region: settings.region,
    ...(settings.accountId ? { ownAccountId: settings.accountId } : {}),
    memberRole: memberRoleOf(settings, functionName),
    now: () => new Date(),
  });
  const aws = (region: string, accountId?: string): AwsClients => accounts.clients(region, accountId);
  const logger = new Logger({ serviceName: 'eks-upgrade-orchestrator' });
  const metrics = new Metrics({ namespace: 'EksUpgradeOrchestrator', serviceName: 'eks-upgrade-orchestrator' });
  return {
    aws,
    kube: (cluster) => {
      const connect = needs.kube ?? refuseKube(needs.functionName);
      return connect({ aws: aws(cluster.region, cluster.accountId), now: () => new Date() }, cluster);
    },
    accountId: () => accounts.ownAccountId(),
    clock: systemClock,
    log: logger,
    metrics: {
      addMetric: (name, unit, value) => metrics.addMetric(name, unit, value),
      addDimension: (name, value) => metrics.addDimension(name, value),
      publishStoredMetrics: () => metrics.publishStoredMetrics(),
    },
    settings,
  };
}

let provider: ((needs: DeclaredNeeds) => RuntimeDeps) | undefined;
const production = new Map<string, RuntimeDeps>();

/**
 * Replaces the dependencies handlers receive; the provider gets the function's declared needs. The local runner
 * and tests use it to bind the handlers to the simulated world; Lambda never calls it.
 */
export function setDependencyProvider(next: ((needs: DeclaredNeeds) => RuntimeDeps) | undefined): void {
  provider = next;
}

/** The dependencies for the current invocation of the function that declared `needs`. */
export function currentDeps(needs: DeclaredNeeds): RuntimeDeps {
  if (provider) return provider(needs);
  let deps = production.get(needs.functionName);
  if (!deps) {
    deps = productionDeps(needs);
    production.set(needs.functionName, deps);
  }
  return deps;
}
