// Name validation, with the messages of the API server, so a bad name fails here exactly as
// it would fail on EKS (422 Invalid, cause on metadata.name). The rules are ./names.ts.
import type { KubeObject } from '../../shared/kube/object.ts';
import { apiServiceNameErrors, nameErrors } from './names.ts';
import type { ResourceType } from './resources.ts';
import { invalid, type FieldError } from './status.ts';

/** Throws 422 Invalid when the object's name or namespace would be refused by a real server. */
export function validateObject(type: ResourceType, object: KubeObject, { creating = false } = {}): void {
  const { name, namespace } = object.metadata;
  const errors: FieldError[] = [];
  if (!name) {
    errors.push({ type: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' });
  } else {
    const messages =
      type.nameRule === 'api-service' ? apiServiceNameErrors(name, (object.spec ?? {}) as Record<string, unknown>) : nameErrors(name, type.nameRule);
    if (creating && type.createNameMax && name.length > type.createNameMax) messages.push(`must be no more than ${type.createNameMax} characters`);
    for (const message of messages) {
      errors.push({ type: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "${name}": ${message}` });
    }
  }
  if (type.namespaced && namespace) {
    for (const message of nameErrors(namespace, 'label')) {
      errors.push({ type: 'FieldValueInvalid', field: 'metadata.namespace', message: `Invalid value: "${namespace}": ${message}` });
    }
  }
  for (const [key, value] of Object.entries(object.metadata.labels ?? {})) {
    if (typeof value !== 'string') {
      errors.push({ type: 'FieldValueInvalid', field: `metadata.labels`, message: `Invalid value: "${key}": label values must be strings` });
    }
  }
  if (errors.length) throw invalid(type.group, type.kind, name ?? '', errors);
}
