// Name validation, with the messages of k8s.io/apimachinery/pkg/util/validation, so a bad
// name fails here exactly as it would fail on EKS (422 Invalid, cause on metadata.name).
import type { KubeObject } from '../../shared/kube/object.ts';
import { NAME_RULES, type NameRule } from '../../shared/kube/names.ts';
import type { ResourceType } from './resources.ts';
import { invalid, type FieldError } from './status.ts';

// The patterns and lengths are shared/kube/names.ts's; the messages are the API server's.
const MESSAGES: Record<NameRule, string> = {
  subdomain:
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  label:
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  dns1035:
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
};

export function nameErrors(name: string, rule: NameRule): string[] {
  const { pattern, max } = NAME_RULES[rule];
  const errors: string[] = [];
  if (name.length > max) errors.push(`must be no more than ${max} characters`);
  if (!pattern.test(name)) errors.push(MESSAGES[rule]);
  return errors;
}

/** Throws 422 Invalid when the object's name or namespace would be refused by a real server. */
export function validateObject(type: ResourceType, object: KubeObject): void {
  const { name, namespace } = object.metadata;
  const errors: FieldError[] = [];
  if (!name) {
    errors.push({ type: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' });
  } else {
    for (const message of nameErrors(name, type.nameRule)) {
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
