import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsClientClasses } from './clients.js';

/**
 * Every client class the product uses. For the CLI, the local runner and tests, which serve every function at
 * once; a Lambda function never imports this (it declares its own clients), so it bundles only those.
 */
export const everyAwsClient: Required<AwsClientClasses> = {
  eks: EKSClient,
  autoscaling: AutoScalingClient,
  ec2: EC2Client,
  ssm: SSMClient,
  sns: SNSClient,
  sts: STSClient,
  sfn: SFNClient,
  s3: S3Client,
};
