// Zod schemas of the raw documents under driftless/. Our kinds (driftless.io/v1alpha1) are
// strict: an unknown field is most likely a typo, and silently ignoring it would deploy
// something other than what the author meant. Argo CD's kinds (argoproj.io/v1alpha1) are
// read as they are and loose, since real ones carry many fields that mean nothing here.
// A field set to null is read as absent (validate.ts drops it first), as Argo CD reads it: the
// API server prunes nulls from its custom resources and Go leaves such a field at its zero
// value, so `automated: null` is off while `automated: {}` is on.
// The README's "Argo CD and Flux compatibility" table says the same, field by field: keep the
// two true together.
//
// Argo CD fields ignored (accepted, no effect):
//   Application: metadata.namespace, metadata.annotations other than the watch-path
//     ones (and the sync wave of an app of apps' children, read by shared/app-of-apps/),
//     spec.info, spec.revisionHistoryLimit, spec.source when spec.sources is set (as in Argo
//     CD), source.ref on a single source, source.name, source.path of a chart source,
//     helm.version, helm.passCredentials, helm.skipSchemaValidation, kustomize.version,
//     kustomize.forceCommonAnnotations/commonAnnotationsEnvsubst/ignoreMissingComponents/
//     kubeVersion/apiVersions, syncPolicy.retry.refresh, status, operation.
//   metadata.finalizers means nothing to a sync; the resources finalizer is read when the app
//   leaves the registry (shared/app-of-apps/finalizers.ts).
//   metadata.labels mean nothing to a sync either; they are kept on the app (AppSpec.labels),
//   where an ApplicationSet's RollingSync steps select on them.
//   AppProject: description, roles, signatureKeys, orphanedResources,
//     sourceNamespaces, permitOnlyProjectScopedClusters, status.
//   AppProject syncWindows are read (our Project takes the same field); of a window,
//     syncOverrun is ignored: a sync under way always finishes (its continuations are never
//     held back, shared/worker/policy/sync-window.ts).
//   AppProject destinationServiceAccounts are read for the IAM role they stand for: the
//     `driftless.io/role-arn.<service account>` annotation names it (shared/project/roles.ts).
//   AppProject annotations driftless.io/sops-kms-keys, sops-age-recipients, sops-pgp-fingerprints
//     and plain-secrets stand for our Project's spec.decryption.sops and spec.plainSecrets
//     (shared/project/secrets-rules.ts): Argo CD's API server would prune unknown spec fields.
// AppProject's cluster/namespace resource allow and deny lists are read with Argo CD's
// meaning, and our Project takes the same fields (shared/project/kinds.ts).
// Argo CD fields refused (they would change what gets deployed, and we cannot honour them):
//   spec.sourceHydrator, source.plugin, helm.fileParameters, kustomize patches/replicas/
//   components/namespace/commonAnnotations/labelWithoutSelector/labelIncludeTemplates,
//   directory.jsonnet.
// Kubernetes' ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding
// (admissionregistration.k8s.io/v1) and v1 ConfigMaps (their parameters) are registry kinds too:
// loose, as Kubernetes' own (shared/policy/schemas.ts), stored with the registry, never applied.
// Sources (normalise-app.ts checks what needs more than one field): a Git folder, a chart
// (`chart` + a Helm repository or OCI registry repoURL + a version or constraint), or several
// in `spec.sources` with `ref` sources whose files other sources name as `$<ref>/path` value files.
import { z } from 'zod';
import { parseDuration } from './duration.ts';
import { isValidReleaseName, RELEASE_NAME_RULE } from '../render/release-name.ts';
import { isValidGlob } from '../project/glob.ts';
import {
  AGE_RECIPIENT,
  AGE_RECIPIENT_RULE,
  KMS_KEY_ARN,
  KMS_KEY_ARN_RULE,
  PGP_FINGERPRINT,
  PGP_FINGERPRINT_RULE,
  secretsAnnotationProblem,
} from '../project/secrets-rules.ts';
import { scheduleProblem, timeZoneProblem } from '../project/window-schedule.ts';
import { ADMISSION_API_VERSION, admissionPolicyBindingSchema, admissionPolicySchema, CORE_API_VERSION, policyParamSchema } from '../policy/schemas.ts';

