import { EKSClient } from '@aws-sdk/client-eks';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import type { HandlerNeeds } from '../runtime/deps.js';

/**
 * What a function built on this room uses; its bundle holds these clients and no other. Dispatch lists clusters
 * (EKS), starts executions (Step Functions) and warns of clusters at risk (SNS).
 */
export const dispatchNeeds: HandlerNeeds = { aws: { eks: EKSClient, sfn: SFNClient, sns: SNSClient } };
