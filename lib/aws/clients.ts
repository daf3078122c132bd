import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, MiddlewareStack, Pluggable } from '@smithy/types';

export type AwsServiceName = 'eks' | 'autoscaling' | 'ec2' | 'ssm' | 'sns' | 'sts' | 'sfn' | 's3';

export const awsServiceNames: readonly AwsServiceName[] = [
  'eks',
  'autoscaling',
  'ec2',
  'ssm',
  'sns',
  'sts',
  'sfn',
  's3',
];

/**
 * Adds middleware to every client the factory builds. The simulator uses it to serve commands from its
 * simulated account; production passes none.
 */
export type ClientInterceptor = (client: { service: AwsServiceName; region: string }) => Pluggable<object, object>;

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

/** What every client class is built with. */
export interface AwsClientConfig {
  region: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts?: number;
}

/**
 * The client classes a caller uses, by service (`{ eks: EKSClient }`). Only these are imported, so a function's
 * bundle holds the clients it calls and no other.
 */
export type AwsClientClasses = { [S in AwsServiceName]?: new (config: AwsClientConfig) => AwsClients[S] };

export interface AwsClientOptions {
  region: string;
  /** Static credentials or a provider (a member account's assumed role); the default chain when absent. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** SDK attempts per call (standard retry mode); the SDK's default (3, or AWS_MAX_ATTEMPTS) when absent. */
  maxAttempts?: number;
  interceptor?: ClientInterceptor;
  /** The client classes to build from. */
  classes: AwsClientClasses;
  /** Who asks for the clients (`the plan function`), named when a client it did not declare is used. */
  owner?: string;
}

/** A client used that its caller never declared: a programming error in the function's `needs`. */
export class UndeclaredAwsClient extends Error {
  override name = 'UndeclaredAwsClient';
}

const serviceLabels: Record<AwsServiceName, string> = {
  eks: 'EKSClient (@aws-sdk/client-eks)',
  autoscaling: 'AutoScalingClient (@aws-sdk/client-auto-scaling)',
  ec2: 'EC2Client (@aws-sdk/client-ec2)',
  ssm: 'SSMClient (@aws-sdk/client-ssm)',
  sns: 'SNSClient (@aws-sdk/client-sns)',
  sts: 'STSClient (@aws-sdk/client-sts)',
  sfn: 'SFNClient (@aws-sdk/client-sfn)',
  s3: 'S3Client (@aws-sdk/client-s3)',
};

function undeclared(service: AwsServiceName, owner: string | undefined): UndeclaredAwsClient {
  return new UndeclaredAwsClient(
    `${owner ?? 'this caller'} uses ${serviceLabels[service]} without declaring it: add ${service} to the clients it declares (its \`needs.aws\` in functions/)`,
  );
}

/**
 * The SDK v3 clients of one region, each built on first use from the classes given. Using a service whose class
 * was not given throws UndeclaredAwsClient.
 */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const config: AwsClientConfig = {
    region: options.region,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  };
  const built = new Map<AwsServiceName, AwsClients[AwsServiceName]>();
  const clients = { region: options.region } as AwsClients;
  for (const service of awsServiceNames) {
    Object.defineProperty(clients, service, {
      enumerable: true,
      get() {
        const existing = built.get(service);
        if (existing) return existing;
        const Client = options.classes[service] as (new (c: AwsClientConfig) => AwsClients[typeof service]) | undefined;
        if (!Client) throw undeclared(service, options.owner);
        const client = new Client(config);
        if (options.interceptor) {
          // One interceptor serves every client, so its middleware is typed for any command's input and output.
          const stack = client.middlewareStack as unknown as MiddlewareStack<object, object>;
          stack.use(options.interceptor({ service, region: options.region }));
        }
        built.set(service, client);
        return client;
      },
    });
  }
  return clients;
}

/**
 * A view of `clients` that refuses the services not in `services`, as the production factory would. The local
 * runner hands each handler such a view, so a run in the simulated world catches a client a function forgot to
 * declare.
 */
export function restrictAwsClients(
  clients: AwsClients,
  services: readonly AwsServiceName[],
  owner: string,
): AwsClients {
  const view = { region: clients.region } as AwsClients;
  for (const service of awsServiceNames) {
    Object.defineProperty(view, service, {
      enumerable: true,
      get() {
        if (!services.includes(service)) throw undeclared(service, owner);
        return clients[service];
      },
    });
  }
  return view;
}
