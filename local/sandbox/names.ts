// Object names as the API server validates them. Each resource's validation hands
// ValidateObjectMeta a name function (k8s.io/kubernetes/pkg/apis/*/validation): most pass
// NameIsDNSSubdomain; Namespaces NameIsDNSLabel (ValidateNamespaceName); Services
// NameIsDNS1035Label (ValidateServiceName); StatefulSets NameIsDNSLabel
// (ValidateStatefulSetName); the RBAC kinds path.IsValidPathSegmentName (ValidateRBACName),
// so `system:metrics-server` is a valid ClusterRole. The patterns and messages are
// k8s.io/apimachinery's (pkg/util/validation, pkg/api/validation/path), written out here so
// the sandbox does not share the engine's rules it is meant to test.

export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path-segment';

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';

const PATTERNS: Record<Exclude<NameRule, 'path-segment'>, { regex: RegExp; max: number; message: string }> = {
  subdomain: {
    regex: new RegExp(`^${DNS1123_SUBDOMAIN}$`),
    max: 253,
    message: `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${DNS1123_SUBDOMAIN}')`,
  },
  label: {
    regex: new RegExp(`^${DNS1123_LABEL}$`),
    max: 63,
    message: `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${DNS1123_LABEL}')`,
  },
  dns1035: {
    regex: new RegExp(`^${DNS1035_LABEL}$`),
    max: 63,
    message: `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${DNS1035_LABEL}')`,
  },
};

/** What is wrong with `name` under `rule`, in the API server's words; empty when it is valid. */
export function nameErrors(name: string, rule: NameRule): string[] {
  if (rule === 'path-segment') return pathSegmentErrors(name);
  const { regex, max, message } = PATTERNS[rule];
  const errors: string[] = [];
  if (name.length > max) errors.push(`must be no more than ${max} characters`);
  if (!regex.test(name)) errors.push(message);
  return errors;
}

function pathSegmentErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return ['/', '%'].filter((part) => name.includes(part)).map((part) => `may not contain '${part}'`);
}
