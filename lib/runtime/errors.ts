import { InvalidInput, RequestRejected, ResourceBusy, Throttled, TransientFailure, UpgradeError } from '../errors.js';
// The file, not lib/kube's index: the index loads the Kubernetes client, which functions that never talk to a
// cluster do not bundle.
import { isKubeApiError, type KubeApiError } from '../kube/api-error.js';

const throttlingNames = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
]);

const busyNames = new Set([
  'ResourceInUseException',
  'ResourceContentionFault',
  'ScalingActivityInProgressFault',
  'ConcurrentModificationException',
  'ConflictException',
]);

const transientNetworkCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

interface AwsLikeError {
  name: string;
  message: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
}

function isAwsError(e: unknown): e is AwsLikeError {
  return e instanceof Error && typeof (e as { $metadata?: unknown }).$metadata === 'object';
}

function kubeMessage(e: KubeApiError): string {
  const body = e.body;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: string };
      if (parsed.message) return parsed.message;
    } catch {
      return body.slice(0, 300);
    }
  }
  if (body && typeof body === 'object' && 'message' in body) return String((body as { message: unknown }).message);
  return e.message.split('\n')[0] ?? e.message;
}

/**
 * Maps whatever a dependency threw to the product's typed errors so that the state machine can route on the
 * name: throttling, conflicts and 5xx are retryable; other rejections are terminal. The original is kept as `cause`.
 */
export function toUpgradeError(error: unknown): Error {
  if (error instanceof UpgradeError) return error;
  if (isKubeApiError(error)) {
    const code = error.code;
    const message = `Kubernetes API answered ${code}: ${kubeMessage(error)}`;
    if (code === 429) return new Throttled(message, { cause: error });
    if (code === 409) return new ResourceBusy(message, { cause: error });
    if (code >= 500) return new TransientFailure(message, { cause: error });
    if (code === 401 || code === 403) {
      return new RequestRejected(
        `${message}. Give the orchestrator's IAM role an EKS access entry on the cluster (see docs/deploy.md).`,
        { cause: error },
      );
    }
    return new RequestRejected(message, { cause: error });
  }
  if (isAwsError(error)) {
    const status = error.$metadata?.httpStatusCode ?? 0;
    const message = `${error.name}: ${error.message}`;
    if (throttlingNames.has(error.name) || status === 429) return new Throttled(message, { cause: error });
    if (busyNames.has(error.name) || status === 409) return new ResourceBusy(message, { cause: error });
    if (error.$fault === 'server' || status >= 500) return new TransientFailure(message, { cause: error });
    return new RequestRejected(message, { cause: error });
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string' && transientNetworkCodes.has(code)) {
      return new TransientFailure(`network error ${code}: ${error.message}`, { cause: error });
    }
    if (error.name === 'ZodError') return new InvalidInput(error.message, { cause: error });
    return error;
  }
  return new Error(String(error));
}
