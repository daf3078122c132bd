import type { WebClient } from '@slack/web-api';
import { mrkdwn } from '../approvals/slack.js';
import type { Log } from '../runtime/log.js';
import { type Notification, renderNotification } from './messages.js';

/** The Slack channel of an execution's policy (`approvals.slack.channel`), in whatever form the input gave it. */
export function slackChannelOf(policy: unknown): string | undefined {
  const channel = (policy as { approvals?: { slack?: { channel?: unknown } } } | undefined)?.approvals?.slack?.channel;
  return typeof channel === 'string' && channel ? channel : undefined;
}

/**
 * Posts a notification to the cluster's Slack channel (the policy's `notifications.slackChannel`), next to the SNS
 * message. SNS stays the record: a Slack failure is logged and does not fail the notification.
 */
export async function postNotificationToSlack(
  deps: { slack: () => Promise<WebClient | undefined>; log: Log },
  channel: string,
  notification: Notification,
): Promise<{ posted: boolean }> {
  const { subject, body } = renderNotification(notification);
  try {
    const slack = await deps.slack();
    if (!slack) {
      deps.log.warn('no Slack app is configured; the notification went to SNS only', { channel });
      return { posted: false };
    }
    await slack.chat.postMessage({
      channel,
      text: subject,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: subject.slice(0, 150) } },
        { type: 'section', text: { type: 'mrkdwn', text: mrkdwn(body).slice(0, 3000) } },
      ],
    });
    return { posted: true };
  } catch (error) {
    deps.log.warn('could not post the notification to Slack; it went to SNS', {
      channel,
      error: (error as Error).message,
    });
    return { posted: false };
  }
}
