import { z } from 'zod';
import { approvalDeps } from '../lib/approvals/index.js';
import { InvalidInput } from '../lib/errors.js';
import { notifyNeeds, postNotificationToSlack, publishNotification, slackChannelOf } from '../lib/notify/index.js';
import { defineHandler } from '../lib/runtime/index.js';
import { clusterRef, minor } from './schemas.js';

const event = z.object({
  ...clusterRef,
  kind: z.enum([
    'upgrade-started',
    'nothing-to-do',
    'hop-succeeded',
    'upgrade-succeeded',
    'upgrade-failed',
    'upgrade-stopped',
  ]),
  fromVersion: minor.optional(),
  toVersion: minor.optional(),
  hop: z.object({ index: z.number(), from: minor, to: minor }).passthrough().optional(),
  hopsTotal: z.number().int().optional(),
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
  /** The execution's policy (as given, or as the plan resolved it): its Slack channel gets the notification too. */
  policy: z.unknown().optional(),
});

/** Tells people what happened: start, each hop, success, failure with its cause and what to do next. */
export const handler = defineHandler('notify', event, notifyNeeds, async (input, deps) => {
  const topicArn = deps.settings.topicArn;
  if (!topicArn)
    throw new InvalidInput('NOTIFY_TOPIC_ARN is not set on the notify function; deploy with serverless.yml');
  const aws = deps.aws(deps.settings.region);
  const { policy, ...rest } = input;
  const hop = input.hop ? { index: input.hop.index, from: input.hop.from, to: input.hop.to } : undefined;
  const notification = { ...rest, ...(hop ? { hop } : {}) };
  const sent = await publishNotification({ sns: aws.sns, log: deps.log }, topicArn, notification).catch(
    (error: unknown) => {
      // Counted (each failed attempt) where an alarm watches, since the topic that would tell people is the one
      // that failed; the state machine retries, then goes on with the upgrade.
      deps.log.error('notification not published', { kind: input.kind, error: (error as Error).message });
      deps.metrics.addMetric('NotificationPublishFailed', 'Count', 1);
      throw error;
    },
  );
  const channel = slackChannelOf(policy);
  if (!channel) return sent;
  const slack = await postNotificationToSlack(
    { slack: approvalDeps(deps).slack, log: deps.log },
    channel,
    notification,
  );
  return { ...sent, slack };
});
