// Builders for the Status errors the real API server returns, worded as
// k8s.io/apimachinery/pkg/api/errors words them, so clients that match on messages
// (kubectl, our own engine) behave as they would against EKS.
import { StatusError, type StatusCause, type StatusDetails } from './errors.ts';

/** A group and plural resource, e.g. `{ group: 'apps', resource: 'deployments' }`. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** `deployments.apps`, `configmaps`: how the server names a resource in messages. */
export function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

function failure(code: number, reason: string, message: string, details?: StatusDetails, options?: ErrorOptions): StatusError {
  return new StatusError(
    {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    },
    {},
    options,
  );
}

function resourceDetails(gr: GroupResource, name: string): StatusDetails {
  return { name, ...(gr.group ? { group: gr.group } : {}), kind: gr.resource };
}

export function notFound(gr: GroupResource, name: string): StatusError {
  return failure(404, 'NotFound', `${qualified(gr)} "${name}" not found`, resourceDetails(gr, name));
}

/** A path that names no resource at all (unknown group, version or resource). */
export function pathNotFound(): StatusError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return failure(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, resourceDetails(gr, name));
}

export function conflict(
  gr: GroupResource,
  name: string,
  why = 'the object has been modified; please apply your changes to the latest version and try again',
): StatusError {
  return failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, resourceDetails(gr, name));
}

export interface FieldError {
  type: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueNotSupported' | 'FieldValueForbidden' | 'FieldValueDuplicate';
  field: string;
  /** Worded as field.Error.ErrorBody(): `Invalid value: "Web": a lowercase ...`. */
  message: string;
}

/** 422, e.g. `Deployment.apps "Web" is invalid: metadata.name: Invalid value: ...`. */
export function invalid(group: string, kind: string, name: string, errors: FieldError[]): StatusError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const summary = errors.map((e) => `${e.field}: ${e.message}`);
  const joined = summary.length === 1 ? summary[0] : `[${summary.join(', ')}]`;
  const causes: StatusCause[] = errors.map((e) => ({ reason: e.type, message: e.message, field: e.field }));
  return failure(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${joined}`, {
    name,
    ...(group ? { group } : {}),
    kind,
    causes,
  });
}

export function badRequest(message: string): StatusError {
  return failure(400, 'BadRequest', message);
}

/** 400 about one object, e.g. a patch that cannot be applied to it. */
export function badRequestFor(gr: GroupResource, name: string, message: string, options?: ErrorOptions): StatusError {
  return failure(400, 'BadRequest', message, resourceDetails(gr, name), options);
}

/** 409 for a server-side apply that would change fields other managers own: one cause per field. */
export function fieldManagerConflict(gr: GroupResource, name: string, message: string, causes: StatusCause[], options?: ErrorOptions): StatusError {
  return failure(409, 'Conflict', message, { ...resourceDetails(gr, name), causes }, options);
}

export function forbidden(gr: GroupResource, name: string, why: string): StatusError {
  const subject = name ? `${qualified(gr)} "${name}"` : qualified(gr);
  return failure(403, 'Forbidden', `${subject} is forbidden: ${why}`, resourceDetails(gr, name));
}

export function unauthorized(): StatusError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

export function methodNotAllowed(gr: GroupResource, action: string): StatusError {
  return failure(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualified(gr)}"`, {
    ...(gr.group ? { group: gr.group } : {}),
    kind: gr.resource,
  });
}

export function unsupportedMediaType(contentType: string, accepted: string[]): StatusError {
  return failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`, {
    ...(contentType ? { causes: [{ reason: 'UnexpectedServerResponse', message: contentType }] } : {}),
  });
}

export function tooManyRequests(retryAfterSeconds: number): StatusError {
  const error = failure(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds });
  return new StatusError(error.status, { 'Retry-After': String(retryAfterSeconds) });
}

export function internalError(message: string): StatusError {
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}

export function serviceUnavailable(message = 'the server is currently unable to handle the request'): StatusError {
  return failure(503, 'ServiceUnavailable', message);
}

/** 410 for a watch whose resourceVersion is older than the retained history. */
export function expired(requested: string, oldest: string): StatusError {
  return failure(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}
