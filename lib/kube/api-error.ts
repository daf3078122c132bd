/**
 * A Kubernetes API error as @kubernetes/client-node throws it (its `ApiException`): the HTTP status as `code`, the
 * answer's body and headers. Recognised by shape, so code that only maps errors (every function's handler wrapper)
 * does not load the Kubernetes client.
 */
export interface KubeApiError extends Error {
  code: number;
  body: unknown;
  headers: unknown;
}

/** Whether `error` is a Kubernetes API error (an `ApiException` of @kubernetes/client-node). */
export function isKubeApiError(error: unknown): error is KubeApiError {
  if (!(error instanceof Error)) return false;
  const candidate = error as Partial<KubeApiError>;
  return typeof candidate.code === 'number' && 'body' in candidate && 'headers' in candidate;
}