export const OUR_API_VERSION = 'driftless.io/v1alpha1';
export const ARGO_API_VERSION = 'argoproj.io/v1alpha1';

// Names end up in `app@cluster` group ids and `<app>:<group>/<kind>` tracking ids, and Argo CD
// puts the app name in a label value: a DNS-1123 label keeps all of those unambiguous.
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
export const nameSchema = z
  .string()
  .max(63, 'must be at most 63 characters')
  .regex(NAME, 'must be lower-case letters, digits, "-" or ".", starting and ending with a letter or digit');

const stringList = z.array(z.string());
const stringMap = z.record(z.string(), z.string());
// Helm parameter values are strings in Argo CD; an unquoted `true` or `3` in YAML means the same.
const scalarText = z.union([z.string(), z.number(), z.boolean()]).transform(String);

/** A duration as the config files write them (`30s`, `5m`, `1h30m`, or seconds), in milliseconds. */
export const duration = z.union([z.string(), z.number()]).transform((value, context) => {
  try {
    return parseDuration(value);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.values(value).every(isEmpty);
  return false;
}

/** A field Argo CD knows and we cannot honour: fine when absent or empty, an error otherwise. */
function unsupported(why: string) {
  return z
    .unknown()
    .optional()
    .refine(isEmpty, { message: `not supported by Driftless: ${why}` });
}

// Config management plugins run a program of the repository's choosing at render time, on the
// worker, with the worker's network and credentials; Driftless renders only with helm and
// kustomize, hermetically (render/exec.ts).
const PLUGIN_REFUSAL =
  'config management plugins: render with the plugin in CI and commit its output (a folder of manifests the app points at, ' +
  "or a branch, as Argo CD's source hydrator does), or use Helm or Kustomize, which Driftless runs itself";

// Argo CD: a parameter without a value (or `value: null`) is the empty string.
const helmParameterFields = { name: z.string().min(1), value: scalarText.default(''), forceString: z.boolean().optional() };

const helmFields = {
  // Passed to `helm template` as its NAME: Helm's rule, so it can never be read as a flag.
  releaseName: z.string().refine(isValidReleaseName, RELEASE_NAME_RULE).optional(),
  namespace: z.string().optional(),
  valueFiles: stringList.optional(),
  ignoreMissingValueFiles: z.boolean().optional(),
  values: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  skipCrds: z.boolean().optional(),
  skipTests: z.boolean().optional(),
  kubeVersion: z.string().optional(),
  apiVersions: stringList.optional(),
};
const kustomizeFields = {
  namePrefix: z.string().optional(),
  nameSuffix: z.string().optional(),
  images: stringList.optional(),
  commonLabels: stringMap.optional(),
  forceCommonLabels: z.boolean().optional(),
};
const directoryFields = {
  recurse: z.boolean().optional(),
  include: z.string().optional(),
  exclude: z.string().optional(),
};
const destinationFields = {
  name: z.string().min(1).optional(),
  server: z.string().min(1).optional(),
  namespace: z.string().optional(),
};
const ignoreDifferenceFields = {
  group: z.string().optional(),
  kind: z.string().min(1),
  name: z.string().optional(),
  namespace: z.string().optional(),
  jsonPointers: stringList.optional(),
  jqPathExpressions: stringList.optional(),
  managedFieldsManagers: stringList.optional(),
};
// Argo CD's syncPolicy.managedNamespaceMetadata: put on the namespace CreateNamespace=true makes.
const namespaceMetadataFields = { labels: stringMap.optional(), annotations: stringMap.optional() };

const automatedFields = {
  // Argo CD 3 added `enabled`; false turns automation off while keeping the settings.
  enabled: z.boolean().optional(),
  prune: z.boolean().optional(),
  selfHeal: z.boolean().optional(),
  allowEmpty: z.boolean().optional(),
};
const retryLimit = z.number().int('must be a whole number');
const backoffFields = {
  duration: duration.optional(),
  factor: z.number().int('must be a whole number').min(1, 'must be at least 1').optional(),
  maxDuration: duration.optional(),
};

// A project's resource lists: Go filepath.Match globs, as Argo CD matches them. A malformed
// one would silently match nothing (a deny entry that denies nothing), so it is refused.
const resourceGlob = z.string().refine(isValidGlob, { message: 'is not a valid pattern (Go filepath.Match: *, ?, [a-z], [^a-z], \\ escapes)' });
const resourceKindFields = { group: resourceGlob, kind: resourceGlob };
// Cluster-scoped entries may also name the objects (Argo CD: "Name is optional ... Globs in
// Go's filepath.Match syntax"); absent or '' is any name.
const clusterResourceKindFields = { ...resourceKindFields, name: resourceGlob.optional() };

function oneClusterReference(destination: { name?: string; server?: string }): boolean {
  return (destination.name === undefined) !== (destination.server === undefined);
}
const ONE_CLUSTER_REFERENCE = {
  message: 'set exactly one of name (a registered cluster) or server (its API server URL)',
};

// ---- our kinds -----------------------------------------------------------------------

const ourMetadata = z.strictObject({
  name: nameSchema,
  namespace: z.string().optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
});

const ourDestination = z.strictObject(destinationFields).refine(oneClusterReference, ONE_CLUSTER_REFERENCE);

const ourSource = z.strictObject({
  repoURL: z.string().min(1, 'must not be empty'),
  targetRevision: z.string().optional(),
  path: z.string().optional(),
  chart: z.string().optional(),
  ref: z.string().optional(),
  helm: z.strictObject({ ...helmFields, parameters: z.array(z.strictObject(helmParameterFields)).optional() }).optional(),
  kustomize: z.strictObject(kustomizeFields).optional(),
  directory: z.strictObject(directoryFields).optional(),
  extraPaths: stringList.optional(),
});

export const ourApplicationSchema = z.strictObject({
  apiVersion: z.literal(OUR_API_VERSION),
  kind: z.literal('Application'),
  metadata: ourMetadata,
  spec: z
    .strictObject({
      project: nameSchema.optional(),
      source: ourSource.optional(),
      sources: z.array(ourSource).min(1, 'must list at least one source').optional(),
      destination: ourDestination.optional(),
      destinations: z.array(ourDestination).min(1, 'must list at least one destination').optional(),
      syncPolicy: z
        .strictObject({
          automated: z.strictObject(automatedFields).optional(),
          syncOptions: stringList.optional(),
          managedNamespaceMetadata: z.strictObject(namespaceMetadataFields).optional(),
          retry: z.strictObject({ limit: retryLimit.optional(), backoff: z.strictObject(backoffFields).optional() }).optional(),
        })
        .optional(),
      ignoreDifferences: z.array(z.strictObject(ignoreDifferenceFields)).optional(),
    })
    .refine((spec) => (spec.destination === undefined) !== (spec.destinations === undefined), {
      message: 'set exactly one of destination or destinations',
    })
    .refine((spec) => (spec.source === undefined) !== (spec.sources === undefined), {
      message: 'set exactly one of source or sources',
    }),
});

const eksRegion = /^[a-z]{2}(-[a-z]+)+-\d+$/;
export const ourClusterSchema = z.strictObject({
  apiVersion: z.literal(OUR_API_VERSION),
  kind: z.literal('Cluster'),
  metadata: ourMetadata,
  spec: z
    .strictObject({
      server: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
      eks: z
        .strictObject({
          clusterName: z.string().regex(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, 'is not an EKS cluster name'),
          region: z.string().regex(eksRegion, 'is not an AWS region (e.g. eu-west-1)'),
          roleArn: z
            .string()
            .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'is not an IAM role ARN')
            .optional(),
          accountId: z
            .string()
            .regex(/^\d{12}$/, 'must be 12 digits')
            .optional(),
        })
        .optional(),
      kubeconfig: z.strictObject({ context: z.string().optional(), path: z.string().optional() }).optional(),
      accessScope: z
        .discriminatedUnion('type', [
          z.strictObject({ type: z.literal('cluster') }),
          z.strictObject({ type: z.literal('namespace'), namespaces: z.array(z.string().min(1)).min(1, 'must list at least one namespace') }),
        ])
        .optional(),
    })
    .refine((spec) => spec.eks !== undefined || spec.kubeconfig !== undefined, {
      message: 'say how to reach the cluster: set eks (clusterName, region) or kubeconfig (context)',
    }),
});

// A project's IAM role per cluster (shared/project/roles.ts): the shape STS accepts, checked
// here so a typo is a registry problem at its line, not an AssumeRole failure at sync time.
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\-/]+$/;
const IAM_ROLE_ARN_RULE = 'is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)';
const ourProjectRole = z.strictObject({
  cluster: z.string().min(1),
  namespace: z.string().min(1).optional(),
  roleArn: z.string().regex(IAM_ROLE_ARN, IAM_ROLE_ARN_RULE),
});
// The SOPS master keys a project's apps may decrypt with (shared/project/secrets-rules.ts).
const ourProjectDecryption = z.strictObject({
  sops: z.strictObject({
    kmsKeys: z.array(z.string().regex(KMS_KEY_ARN, KMS_KEY_ARN_RULE)).optional(),
    ageRecipients: z.array(z.string().regex(AGE_RECIPIENT, AGE_RECIPIENT_RULE)).optional(),
    pgpFingerprints: z.array(z.string().regex(PGP_FINGERPRINT, PGP_FINGERPRINT_RULE)).optional(),
  }),
});

