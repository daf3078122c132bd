import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Log } from '../runtime/log.js';

export type NotificationKind =
  | 'upgrade-started'
  | 'nothing-to-do'
  | 'hop-succeeded'
  | 'upgrade-succeeded'
  | 'upgrade-failed'
  | 'upgrade-stopped'
  | 'approval-decided';

export interface Notification {
  kind: NotificationKind;
  cluster: string;
  region: string;
  executionName?: string;
  fromVersion?: string;
  toVersion?: string;
  hop?: { index: number; from: string; to: string };
  hopsTotal?: number;
  /** Step Functions' Catch output for failures: `Error` is the name, `Cause` the message (or Lambda's JSON). */
  error?: { Error?: string; Cause?: string };
  detail?: string;
}

/** Reads the human message out of a Step Functions Cause, which for Lambda errors is a JSON document. */
export function causeMessage(cause: string | undefined): string {
  if (!cause) return 'no cause recorded';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    if (parsed.errorMessage) return parsed.errorMessage;
  } catch {
    // Not JSON: the cause is already the message.
  }
  return cause;
}

/** What to do next for each failure, in one sentence. */
const nextSteps: Record<string, string> = {
  ReadinessBlocked: 'Fix the blockers listed above, then start the upgrade again; nothing was changed.',
  PodEvictionBlocked:
    'Relax or satisfy the named PodDisruptionBudgets, then start the upgrade again; it resumes with the node groups.',
  ControlPlaneUpdateFailed:
    'Check the EKS errors above; the control plane stayed on its version and the next run retries the hop.',
  ControlPlaneUpdateStuck:
    'The update goes on in EKS: check it with aws eks describe-update; once it ends, the next run attaches to it or continues from its result.',
  AddonUpdateFailed: 'Resolve the add-on conflict; the next run resumes with the add-ons of this hop.',
  NodegroupUpdateFailed:
    'Check the node group in the EKS console; the next run resumes with the node groups of this hop.',
  ValidationFailed: 'Investigate the failed checks; the next run plans again from the cluster as it is.',
  ApprovalRejected: 'The upgrade was rejected at an approval gate; it starts again at the next scheduled run.',
  ApprovalTimedOut:
    'Nobody decided an approval gate in time; the upgrade starts again at the next scheduled run. Decide sooner, or raise the gate timeout in the policy.',
  ClusterNotFound: 'Check the cluster name and region in the schedule or event.',
  InvalidPolicy: 'Fix the policy as the message says.',
};

/** SNS subjects must be ASCII without line breaks, at most 100 characters: arrows become "->". */
function snsSubject(text: string): string {
  const ascii = text.replace(/→/g, '->').replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > 100 ? `${ascii.slice(0, 97)}...` : ascii;
}

/** Renders a notification as an email-friendly subject and body. */
export function renderNotification(n: Notification): { subject: string; body: string } {
  const where = `${n.cluster} (${n.region})`;
  const hop = n.hop ? `hop ${n.hop.index}${n.hopsTotal ? `/${n.hopsTotal}` : ''} ${n.hop.from} → ${n.hop.to}` : '';
  let subject: string;
  const lines: string[] = [];
  switch (n.kind) {
    case 'upgrade-started':
      subject = `EKS upgrade started: ${where} ${n.fromVersion} → ${n.toVersion}`;
      lines.push(`The upgrade of ${where} from ${n.fromVersion} to ${n.toVersion} has started.`);
      break;
    case 'nothing-to-do':
      subject = `EKS upgrade: ${where} already on ${n.toVersion}`;
      lines.push(`${where} already runs ${n.toVersion} on its control plane, node groups and add-ons. Nothing to do.`);
      break;
    case 'hop-succeeded':
      subject = `EKS upgrade: ${where} ${hop} done`;
      lines.push(`${where} completed ${hop}: control plane, add-ons and nodes validated.`);
      break;
    case 'upgrade-succeeded':
      subject = `EKS upgrade succeeded: ${where} now on ${n.toVersion}`;
      lines.push(`${where} now runs ${n.toVersion} everywhere (from ${n.fromVersion}).`);
      break;
    case 'approval-decided':
      subject = `EKS upgrade: ${where} ${hop} approval`;
      break;
    case 'upgrade-stopped': {
      // A decision (or the lack of one) at an approval gate: a clean stop before the step it guarded.
      const name = n.error?.Error ?? 'ApprovalRejected';
      const why = name === 'ApprovalTimedOut' ? 'nobody approved in time' : 'rejected at an approval gate';
      subject = `EKS upgrade stopped: ${where} (${why})`;
      lines.push(`The upgrade of ${where} stopped cleanly before the step it asked about: ${why}.`, '');
      lines.push(causeMessage(n.error?.Cause), '', nextSteps[name] ?? 'Nothing was changed by the stop.');
      break;
    }
    case 'upgrade-failed': {
      const name = n.error?.Error ?? 'Error';
      subject = `EKS upgrade FAILED: ${where} (${name})`;
      lines.push(`The upgrade of ${where} stopped: ${name}.`, '', causeMessage(n.error?.Cause));
      lines.push(
        '',
        nextSteps[name] ?? 'Check the execution history; the next run plans again from the cluster as it is.',
      );
      break;
    }
  }
  if (n.detail) lines.push('', n.detail);
  if (n.executionName) lines.push('', `Execution: ${n.executionName}`);
  return { subject: snsSubject(subject), body: lines.join('\n') };
}

/** Publishes a notification on the topic, with attributes subscribers can filter on. */
export async function publishNotification(
  deps: { sns: SNSClient; log: Log },
  topicArn: string,
  notification: Notification,
): Promise<{ messageId?: string; subject: string }> {
  const { subject, body } = renderNotification(notification);
  const out = await deps.sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: subject,
      Message: body,
      MessageAttributes: {
        cluster: { DataType: 'String', StringValue: notification.cluster },
        kind: { DataType: 'String', StringValue: notification.kind },
      },
    }),
  );
  deps.log.info('notification sent', { kind: notification.kind, subject });
  return { ...(out.MessageId ? { messageId: out.MessageId } : {}), subject };
}
