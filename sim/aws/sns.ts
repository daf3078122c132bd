/**
 * Simulated Amazon SNS: Publish records each message for tests and the demo (nothing is delivered), to topics
 * that exist (created as CloudFormation creates serverless.yml's topic).
 */
import type { PublishInput, PublishResponse } from '@aws-sdk/client-sns';
import { InvalidParameterException, NotFoundException } from '@aws-sdk/client-sns';
import { modelled } from './errors.js';
import { uuidFrom } from './ids.js';
import type { SimAwsContext, SimPublishedMessage } from './types.js';
import { handler, type SimHandler } from './util.js';

const invalid = (message: string) => modelled(InvalidParameterException, 400, message, {});
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

export class SimSns {
  readonly published: SimPublishedMessage[] = [];
  private readonly topics = new Set<string>();

  constructor(private readonly ctx: SimAwsContext) {}

  /** Creates a standard topic in `region` of this account and returns its ARN. */
  createTopic(name: string, region: string): string {
    const arn = `arn:aws:sns:${region}:${this.ctx.accountId}:${name}`;
    this.topics.add(arn);
    return arn;
  }

  commands(): Record<string, SimHandler> {
    return { Publish: handler(this.publish) };
  }

  // https://docs.aws.amazon.com/sns/latest/api/API_Publish.html: a target is required, the message must not be
  // empty, a subject has at most 100 printable ASCII characters.
  private publish = (input: PublishInput, region: string): PublishResponse => {
    const target = input.TopicArn ?? input.TargetArn;
    if (!target && !input.PhoneNumber) {
      throw invalid('Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
    }
    if (input.TopicArn && !TOPIC_ARN.test(input.TopicArn)) throw invalid('Invalid parameter: TopicArn');
    // SNS answers NotFound for a topic that does not exist in the region and account of its ARN.
    if (input.TopicArn && !this.topics.has(input.TopicArn)) {
      throw modelled(NotFoundException, 404, 'Topic does not exist', {});
    }
    if (!input.Message) throw invalid('Invalid parameter: Empty message');
    if (input.Subject !== undefined && (input.Subject.length > 100 || !/^[\x20-\x7e]*$/.test(input.Subject))) {
      throw invalid('Invalid parameter: Subject');
    }
    if (input.TopicArn?.endsWith('.fifo') && !input.MessageGroupId) {
      throw invalid('Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
    }
    const messageId = uuidFrom('sns', String(this.ctx.nextSeq('sns')));
    const attributes: SimPublishedMessage['attributes'] = {};
    for (const [k, v] of Object.entries(input.MessageAttributes ?? {})) {
      attributes[k] = {
        ...(v.DataType ? { DataType: v.DataType } : {}),
        ...(v.StringValue ? { StringValue: v.StringValue } : {}),
      };
    }
    this.published.push({
      messageId,
      region,
      message: input.Message,
      attributes,
      atMs: this.ctx.scheduler.nowMs(),
      ...(input.TopicArn ? { topicArn: input.TopicArn } : {}),
      ...(input.TargetArn ? { targetArn: input.TargetArn } : {}),
      ...(input.Subject !== undefined ? { subject: input.Subject } : {}),
    });
    return {
      MessageId: messageId,
      ...(input.TopicArn?.endsWith('.fifo') ? { SequenceNumber: String(this.published.length).padStart(20, '1') } : {}),
    };
  };
}
