import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { accountClients, DEFAULT_MEMBER_ROLE_NAME } from '../lib/aws/accounts.js';
import { type AwsClients, createAwsClients } from '../lib/aws/clients.js';
import { everyAwsClient } from '../lib/aws/every-client.js';
import { connectToCluster } from '../lib/kube/index.js';
import {
  MemoryLog,
  MemoryMetrics,
  type RuntimeDeps,
  restrictToNeeds,
  setDependencyProvider,
} from '../lib/runtime/index.js';
import { VirtualClock } from '../sim/clock.js';
import type { Scenario } from '../sim/scenario.js';
import { SimSlack } from '../sim/slack.js';
import { createSimWorld, type SimWorld } from '../sim/world.js';
import { localFunctions } from './functions.js';
import { LocalStepFunctions } from './stepfunctions.js';

export const defaultDefinitionPath = fileURLToPath(
  new URL('../statemachines/upgrade-cluster.asl.yaml', import.meta.url),
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
  /** The simulated Slack workspace, when the environment has one. */
  slack?: SimSlack;
  /** The secrets the environment put in (simulated) SSM, as an operator puts them in SSM before deploying. */
  secrets: { approvalLinkKey: string; slackBotToken?: string; slackSigningSecret?: string };
  close(): Promise<void>;
}

/** The fleet snapshot bucket, as serverless.yml names it for a stage called `local`. */
export const fleetBucket = 'eks-upgrade-orchestrator-local-fleet';

/** SSM SecureString parameter names, as serverless.yml names them for a stage called `local`. */
const parameterNames = {
  approvalLinkKey: '/eks-upgrade-orchestrator/local/approval-link-key',
  slackBotToken: '/eks-upgrade-orchestrator/local/slack-bot-token',
  slackSigningSecret: '/eks-upgrade-orchestrator/local/slack-signing-secret',
};

/** Writes the secrets to the simulated SSM through the real client, the way docs/approvals.md tells operators to. */
async function storeSecrets(aws: AwsClients, secrets: Record<string, string | undefined>): Promise<void> {
  for (const [key, value] of Object.entries(secrets)) {
    const name = parameterNames[key as keyof typeof parameterNames];
    if (!value || !name) continue;
    await aws.ssm.send(new PutParameterCommand({ Name: name, Type: 'SecureString', Value: value, Overwrite: true }));
  }
}

/**
 * Everything a local run needs: the virtual clock (installed), the simulated world, the local Step Functions
 * with the real handlers bound, and the dependencies those handlers receive. `close()` undoes all of it.
 */
