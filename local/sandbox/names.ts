// Object names as the API server validates them. Each resource's validation hands
// ValidateObjectMeta a name function (k8s.io/kubernetes/pkg/apis/*/validation): most pass
// NameIsDNSSubdomain; Namespaces NameIsDNSLabel (ValidateNamespaceName); Services
// NameIsDNS1035Label (ValidateServiceName); StatefulSets NameIsDNSLabel
// (ValidateStatefulSetName); the RBAC kinds path.IsValidPathSegmentName (ValidateRBACName),
// so `system:metrics-server` is a valid ClusterRole; CertificateSigningRequests anything
// (ValidateCertificateRequestName: "We don't care what you call your certificate requests");
// IPAddresses an IP address in canonical form (networking ValidateIPAddressName, IsValidIP);
// APIServices a path segment that must equal `spec.version.spec.group` (kube-aggregator
// ValidateAPIService). The patterns and messages are k8s.io/apimachinery's (pkg/util/validation,
// pkg/api/validation/path), written out here so the sandbox does not share the engine's rules
// it is meant to test.
import { isIP } from 'node:net';

export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path-segment' | 'any' | 'ip-address' | 'api-service';

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';

type PatternRule = Exclude<NameRule, 'path-segment' | 'any' | 'ip-address' | 'api-service'>;

const PATTERNS: Record<PatternRule, { regex: RegExp; max: number; message: string }> = {
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

/**
 * What is wrong with `name` under `rule`, in the API server's words; empty when it is valid.
 * An APIService's name must also match its spec: that part is apiServiceNameErrors.
 */
export function nameErrors(name: string, rule: NameRule): string[] {
  if (rule === 'path-segment' || rule === 'api-service') return pathSegmentErrors(name);
  if (rule === 'any') return [];
  if (rule === 'ip-address') return ipAddressErrors(name);
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

/** An APIService is named `<version>.<group>` after its spec, as the aggregator routes by it. */
export function apiServiceNameErrors(name: string, spec: { version?: unknown; group?: unknown }): string[] {
  const segment = pathSegmentErrors(name);
  if (segment.length) return segment;
  const required = `${typeof spec.version === 'string' ? spec.version : ''}.${typeof spec.group === 'string' ? spec.group : ''}`;
  return name === required ? [] : [`must be \`spec.version+"."+spec.group\`: ${JSON.stringify(required)}`];
}

function ipAddressErrors(name: string): string[] {
  const family = name.includes('%') ? 0 : isIP(name);
  if (family === 0) return ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'];
  const canonical = family === 4 || name.includes('.') ? name.toLowerCase() : new URL(`http://[${name}]/`).hostname.slice(1, -1);
  return canonical === name ? [] : [`must be in canonical form (${JSON.stringify(canonical)})`];
}
