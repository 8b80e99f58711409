// Kubernetes ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding
// (admissionregistration.k8s.io/v1) as the registry keeps them: the fields that decide a
// verdict, with Kubernetes' defaults applied, and where each document was written. Their
// parameters are ConfigMaps from the same registry folder.

export type ValidationAction = 'Deny' | 'Warn' | 'Audit';
export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface PolicyDefinedIn {
  file: string;
  line?: number;
}

/** metav1.LabelSelector. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

/** NamedRuleWithOperations: every list `*` or absent-means-all as Kubernetes reads it. */
export interface ResourceRule {
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  operations?: string[];
  /** `*` (default), `Cluster` or `Namespaced`. */
  scope?: string;
  /** Empty or absent: any name. */
  resourceNames?: string[];
}

export interface MatchResources {
  resourceRules?: ResourceRule[];
  excludeResourceRules?: ResourceRule[];
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
}

export interface NamedExpression {
  name: string;
  expression: string;
}

export interface Validation {
  expression: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
}

export interface AdmissionPolicy {
  name: string;
  /** Kubernetes' default is Fail: an expression that cannot be evaluated rejects. */
  failurePolicy: 'Fail' | 'Ignore';
  paramKind?: { apiVersion: string; kind: string };
  matchConstraints?: MatchResources;
  matchConditions: NamedExpression[];
  variables: NamedExpression[];
  validations: Validation[];
  definedIn: PolicyDefinedIn;
}

export interface ParamRef {
  name?: string;
  namespace?: string;
  selector?: LabelSelector;
  /** Kubernetes requires it with paramRef; Deny when the document leaves it out. */
  parameterNotFoundAction: 'Allow' | 'Deny';
}

export interface AdmissionPolicyBinding {
  name: string;
  policyName: string;
  validationActions: ValidationAction[];
  paramRef?: ParamRef;
  matchResources?: MatchResources;
  definedIn: PolicyDefinedIn;
}

/** A ConfigMap of the registry folder that a binding's paramRef can name. */
export interface PolicyParam {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  definedIn: PolicyDefinedIn;
}

export interface PolicySet {
  policies: AdmissionPolicy[];
  bindings: AdmissionPolicyBinding[];
  params: PolicyParam[];
}

export const EMPTY_POLICY_SET: PolicySet = { policies: [], bindings: [], params: [] };