export async function createLocalEnvironment(
  scenario: Scenario,
  options: {
    definitionPath?: string;
    region?: string;
    onLog?: ConstructorParameters<typeof MemoryLog>[0];
    /** Handlers that stand in for real ones, by function name (a test feeding a gate a readiness report). */
    functions?: Record<string, (event: unknown) => Promise<unknown>>;
    /** A simulated Slack workspace, its bot token and signing secret in SSM. */
    slack?: { userGroups?: Record<string, string[]> };
    /**
     * SDK attempts per AWS call. 1 by default: the state machine's Retry blocks do the retrying, on the virtual
     * clock. Fleet runs of dispatch outside the state machine give more, as deployed (AWS_MAX_ATTEMPTS).
     */
    maxAttempts?: number;
    /** The member role the orchestrator assumes in member accounts (MEMBER_ROLE_NAME, MEMBER_ROLE_EXTERNAL_ID). */
    memberRole?: { name?: string; externalId?: string };
  } = {},
): Promise<LocalEnvironment> {
  const clock = new VirtualClock(Date.parse(scenario.startTime));
  clock.install();
  let world: SimWorld | undefined;
  let slack: SimSlack | undefined;
  try {
    // Simulated API latency parks the call on the virtual clock, so time moves while it waits.
    world = await createSimWorld(scenario, { sleep: (ms) => clock.sleep(ms) });
    const region = options.region ?? scenario.clusters[0]?.region ?? 'eu-west-1';
    const stepFunctions = new LocalStepFunctions({
      definitionPath: options.definitionPath ?? defaultDefinitionPath,
      stateMachineName: 'eks-upgrade-orchestrator-local-upgrade-cluster',
      region,
      accountId: scenario.accountId,
      clock,
      functions: { ...localFunctions, ...options.functions },
      ...(scenario.executions ? { history: scenario.executions } : {}),
    });
    const cloud = world.cloud;
    cloud.central.createBucket(fleetBucket, region);
    const topicArn = cloud.central.createTopic('eks-upgrade-orchestrator-local-notifications', region);
    const memberRoleName = options.memberRole?.name ?? DEFAULT_MEMBER_ROLE_NAME;
    const accounts = accountClients({
      build: (r, credentials) =>
        createAwsClients({
          classes: everyAwsClient,
          region: r,
          credentials: credentials ?? simulatedCredentials,
          maxAttempts: options.maxAttempts ?? 1,
          interceptor: (client) => (client.service === 'sfn' ? stepFunctions.interceptor() : cloud.interceptor(client)),
        }),
      region,
      ownAccountId: scenario.accountId,
      memberRole: {
        roleName: memberRoleName,
        ...(options.memberRole?.externalId ? { externalId: options.memberRole.externalId } : {}),
        // Locally one set of dependencies serves every function.
        sessionName: 'eks-upgrade-local',
      },
      now: () => clock.now(),
    });
    const aws = (r: string, accountId?: string): AwsClients => accounts.clients(r, accountId);
    const log = new MemoryLog(options.onLog);
    const metrics = new MemoryMetrics();
    const secrets: LocalEnvironment['secrets'] = { approvalLinkKey: randomBytes(32).toString('base64') };
    if (options.slack) {
      secrets.slackBotToken = `xoxb-local-${randomBytes(12).toString('hex')}`;
      secrets.slackSigningSecret = randomBytes(16).toString('hex');
      slack = new SimSlack({
        botToken: secrets.slackBotToken,
        signingSecret: secrets.slackSigningSecret,
        ...(options.slack.userGroups ? { userGroups: options.slack.userGroups } : {}),
      });
      await slack.start();
    }
    await storeSecrets(aws(region), secrets);
    const deps: RuntimeDeps = {
      aws,
      kube: (cluster) =>
        connectToCluster({ aws: aws(cluster.region, cluster.accountId), now: () => clock.now() }, cluster),
      accountId: async () => scenario.accountId,
      clock,
      log,
      metrics,
      settings: {
        region,
        topicArn,
        stateMachineArn: stepFunctions.stateMachineArn,
        // The local API server (local/api-server.ts) replaces it with its own address when it starts.
        approvalBaseUrl: 'http://127.0.0.1:1',
        approvalLinkKeyParameter: parameterNames.approvalLinkKey,
        accountId: scenario.accountId,
        memberRoleName,
        ...(options.memberRole?.externalId ? { memberRoleExternalId: options.memberRole.externalId } : {}),
        fleetBucket,
        fleetAccounts: [scenario.accountId, ...(scenario.accounts ?? []).map((a) => a.id)],
        fleetRegions: [...new Set(scenario.clusters.map((c) => c.region))].sort(),
        ...(slack
          ? {
              slackBotTokenParameter: parameterNames.slackBotToken,
              slackSigningSecretParameter: parameterNames.slackSigningSecret,
              slackApiUrl: slack.apiUrl,
            }
          : {}),
      },
    };
    // Each handler gets only what it declares, as in Lambda: a forgotten client fails here, not after deploying.
    setDependencyProvider((needs) => restrictToNeeds(deps, needs));
    const built = world;
    const workspace = slack;
    return {
      clock,
      world: built,
      stepFunctions,
      deps,
      log,
      metrics,
      ...(workspace ? { slack: workspace } : {}),
      secrets,
      close: async () => {
        setDependencyProvider(undefined);
        await workspace?.close();
        await built.close();
        clock.uninstall();
      },
    };
  } catch (error) {
    setDependencyProvider(undefined);
    await slack?.close();
    await world?.close();
    clock.uninstall();
    throw error;
  }
}
