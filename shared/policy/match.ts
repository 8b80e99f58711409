// Whether a policy (its matchConstraints) or a binding (its matchResources) concerns a
// request, with Kubernetes' rules: a resource rule matches on operation, API group, version,
// resource (`*`, `res`, `res/*`, `*/sub`), scope and name; an exclude rule that matches wins;
// the namespace selector is asked about the object's namespace (a Namespace about itself, any
// other cluster-scoped object always passes); the object selector about the object or the
// object it replaces.
import { groupOf, versionOf } from '../kube/object.ts';
import type { AdmissionRequest } from './request.ts';
import { selectorMatches } from './selector.ts';
import type { MatchResources, ResourceRule } from './types.ts';

/** `requireRules`: a policy's matchConstraints match nothing without resourceRules; a binding's are unconstrained. */
export function matchesResources(match: MatchResources | undefined, request: AdmissionRequest, requireRules: boolean): boolean {
  if (!match) return !requireRules;
  const rules = match.resourceRules;
  if (rules === undefined || rules.length === 0) {
    if (requireRules) return false;
  } else if (!rules.some((rule) => ruleMatches(rule, request))) {
    return false;
  }
  if ((match.excludeResourceRules ?? []).some((rule) => ruleMatches(rule, request))) return false;
  return namespaceMatches(match, request) && objectMatches(match, request);
}

export function ruleMatches(rule: ResourceRule, request: AdmissionRequest): boolean {
  const { object } = request;
  const listed = (values: string[] | undefined, value: string) => (values ?? []).some((candidate) => candidate === '*' || candidate === value);
  if (!listed(rule.operations, request.operation)) return false;
  if (!listed(rule.apiGroups, groupOf(object.apiVersion))) return false;
  if (!listed(rule.apiVersions, versionOf(object.apiVersion))) return false;
  const resourceListed = (rule.resources ?? []).some((entry) => {
    const [resource, subresource = ''] = entry.split('/', 2) as [string, string?];
    // A rendered object is written to its main resource: the subresource is ''.
    return (resource === '*' || resource === request.resource) && (subresource === '*' || subresource === '');
  });
  if (!resourceListed) return false;
  const scope = rule.scope ?? '*';
  if (scope === 'Cluster' && request.namespaced) return false;
  if (scope === 'Namespaced' && !request.namespaced) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(object.metadata.name ?? '');
}

function namespaceMatches(match: MatchResources, request: AdmissionRequest): boolean {
  const selector = match.namespaceSelector;
  if (!selector) return true;
  const { object } = request;
  if (object.apiVersion === 'v1' && object.kind === 'Namespace') return selectorMatches(selector, object.metadata.labels);
  if (!request.namespaced) return true;
  return selectorMatches(selector, request.namespaceObject?.metadata.labels);
}

function objectMatches(match: MatchResources, request: AdmissionRequest): boolean {
  const selector = match.objectSelector;
  if (!selector) return true;
  return (
    selectorMatches(selector, request.object.metadata.labels) ||
    (request.oldObject !== undefined && selectorMatches(selector, request.oldObject.metadata.labels))
  );
}
