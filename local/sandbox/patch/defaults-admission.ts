// Defaults of the admission and aggregation kinds, as k8s.io/api's SetDefaults functions set
// them (pkg/apis/admissionregistration/v1/defaults.go, kube-aggregator
// pkg/apis/apiregistration/v1/defaults.go): a webhook fails closed, matches equivalent
// versions, selects everything, waits 10 s and (when mutating) is not re-invoked; a rule
// covers every scope; a referenced service listens on 443.
import { mapsIn, setDefault } from './defaults-util.ts';
import { isMap, type JsonMap } from './values.ts';

function defaultRules(rules: unknown): void {
  for (const rule of mapsIn(rules)) setDefault(rule, 'scope', '*');
}

function defaultServiceReference(owner: JsonMap): void {
  if (isMap(owner.service)) setDefault(owner.service, 'port', 443);
}

function defaultWebhook(webhook: JsonMap, mutating: boolean): void {
  setDefault(webhook, 'failurePolicy', 'Fail');
  setDefault(webhook, 'matchPolicy', 'Equivalent');
  setDefault(webhook, 'namespaceSelector', {});
  setDefault(webhook, 'objectSelector', {});
  setDefault(webhook, 'timeoutSeconds', 10);
  if (mutating) setDefault(webhook, 'reinvocationPolicy', 'Never');
  defaultRules(webhook.rules);
  if (isMap(webhook.clientConfig)) defaultServiceReference(webhook.clientConfig);
}

/** MatchResources of a ValidatingAdmissionPolicy (matchConstraints) or its binding (matchResources). */
function defaultMatchResources(match: JsonMap): void {
  setDefault(match, 'matchPolicy', 'Equivalent');
  setDefault(match, 'namespaceSelector', {});
  setDefault(match, 'objectSelector', {});
  defaultRules(match.resourceRules);
  defaultRules(match.excludeResourceRules);
}

export function defaultWebhooks(object: JsonMap, mutating: boolean): void {
  for (const webhook of mapsIn(object.webhooks)) defaultWebhook(webhook, mutating);
}

export function defaultValidatingAdmissionPolicy(spec: JsonMap): void {
  setDefault(spec, 'failurePolicy', 'Fail');
  if (isMap(spec.matchConstraints)) defaultMatchResources(spec.matchConstraints);
}

export function defaultValidatingAdmissionPolicyBinding(spec: JsonMap): void {
  if (isMap(spec.matchResources)) defaultMatchResources(spec.matchResources);
}

export function defaultApiService(spec: JsonMap): void {
  defaultServiceReference(spec);
}