/** Annotation prefix on an AppProject: `driftless.io/role-arn.<service account>: <role ARN>`. */
export const ROLE_ARN_ANNOTATION_PREFIX = 'driftless.io/role-arn.';

// A sync window (shared/worker/policy/sync-window.ts): Argo CD's fields, checked as Argo CD's
// parsers would read them, so a window that could never apply is a registry problem at its line.
const windowDuration = z.string().superRefine((value, context) => {
  // Go's time.ParseDuration: a unit is required (`3600` alone is not a duration there).
  let ms: number;
  try {
    ms = /^\s*\d+\s*$/.test(value) ? Number.NaN : parseDuration(value);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return;
  }
  if (!(ms > 0)) context.addIssue({ code: 'custom', message: 'must be a duration longer than 0 with its unit, e.g. "1h", "30m", "1h30m"' });
});
const syncWindowFields = {
  kind: z.enum(['allow', 'deny']),
  schedule: z.string().superRefine((value, context) => {
    const problem = scheduleProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  }),
  duration: windowDuration,
  timeZone: z
    .string()
    .superRefine((value, context) => {
      const problem = timeZoneProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  applications: stringList.optional(),
  namespaces: stringList.optional(),
  clusters: stringList.optional(),
  manualSync: z.boolean().optional(),
  andOperator: z.boolean().optional(),
  description: z.string().optional(),
};
// Argo CD's own check (AppProject.ValidateProject): a window names what it applies to.
function windowSelects(window: { applications?: string[]; namespaces?: string[]; clusters?: string[] }): boolean {
  return Boolean(window.applications?.length || window.namespaces?.length || window.clusters?.length);
}
const WINDOW_SELECTS = { message: 'applies to nothing: list applications, namespaces or clusters (globs, e.g. "*")' };
const ourSyncWindow = z.strictObject(syncWindowFields).refine(windowSelects, WINDOW_SELECTS);
const argoSyncWindow = z.looseObject(syncWindowFields).refine(windowSelects, WINDOW_SELECTS);

const ourProjectDestination = z
  .strictObject({ name: z.string().min(1).optional(), server: z.string().min(1).optional(), namespace: z.string().default('*') })
  .refine((destination) => destination.name !== undefined || destination.server !== undefined, {
    message: 'set name or server (a glob, e.g. "*")',
  });

export const ourProjectSchema = z.strictObject({
  apiVersion: z.literal(OUR_API_VERSION),
  kind: z.literal('Project'),
  metadata: ourMetadata,
  spec: z
    .strictObject({
      sourceRepos: stringList.default(['*']),
      destinations: z.array(ourProjectDestination).default([{ name: '*', namespace: '*' }]),
      // Absent means what it means in an AppProject: no cluster-scoped kind, every namespaced one.
      clusterResourceWhitelist: z.array(z.strictObject(clusterResourceKindFields)).optional(),
      clusterResourceBlacklist: z.array(z.strictObject(clusterResourceKindFields)).optional(),
      namespaceResourceWhitelist: z.array(z.strictObject(resourceKindFields)).optional(),
      namespaceResourceBlacklist: z.array(z.strictObject(resourceKindFields)).optional(),
      // The IAM role the project's apps reach a cluster as; first matching entry wins.
      roles: z.array(ourProjectRole).optional(),
      decryption: ourProjectDecryption.optional(),
      plainSecrets: z.enum(['warn', 'deny']).optional(),
      syncWindows: z.array(ourSyncWindow).optional(),
    })
    .default({ sourceRepos: ['*'], destinations: [{ name: '*', namespace: '*' }] }),
});

// ---- Argo CD's kinds -----------------------------------------------------------------

const argoMetadata = z.looseObject({ name: nameSchema, labels: stringMap.optional(), annotations: stringMap.optional() });

const argoSource = z.looseObject({
  repoURL: z.string().min(1, 'must not be empty'),
  targetRevision: z.string().optional(),
  path: z.string().optional(),
  chart: z.string().optional(),
  ref: z.string().optional(),
  plugin: unsupported(PLUGIN_REFUSAL),
  helm: z
    .looseObject({
      ...helmFields,
      // Argo CD: valuesObject wins over values when both are set.
      valuesObject: z.record(z.string(), z.unknown()).optional(),
      parameters: z.array(z.looseObject(helmParameterFields)).optional(),
      fileParameters: unsupported('helm fileParameters'),
    })
    .optional(),
  kustomize: z
    .looseObject({
      ...kustomizeFields,
      namespace: unsupported('kustomize namespace override'),
      commonAnnotations: unsupported('kustomize commonAnnotations'),
      replicas: unsupported('kustomize replicas'),
      patches: unsupported('kustomize patches; put them in kustomization.yaml'),
      components: unsupported('kustomize components; list them in kustomization.yaml'),
      // commonLabels are added as `kustomize edit add label` adds them: onto selectors too.
      labelWithoutSelector: unsupported('kustomize labelWithoutSelector; put the labels in kustomization.yaml (labels: with includeSelectors: false)'),
      labelIncludeTemplates: unsupported('kustomize labelIncludeTemplates; put the labels in kustomization.yaml (labels: with includeTemplates: true)'),
    })
    .optional(),
  directory: z.looseObject({ ...directoryFields, jsonnet: unsupported('jsonnet') }).optional(),
});

export const argoApplicationSchema = z.looseObject({
  apiVersion: z.literal(ARGO_API_VERSION),
  kind: z.literal('Application'),
  metadata: argoMetadata,
  spec: z
    .looseObject({
      project: nameSchema.optional(),
      source: argoSource.optional(),
      // Argo CD: when sources is set, source is ignored.
      sources: z.array(argoSource).optional(),
      sourceHydrator: unsupported('source hydrator'),
      destination: z.looseObject(destinationFields).refine(oneClusterReference, ONE_CLUSTER_REFERENCE),
      syncPolicy: z
        .looseObject({
          automated: z.looseObject(automatedFields).optional(),
          syncOptions: stringList.optional(),
          managedNamespaceMetadata: z.looseObject(namespaceMetadataFields).optional(),
          retry: z.looseObject({ limit: retryLimit.optional(), backoff: z.looseObject(backoffFields).optional() }).optional(),
        })
        .optional(),
      ignoreDifferences: z.array(z.looseObject(ignoreDifferenceFields)).optional(),
    })
    .superRefine((spec, context) => {
      if (spec.source === undefined && (spec.sources === undefined || spec.sources.length === 0)) {
        context.addIssue({ code: 'custom', path: ['source'], message: 'is required (or list the sources in spec.sources)' });
      }
    }),
});

export const argoAppProjectSchema = z.looseObject({
  apiVersion: z.literal(ARGO_API_VERSION),
  kind: z.literal('AppProject'),
  metadata: argoMetadata.superRefine((metadata, context) => {
    for (const [key, value] of Object.entries(metadata.annotations ?? {})) {
      if (key.startsWith(ROLE_ARN_ANNOTATION_PREFIX) && !IAM_ROLE_ARN.test(value)) {
        context.addIssue({ code: 'custom', path: ['annotations', key], message: IAM_ROLE_ARN_RULE });
      }
      const secretsProblem = secretsAnnotationProblem(key, value);
      if (secretsProblem) context.addIssue({ code: 'custom', path: ['annotations', key], message: secretsProblem });
    }
  }),
  // Absent lists allow nothing, as in Argo CD.
  spec: z
    .looseObject({
      sourceRepos: stringList.default([]),
      destinations: z.array(z.looseObject({ name: z.string().optional(), server: z.string().optional(), namespace: z.string().default('') })).default([]),
      // An absent namespaceResourceWhitelist (every kind) is not an empty one (none): no default.
      clusterResourceWhitelist: z.array(z.looseObject(clusterResourceKindFields)).optional(),
      clusterResourceBlacklist: z.array(z.looseObject(clusterResourceKindFields)).optional(),
      namespaceResourceWhitelist: z.array(z.looseObject(resourceKindFields)).optional(),
      namespaceResourceBlacklist: z.array(z.looseObject(resourceKindFields)).optional(),
      // Argo CD: globs on the server URL and namespace, first match wins, the account to sync as.
      destinationServiceAccounts: z
        .array(z.looseObject({ server: z.string().default(''), namespace: z.string().default(''), defaultServiceAccount: z.string().default('') }))
        .optional(),
      syncWindows: z.array(argoSyncWindow).optional(),
    })
    .default({ sourceRepos: [], destinations: [] }),
});

export type OurApplication = z.infer<typeof ourApplicationSchema>;
export type OurCluster = z.infer<typeof ourClusterSchema>;
export type OurProject = z.infer<typeof ourProjectSchema>;
export type ArgoApplication = z.infer<typeof argoApplicationSchema>;
export type ArgoAppProject = z.infer<typeof argoAppProjectSchema>;

/** apiVersion → kind → schema; a document whose pair is not here is refused. */
export const SCHEMAS = {
  [OUR_API_VERSION]: { Application: ourApplicationSchema, Cluster: ourClusterSchema, Project: ourProjectSchema },
  [ARGO_API_VERSION]: { Application: argoApplicationSchema, AppProject: argoAppProjectSchema },
  // Policies: stored with the registry and evaluated before every sync writes, never applied.
  [ADMISSION_API_VERSION]: { ValidatingAdmissionPolicy: admissionPolicySchema, ValidatingAdmissionPolicyBinding: admissionPolicyBindingSchema },
  [CORE_API_VERSION]: { ConfigMap: policyParamSchema },
} as const;
