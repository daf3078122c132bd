import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, MiddlewareStack, Pluggable } from '@smithy/types';

export type AwsServiceName = 'eks' | 'autoscaling' | 'ec2' | 'ssm' | 'sns' | 'sts' | 'sfn' | 's3';

const serviceNames: readonly AwsServiceName[] = ['eks', 'autoscaling', 'ec2', 'ssm', 'sns', 'sts', 'sfn', 's3'];

/**
 * Adds middleware to every client the factory builds. The simulator uses it to serve commands from its
 * simulated account; production passes none.
 */
export type ClientInterceptor = (client: { service: AwsServiceName; region: string }) => Pluggable<object, object>;

export interface AwsClientOptions {
  region: string;
  /** Static credentials or a provider (a member account's assumed role); the default chain when absent. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** SDK attempts per call (standard retry mode); the SDK's default (3, or AWS_MAX_ATTEMPTS) when absent. */
  maxAttempts?: number;
  interceptor?: ClientInterceptor;
}

export interface AwsClients {
  region: string;
  eks: EKSClient;
  autoscaling: AutoScalingClient;
  ec2: EC2Client;
  ssm: SSMClient;
  sns: SNSClient;
  sts: STSClient;
  sfn: SFNClient;
  s3: S3Client;
}

/** Builds the SDK v3 clients the domain uses, all for one region. */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const config = {
    region: options.region,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  };
  const clients: AwsClients = {
    region: options.region,
    eks: new EKSClient(config),
    autoscaling: new AutoScalingClient(config),
    ec2: new EC2Client(config),
    ssm: new SSMClient(config),
    sns: new SNSClient(config),
    sts: new STSClient(config),
    sfn: new SFNClient(config),
    s3: new S3Client(config),
  };
  if (options.interceptor) {
    for (const service of serviceNames) {
      // One interceptor serves every client, so its middleware is typed for any command's input and output.
      const stack = clients[service].middlewareStack as unknown as MiddlewareStack<object, object>;
      stack.use(options.interceptor({ service, region: options.region }));
    }
  }
  return clients;
}
