import { EKSServiceException, InvalidParameterException, ResourceInUseException } from '@aws-sdk/client-eks';
import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import * as errors from '../../lib/errors.js';
import { errorNames, retryableErrorNames, type UpgradeError } from '../../lib/errors.js';
import { toUpgradeError } from '../../lib/runtime/index.js';

const meta = { $metadata: { httpStatusCode: 400 } };

describe('error mapping', () => {
  it('maps AWS throttling to the retryable Throttled', () => {
    const throttled = new EKSServiceException({
      name: 'ThrottlingException',
      $fault: 'client',
      message: 'Rate exceeded',
      ...meta,
    });
    const mapped = toUpgradeError(throttled);
    expect(mapped.name).toBe('Throttled');
    expect((mapped as UpgradeError).retryable).toBe(true);
    expect(mapped.cause).toBe(throttled);
  });

  it('maps a resource in use to ResourceBusy and an invalid parameter to the terminal RequestRejected', () => {
    expect(toUpgradeError(new ResourceInUseException({ message: 'update in progress', ...meta })).name).toBe(
      'ResourceBusy',
    );
    const rejected = toUpgradeError(new InvalidParameterException({ message: 'bad version', ...meta }));
    expect(rejected.name).toBe('RequestRejected');
    expect((rejected as UpgradeError).retryable).toBe(false);
    expect(rejected.message).toContain('bad version');
  });

  it('maps AWS server faults to TransientFailure', () => {
    const e = new EKSServiceException({
      name: 'ServerException',
      $fault: 'server',
      message: 'oops',
      $metadata: { httpStatusCode: 500 },
    });
    expect(toUpgradeError(e).name).toBe('TransientFailure');
  });

  it('maps Kubernetes 409, 429 and 5xx to retryable errors and 403 to a hint about access entries', () => {
    expect(toUpgradeError(new ApiException(409, 'conflict', '{"message":"conflict"}', {})).name).toBe('ResourceBusy');
    expect(toUpgradeError(new ApiException(429, 'too many', '{"message":"slow down"}', {})).name).toBe('Throttled');
    expect(toUpgradeError(new ApiException(503, 'unavailable', '{}', {})).name).toBe('TransientFailure');
    const forbidden = toUpgradeError(new ApiException(403, 'forbidden', '{"message":"nodes is forbidden"}', {}));
    expect(forbidden.name).toBe('RequestRejected');
    expect(forbidden.message).toMatch(/nodes is forbidden.*access entry/);
  });

  it('gives every error class the literal name the state machine routes on', () => {
    for (const name of errorNames) {
      const ctor = (errors as unknown as Record<string, new (m: string) => Error>)[name];
      expect(ctor, `${name} is exported`).toBeTypeOf('function');
      expect(new (ctor as new (m: string) => Error)('x').name).toBe(name);
    }
    for (const name of retryableErrorNames) {
      const ctor = (errors as unknown as Record<string, new (m: string) => UpgradeError>)[name] as new (
        m: string,
      ) => UpgradeError;
      expect(new ctor('x').retryable).toBe(true);
    }
  });
});
