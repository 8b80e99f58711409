// Object names as the API server validates them (k8s.io/apimachinery/pkg/util/validation and
// the name function each resource's validation passes to ValidateObjectMeta): most kinds take
// a DNS-1123 subdomain, Namespaces and StatefulSets a DNS-1123 label, Services a DNS-1035
// label, and the RBAC kinds only a path segment (`system:metrics-server` is a valid
// ClusterRole), as do APIServices (which must also be named `version.group`); an IPAddress is
// named by its IP in canonical form and a CertificateSigningRequest may be named anything. New
// CronJobs are also held to 52 characters, so the Jobs they create fit in 63.
// The sync checks names before the first write (preflight).
import { isIP } from 'node:net';
import { groupOf } from './object.ts';

export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path-segment' | 'ip-address' | 'any';

export const NAME_RULES: Readonly<Record<Exclude<NameRule, 'path-segment' | 'ip-address' | 'any'>, { pattern: RegExp; max: number }>> = {
  subdomain: { pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, max: 253 },
  label: { pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, max: 63 },
  dns1035: { pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/, max: 63 },
};

/** The rule per built-in kind, by `group/kind` (the core group is empty); every other kind takes a subdomain. */
const KIND_RULES: Readonly<Record<string, NameRule>> = {
  '/Namespace': 'label',
  '/Service': 'dns1035',
  'apps/StatefulSet': 'label',
  'rbac.authorization.k8s.io/Role': 'path-segment',
  'rbac.authorization.k8s.io/ClusterRole': 'path-segment',
  'rbac.authorization.k8s.io/RoleBinding': 'path-segment',
  'rbac.authorization.k8s.io/ClusterRoleBinding': 'path-segment',
  'apiregistration.k8s.io/APIService': 'path-segment',
  'networking.k8s.io/IPAddress': 'ip-address',
  'certificates.k8s.io/CertificateSigningRequest': 'any',
};

/** Shorter limits some kinds set when an object is created, by `group/kind`. */
const CREATE_MAX: Readonly<Record<string, number>> = { 'batch/CronJob': 52 };

const DESCRIPTIONS: Readonly<Record<NameRule, string>> = {
  subdomain: "must be a DNS-1123 subdomain (lower case letters, digits, '-' and '.', at most 253 characters, starting and ending with a letter or digit)",
  label: "must be a DNS-1123 label (lower case letters, digits and '-', at most 63 characters, starting and ending with a letter or digit)",
  dns1035: "must be a DNS-1035 label (lower case letters, digits and '-', at most 63 characters, starting with a letter and ending with a letter or digit)",
  'path-segment': 'may not be "." or ".." or contain "/" or "%"',
  'ip-address': 'must be an IP address in canonical form (e.g. 10.9.8.7 or 2001:db8::ffff)',
  any: '',
};

export function nameRuleFor(apiVersion: string, kind: string): NameRule {
  return KIND_RULES[`${groupOf(apiVersion)}/${kind}`] ?? 'subdomain';
}

export function isValidName(name: string, rule: NameRule): boolean {
  if (rule === 'path-segment') return name !== '.' && name !== '..' && !/[/%]/.test(name);
  if (rule === 'any') return true;
  if (rule === 'ip-address') return isCanonicalIp(name);
  const { pattern, max } = NAME_RULES[rule];
  return name.length <= max && pattern.test(name);
}

/** Why the API server would refuse to create an object of `kind` named `name`, or undefined. */
export function nameProblem(name: string, apiVersion: string, kind: string): string | undefined {
  const rule = nameRuleFor(apiVersion, kind);
  if (!isValidName(name, rule)) return DESCRIPTIONS[rule];
  const max = CREATE_MAX[`${groupOf(apiVersion)}/${kind}`];
  return max !== undefined && name.length > max ? `must be no more than ${max} characters` : undefined;
}

function isCanonicalIp(name: string): boolean {
  const family = name.includes('%') ? 0 : isIP(name);
  if (family === 0) return false;
  if (family === 4 || name.includes('.')) return name === name.toLowerCase();
  return new URL(`http://[${name}]/`).hostname === `[${name}]`;
}
