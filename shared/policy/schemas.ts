// Zod schemas of the policy documents the registry folder may hold: Kubernetes'
// ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding (admissionregistration.k8s.io/v1)
// and the ConfigMaps their bindings take parameters from. Kubernetes' kinds are read as they are
// and loose (status, auditAnnotations and the like are accepted and mean nothing here), as
// Argo CD's kinds are; a field that would change a verdict and that we cannot honour is refused.
import { z } from 'zod';

export const ADMISSION_API_VERSION = 'admissionregistration.k8s.io/v1';
export const CORE_API_VERSION = 'v1';

// Kubernetes names policies and bindings as DNS subdomains (`demo-policy.example.com`).
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const subdomainName = z
  .string()
  .max(253, 'must be at most 253 characters')
  .regex(SUBDOMAIN, 'must be a DNS subdomain: lower-case letters, digits, "-" and "."');

const stringList = z.array(z.string());
const stringMap = z.record(z.string(), z.string());

const labelSelector = z.looseObject({
  matchLabels: stringMap.optional(),
  matchExpressions: z
    .array(z.looseObject({ key: z.string().min(1), operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: stringList.optional() }))
    .optional(),
});

const resourceRule = z.looseObject({
  apiGroups: stringList.optional(),
  apiVersions: stringList.optional(),
  resources: stringList.optional(),
  operations: z.array(z.enum(['*', 'CREATE', 'UPDATE', 'DELETE', 'CONNECT'])).optional(),
  scope: z.enum(['*', 'Cluster', 'Namespaced']).optional(),
  resourceNames: stringList.optional(),
});

const matchResources = z.looseObject({
  resourceRules: z.array(resourceRule).optional(),
  excludeResourceRules: z.array(resourceRule).optional(),
  namespaceSelector: labelSelector.optional(),
  objectSelector: labelSelector.optional(),
  // Every rendered object is read at the version it is written in: Exact and Equivalent agree.
  matchPolicy: z.enum(['Exact', 'Equivalent']).optional(),
});

const namedExpression = z.looseObject({ name: z.string().min(1), expression: z.string().min(1) });

export const admissionPolicySchema = z.looseObject({
  apiVersion: z.literal(ADMISSION_API_VERSION),
  kind: z.literal('ValidatingAdmissionPolicy'),
  metadata: z.looseObject({ name: subdomainName }),
  spec: z.looseObject({
    failurePolicy: z.enum(['Fail', 'Ignore']).default('Fail'),
    paramKind: z.looseObject({ apiVersion: z.string().min(1), kind: z.string().min(1) }).optional(),
    matchConstraints: matchResources.optional(),
    matchConditions: z.array(namedExpression).default([]),
    variables: z.array(namedExpression).default([]),
    validations: z
      .array(
        z.looseObject({
          expression: z.string().min(1),
          message: z.string().optional(),
          messageExpression: z.string().optional(),
          reason: z.string().optional(),
        }),
      )
      .default([]),
  }),
});

export const admissionPolicyBindingSchema = z.looseObject({
  apiVersion: z.literal(ADMISSION_API_VERSION),
  kind: z.literal('ValidatingAdmissionPolicyBinding'),
  metadata: z.looseObject({ name: subdomainName }),
  spec: z.looseObject({
    policyName: subdomainName,
    // Kubernetes requires at least one action: a binding that does nothing is a mistake.
    validationActions: z.array(z.enum(['Deny', 'Warn', 'Audit'])).min(1, 'must list at least one of Deny, Warn, Audit'),
    paramRef: z
      .looseObject({
        name: z.string().min(1).optional(),
        namespace: z.string().optional(),
        selector: labelSelector.optional(),
        parameterNotFoundAction: z.enum(['Allow', 'Deny']).default('Deny'),
      })
      .refine((ref) => (ref.name === undefined) !== (ref.selector === undefined), { message: 'set exactly one of name or selector' })
      .optional(),
    matchResources: matchResources.optional(),
  }),
});

export const policyParamSchema = z.looseObject({
  apiVersion: z.literal(CORE_API_VERSION),
  kind: z.literal('ConfigMap'),
  metadata: z.looseObject({ name: subdomainName, namespace: z.string().optional(), labels: stringMap.optional() }),
  data: stringMap.optional(),
  binaryData: stringMap.optional(),
});

export type AdmissionPolicyDocument = z.infer<typeof admissionPolicySchema>;
export type AdmissionPolicyBindingDocument = z.infer<typeof admissionPolicyBindingSchema>;
export type PolicyParamDocument = z.infer<typeof policyParamSchema>;
