/**
 * Kubernetes `Status` objects, the body of every API error
 * (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/status/), with the reasons and
 * messages apimachinery's `errors.New*` helpers produce.
 */
import type { Json } from './model.js';
import { qualifiedName, type ServedResource } from './resources.js';

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Json;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: Json;
  code: number;
}

/** An API request that fails with a Kubernetes `Status`; the HTTP server answers with `status.code`. */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  constructor(readonly status: KubeStatus) {
    super(status.message);
  }
}

function failure(code: number, reason: string, message: string, details?: Json): KubeApiError {
  return new KubeApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details && { details }),
    code,
  });
}

type ResourceName = Pick<ServedResource, 'group' | 'plural'>;

function resourceDetails(resource: ResourceName, name: string): Json {
  return { name, ...(resource.group !== '' && { group: resource.group }), kind: resource.plural };
}

export function success(code: number, details?: Json): KubeStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', ...(details && { details }), code };
}

export function notFound(resource: ResourceName, name: string): KubeApiError {
  return failure(404, 'NotFound', `${qualifiedName(resource)} "${name}" not found`, resourceDetails(resource, name));
}

/** The answer for a path no resource is served at. */
export function pathNotFound(): KubeApiError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(resource: ResourceName, name: string): KubeApiError {
  return failure(
    409,
    'AlreadyExists',
    `${qualifiedName(resource)} "${name}" already exists`,
    resourceDetails(resource, name),
  );
}

export function conflict(resource: ResourceName, name: string, why: string): KubeApiError {
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedName(resource)} "${name}": ${why}`,
    resourceDetails(resource, name),
  );
}

export function badRequest(message: string): KubeApiError {
  return failure(400, 'BadRequest', message);
}

export function invalid(
  resource: Pick<ServedResource, 'group' | 'plural' | 'kind'>,
  name: string,
  message: string,
): KubeApiError {
  // Each cause names its field, as kube-apiserver's field errors do ("spec.replicas: Invalid value: …").
  const causes = message.split(/, (?=[\w.[\]/-]+: )/).map((part) => {
    const m = /^([\w.[\]/-]+): (.*)$/s.exec(part);
    const reason = m?.[2]?.startsWith('Forbidden') ? 'FieldValueForbidden' : 'FieldValueInvalid';
    return m ? { reason, message: m[2], field: m[1] } : { reason, message: part };
  });
  return failure(422, 'Invalid', `${resource.kind} "${name}" is invalid: ${message}`, {
    ...resourceDetails(resource, name),
    kind: resource.kind,
    causes,
  });
}

export function unauthorized(): KubeApiError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

export function methodNotAllowed(): KubeApiError {
  return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

export function unsupportedMediaType(contentType: string): KubeApiError {
  return failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format (${contentType}) - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`,
  );
}

/** 410 Gone for a continue token the server cannot resume from. */
export function expired(message: string): KubeApiError {
  return failure(410, 'Expired', message);
}

export function tooManyRequests(message: string, causes: Json[]): KubeApiError {
  return failure(429, 'TooManyRequests', message, { causes });
}

export function internalError(message: string): KubeApiError {
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}
