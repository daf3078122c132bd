import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, ParameterNotFound, type SSMClient } from '@aws-sdk/client-ssm';
import { LogLevel, WebClient } from '@slack/web-api';
import { InvalidInput } from '../errors.js';
import type { RuntimeDeps } from '../runtime/deps.js';
import type { Log } from '../runtime/log.js';

/** What the approval functions need: AWS clients, the secrets (read on first use), and where things are. */
export interface ApprovalDeps {
  sfn: SFNClient;
  sns: SNSClient;
  log: Log;
  now: () => Date;
  stateMachineArn?: string;
  topicArn?: string;
  /** The HTTP API's URL, which approval links and the console live under. */
  baseUrl?: string;
  /** The key that seals approval links. Throws InvalidInput when it is not configured. */
  linkKey(): Promise<string>;
  /** A Slack Web API client with the bot token, or undefined when no Slack app is configured. */
  slack(): Promise<WebClient | undefined>;
  /** The Slack app's signing secret. Throws InvalidInput when it is not configured. */
  slackSigningSecret(): Promise<string>;
}

const secretTtlMs = 5 * 60_000;
const secrets = new WeakMap<SSMClient, Map<string, { value: string | undefined; readAt: number }>>();

/**
 * Reads a SecureString parameter, decrypted; undefined when it does not exist. Kept for five minutes per client,
 * so a warm function reads it once and still sees a rotation soon. Values are never logged.
 */
export async function readSecureParameter(ssm: SSMClient, name: string): Promise<string | undefined> {
  let cache = secrets.get(ssm);
  if (!cache) {
    cache = new Map();
    secrets.set(ssm, cache);
  }
  const cached = cache.get(name);
  if (cached && Date.now() - cached.readAt < secretTtlMs) return cached.value;
  let value: string | undefined;
  try {
    value = (await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter?.Value;
  } catch (error) {
    if (!(error instanceof ParameterNotFound)) throw error;
  }
  cache.set(name, { value, readAt: Date.now() });
  return value;
}

async function required(ssm: SSMClient, name: string | undefined, what: string, env: string): Promise<string> {
  if (!name) throw new InvalidInput(`${env} is not set: name the SSM SecureString parameter that holds ${what}`);
  const value = await readSecureParameter(ssm, name);
  if (!value)
    throw new InvalidInput(`SSM parameter ${name} (${what}) does not exist or is empty; see docs/approvals.md`);
  return value;
}

/** The approval dependencies of a handler invocation. */
export function approvalDeps(deps: RuntimeDeps): ApprovalDeps {
  const aws = deps.aws(deps.settings.region);
  const s = deps.settings;
  let slack: Promise<WebClient | undefined> | undefined;
  return {
    sfn: aws.sfn,
    sns: aws.sns,
    log: deps.log,
    now: () => deps.clock.now(),
    ...(s.stateMachineArn ? { stateMachineArn: s.stateMachineArn } : {}),
    ...(s.topicArn ? { topicArn: s.topicArn } : {}),
    ...(s.approvalBaseUrl ? { baseUrl: s.approvalBaseUrl.replace(/\/+$/, '') } : {}),
    linkKey: () =>
      required(aws.ssm, s.approvalLinkKeyParameter, 'the approval link key', 'APPROVAL_LINK_KEY_PARAMETER'),
    slackSigningSecret: () =>
      required(aws.ssm, s.slackSigningSecretParameter, 'the Slack signing secret', 'SLACK_SIGNING_SECRET_PARAMETER'),
    slack: () => {
      slack ??= (async () => {
        const token = s.slackBotTokenParameter
          ? await readSecureParameter(aws.ssm, s.slackBotTokenParameter)
          : undefined;
        if (!token) return undefined;
        // No retries inside a request: Slack is one of several channels, and Step Functions retries tasks.
        return new WebClient(token, {
          ...(s.slackApiUrl ? { slackApiUrl: s.slackApiUrl } : {}),
          retryConfig: { retries: 0 },
          rejectRateLimitedCalls: true,
          logLevel: LogLevel.ERROR,
        });
      })();
      return slack;
    },
  };
}
