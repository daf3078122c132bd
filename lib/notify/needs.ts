import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { HandlerNeeds } from '../runtime/deps.js';

/**
 * What a function built on this room uses; its bundle holds these clients and no other. Notifications go to SNS
 * and, through the approval dependencies (SSM for the bot token), to Slack.
 */
export const notifyNeeds: HandlerNeeds = { aws: { sfn: SFNClient, sns: SNSClient, ssm: SSMClient } };
