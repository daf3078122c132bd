import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { gateContent } from './content.js';
import type { GateRequest } from './gate.js';

/** SNS subjects are printable ASCII without line breaks, at most 100 characters. */
function subjectOf(text: string): string {
  const ascii = text.replace(/→/g, '->').replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > 100 ? `${ascii.slice(0, 97)}...` : ascii;
}

/** The approval email: which cluster and hop, what will happen, what readiness found, and the two links. */
export function approvalEmail(
  request: GateRequest,
  options: { approveUrl: string; rejectUrl: string; consoleUrl?: string; expiresAt: Date; slackChannel?: string },
): { subject: string; body: string } {
  const content = gateContent(request);
  const lines = [
    content.asks,
    '',
    'What will happen:',
    ...content.plan.map((l) => `  - ${l}`),
    '',
    'What readiness found:',
    ...content.readiness.map((l) => `  - ${l}`),
    '',
    `Approve: ${options.approveUrl}`,
    `Reject:  ${options.rejectUrl}`,
    '',
    'Each link opens a page that shows this request again; nothing is decided until you confirm there.',
    `The links expire at ${options.expiresAt.toISOString()}. ${content.onTimeout}`,
  ];
  if (options.slackChannel) lines.push(`You can also decide in Slack (${options.slackChannel}).`);
  if (options.consoleUrl) lines.push(`Or in the console: ${options.consoleUrl}`);
  lines.push('', `Execution: ${request.executionName ?? request.executionArn}`);
  return { subject: subjectOf(`EKS upgrade approval needed: ${content.title}`), body: lines.join('\n') };
}

/** Publishes the approval email on the notification topic. */
export async function publishApprovalEmail(
  deps: { sns: SNSClient },
  topicArn: string,
  request: GateRequest,
  email: { subject: string; body: string },
): Promise<{ messageId?: string }> {
  const out = await deps.sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: email.subject,
      Message: email.body,
      MessageAttributes: {
        cluster: { DataType: 'String', StringValue: request.cluster },
        kind: { DataType: 'String', StringValue: 'approval-requested' },
      },
    }),
  );
  return out.MessageId ? { messageId: out.MessageId } : {};
}
