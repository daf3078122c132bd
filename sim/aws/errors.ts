/**
 * Errors the simulated account answers with: the SDK's own exception classes (so `instanceof` and `error.name`
 * work exactly as against AWS), or the client's ServiceException base class with the error code AWS sends when
 * the SDK has no class for it (throttling, Auto Scaling `ValidationError`, EC2 codes).
 */
import { AutoScalingServiceException } from '@aws-sdk/client-auto-scaling';
import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { EKSServiceException } from '@aws-sdk/client-eks';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { SNSServiceException } from '@aws-sdk/client-sns';
import { SSMServiceException } from '@aws-sdk/client-ssm';
import { STSServiceException } from '@aws-sdk/client-sts';
import type { ResponseMetadata } from '@smithy/types';
import type { SimServiceName } from './types.js';

/** `$metadata` of an answer from the simulated account. */
export function responseMetadata(requestId: string, httpStatusCode: number): ResponseMetadata {
  return { httpStatusCode, requestId, attempts: 1, totalRetryDelay: 0 };
}

/**
 * Builds an SDK exception. The simulated service passes the class and its own fields; the interceptor fills in
 * `$metadata` with the request id when it answers.
 */
export type SimErrorFactory = (metadata: ResponseMetadata) => Error;

/** Thrown by simulated services; the interceptor turns it into the SDK exception with the request's metadata. */
export class SimAwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatusCode: number,
    readonly build: SimErrorFactory,
  ) {
    super(message);
    this.name = 'SimAwsError';
  }
}

type ExceptionClass<E extends Error, F> = new (opts: F & { message: string; $metadata: ResponseMetadata }) => E;

/** An error of one of the SDK's modelled exception classes, with the class's own fields (e.g. `clusterName`). */
export function modelled<E extends Error, F extends object>(
  Class: ExceptionClass<E, F>,
  httpStatusCode: number,
  message: string,
  fields: F,
): SimAwsError {
  const code = Class.name;
  return new SimAwsError(code, message, httpStatusCode, ($metadata) => new Class({ ...fields, message, $metadata }));
}

const baseClasses = {
  eks: EKSServiceException,
  autoscaling: AutoScalingServiceException,
  ec2: EC2ServiceException,
  ssm: SSMServiceException,
  sns: SNSServiceException,
  sts: STSServiceException,
  s3: S3ServiceException,
} as const;

/** An error the SDK has no class for: the client's ServiceException base class named with AWS's error code. */
export function unmodelled(
  service: SimServiceName,
  code: string,
  message: string,
  options: { httpStatusCode?: number; fault?: 'client' | 'server' } = {},
): SimAwsError {
  const Base = baseClasses[service];
  const httpStatusCode = options.httpStatusCode ?? 400;
  return new SimAwsError(
    code,
    message,
    httpStatusCode,
    ($metadata) => new Base({ name: code, $fault: options.fault ?? 'client', $metadata, message }),
  );
}

/**
 * The throttling answer each service gives (error code, HTTP status and message as AWS sends them). The SDK's
 * `isThrottlingError` recognises every one of these codes.
 */
// EKS/SSM (JSON protocols): ThrottlingException; Auto Scaling, SNS and STS (Query protocol): Throttling;
// EC2: RequestLimitExceeded with HTTP 503 (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/throttling.html);
// S3: SlowDown with HTTP 503.
export function throttling(service: SimServiceName): SimAwsError {
  switch (service) {
    case 'eks':
      return unmodelled(service, 'ThrottlingException', 'Rate exceeded', { httpStatusCode: 429 });
    case 'ssm':
      return unmodelled(service, 'ThrottlingException', 'Rate exceeded', { httpStatusCode: 400 });
    case 'ec2':
      return unmodelled(service, 'RequestLimitExceeded', 'Request limit exceeded.', { httpStatusCode: 503 });
    case 's3':
      return unmodelled(service, 'SlowDown', 'Please reduce your request rate.', { httpStatusCode: 503 });
    default:
      return unmodelled(service, 'Throttling', 'Rate exceeded', { httpStatusCode: 400 });
  }
}

/** Asked for a command the simulated account does not model. */
export class NotSimulatedError extends Error {
  constructor(service: string, command: string) {
    super(
      `${command} (${service}) is not simulated by the simulated AWS account; model it in sim/aws or avoid calling it`,
    );
    this.name = 'NotSimulatedError';
  }
}
