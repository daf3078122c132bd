import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { HandlerNeeds } from '../runtime/deps.js';

/**
 * What a function built on this room uses; its bundle holds these clients and no other. Approval gates answer task
 * tokens (Step Functions), send email (SNS) and read their secrets (SSM).
 */
export const approvalNeeds: HandlerNeeds = { aws: { sfn: SFNClient, sns: SNSClient, ssm: SSMClient } };
