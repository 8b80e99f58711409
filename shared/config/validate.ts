// One document → the schema its apiVersion and kind call for, or problems. Anything else is
// refused: in an Argo CD app-of-apps an unknown kind would simply be applied to the cluster,
// but this folder is the registry, not manifests, and a misspelt kind must not drop an app.
// A field whose value is null is dropped first and so read as absent, as Argo CD reads it: the
// API server prunes nulls from custom resources, and Go's JSON decoding leaves such a field at
// its zero value (`helm.parameters: null`, `syncPolicy:` with everything under it commented out).
import type { z } from 'zod';
import type { RegistryDocument } from './documents.ts';
import type { RegistryProblem } from './errors.ts';
import { reporter } from './problems.ts';
import { ARGO_API_VERSION, OUR_API_VERSION, SCHEMAS } from './schemas.ts';
import type { ArgoApplication, ArgoAppProject, OurApplication, OurCluster, OurProject } from './schemas.ts';
import { ADMISSION_API_VERSION, CORE_API_VERSION } from '../policy/schemas.ts';
import type { AdmissionPolicyBindingDocument, AdmissionPolicyDocument, PolicyParamDocument } from '../policy/schemas.ts';

export type ValidDocument =
  | { source: 'ours'; kind: 'Application'; value: OurApplication }
  | { source: 'ours'; kind: 'Cluster'; value: OurCluster }
  | { source: 'ours'; kind: 'Project'; value: OurProject }
  | { source: 'argo'; kind: 'Application'; value: ArgoApplication }
  | { source: 'argo'; kind: 'AppProject'; value: ArgoAppProject }
  | { source: 'kubernetes'; kind: 'ValidatingAdmissionPolicy'; value: AdmissionPolicyDocument }
  | { source: 'kubernetes'; kind: 'ValidatingAdmissionPolicyBinding'; value: AdmissionPolicyBindingDocument }
  | { source: 'kubernetes'; kind: 'ConfigMap'; value: PolicyParamDocument };

const KNOWN = `${OUR_API_VERSION} Application, ApplicationSet, Cluster or Project, ${ARGO_API_VERSION} Application, ApplicationSet or AppProject, or ${ADMISSION_API_VERSION} ValidatingAdmissionPolicy or ValidatingAdmissionPolicyBinding (with ${CORE_API_VERSION} ConfigMap parameters)`;

export function validateDocument(document: RegistryDocument, problems: RegistryProblem[]): ValidDocument | undefined {
  const report = reporter(document, problems);
  const value = document.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    report([], `expected a mapping with apiVersion and kind (${KNOWN})`);
    return undefined;
  }
  const { apiVersion, kind } = value as { apiVersion?: unknown; kind?: unknown };
  const byKind = typeof apiVersion === 'string' ? (SCHEMAS as Record<string, Record<string, z.ZodType>>)[apiVersion] : undefined;
  const schema = byKind && typeof kind === 'string' ? byKind[kind] : undefined;
  if (!schema) {
    report([], `apiVersion ${String(apiVersion)} kind ${String(kind)} does not belong in the registry: expected ${KNOWN}`);
    return undefined;
  }
  const result = schema.safeParse(withoutNullFields(value), { error: (issue) => (issue.input === undefined ? 'is required' : undefined) });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.filter((step): step is string | number => typeof step !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) report([...path, key], 'unknown field (misspelt? fields are case-sensitive)');
      } else {
        report(path, issue.message);
      }
    }
    return undefined;
  }
  const source = apiVersion === OUR_API_VERSION ? 'ours' : apiVersion === ARGO_API_VERSION ? 'argo' : 'kubernetes';
  return { source, kind, value: result.data } as ValidDocument;
}

// Helm values are data, not fields: a null in them tells Helm to drop the chart's default.
const VERBATIM = new Set(['values', 'valuesObject']);

/**
 * A copy without the mapping entries whose value is null, at every depth; list items stay, and
 * so does whatever is under a key of `verbatim` (data, not fields: Helm values by default).
 */
export function withoutNullFields(value: unknown, verbatim: ReadonlySet<string> = VERBATIM): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutNullFields(item, verbatim));
  if (typeof value !== 'object' || value === null) return value;
  const kept: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== null) kept[key] = verbatim.has(key) ? item : withoutNullFields(item, verbatim);
  }
  return kept;
}
