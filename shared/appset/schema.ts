// An ApplicationSet document → ApplicationSetSpec, or problems at the fields that are wrong.
// Two kinds, one spec: Argo CD's (`argoproj.io/v1alpha1`, read as Argo CD writes it) and ours
// (`driftless.io/v1alpha1`, whose RollingSync steps may also carry `soak` and `alarms`). On
// Argo CD's kind those gates are annotations on the set, `driftless.io/rollout-soak.<step>`
// and `driftless.io/rollout-alarms.<step>` (1-based), so the file stays valid for Argo CD.
//
// The spec is strict on both kinds: a misspelt generator or field would silently generate
// other Applications than the author meant. Argo CD's metadata stays loose, as for its other
// kinds (shared/config/schemas.ts).
//
// Argo CD fields accepted and ignored:
//   spec.preservedFields, spec.ignoreApplicationDifferences: they keep fields that Argo CD's
//     controllers or users set on live Application objects; our generated Applications are
//     registry entries nobody else edits, rewritten whole on every generation.
//   spec.applyNestedSelectors: selectors of generators nested in a matrix or merge are always
//     applied, as Argo CD 3 does.
//   spec.strategy.deletionOrder: generated apps that leave are removed together.
//   git.requeueAfterSeconds: sets are generated on every config push and cluster change,
//     never on a timer.
//   status.
// Generators refused (they need a service Driftless does not run or reach): scmProvider,
// pullRequest, clusterDecisionResource, plugin.
import { z } from 'zod';
import type { FieldPath, RegistryDocument } from '../config/documents.ts';
import type { Report } from '../config/problems.ts';
import { parseDuration } from '../config/duration.ts';
import { ARGO_API_VERSION, duration, nameSchema, OUR_API_VERSION } from '../config/schemas.ts';
import { withoutNullFields } from '../config/validate.ts';
import { templatedProjectProblem } from './templated-project.ts';
import { APPLICATIONS_SYNC } from './types.ts';
import type { ApplicationSetSpec, RollingSyncStep, RollingSyncStrategy } from './types.ts';

export const APPLICATION_SET_KIND = 'ApplicationSet';
export const ROLLOUT_SOAK_ANNOTATION_PREFIX = 'driftless.io/rollout-soak.';
export const ROLLOUT_ALARMS_ANNOTATION_PREFIX = 'driftless.io/rollout-alarms.';

/** Whether a parsed document is an ApplicationSet of either kind (the registry loader's test). */
export function isApplicationSetDocument(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { apiVersion, kind } = value as { apiVersion?: unknown; kind?: unknown };
  return kind === APPLICATION_SET_KIND && (apiVersion === ARGO_API_VERSION || apiVersion === OUR_API_VERSION);
}

const stringList = z.array(z.string());
const stringMap = z.record(z.string(), z.string());

// Kubernetes' LabelSelector (metav1.LabelSelectorAsSelector's rules): In and NotIn need
// values, Exists and DoesNotExist take none.
const selectorRequirement = z
  .strictObject({
    key: z.string().min(1),
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist'], { error: 'must be In, NotIn, Exists or DoesNotExist' }),
    values: stringList.optional(),
  })
  .superRefine((requirement, context) => {
    const count = requirement.values?.length ?? 0;
    if ((requirement.operator === 'In' || requirement.operator === 'NotIn') && count === 0) {
      context.addIssue({ code: 'custom', path: ['values'], message: `must list at least one value for ${requirement.operator}` });
    }
    if ((requirement.operator === 'Exists' || requirement.operator === 'DoesNotExist') && count > 0) {
      context.addIssue({ code: 'custom', path: ['values'], message: `must be empty for ${requirement.operator}` });
    }
  });
export const labelSelectorSchema = z.strictObject({
  matchLabels: stringMap.optional(),
  matchExpressions: z.array(selectorRequirement).optional(),
});
export type LabelSelector = z.infer<typeof labelSelectorSchema>;

// An Application template (Argo CD's ApplicationSetTemplate): metadata and spec. The spec is
// checked after rendering, as the Application it becomes (the registry's Application schema).
const templateMetadata = z.strictObject({
  name: z.string().optional(),
  namespace: z.string().optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  finalizers: stringList.optional(),
});
const objectSchema = z.record(z.string(), z.unknown());
/** A generator's `template`: fields it sets win over the set's (shared/appset/merge-template.ts). */
const generatorTemplate = z.strictObject({ metadata: templateMetadata.optional(), spec: objectSchema.optional() });
const setTemplate = z.strictObject({ metadata: templateMetadata, spec: objectSchema });

const listGenerator = z.strictObject({
  elements: z.array(objectSchema, { error: (issue) => (issue.input === undefined ? 'is required' : 'must be a list of mappings') }).default([]),
  elementsYaml: z.string().optional(),
  template: generatorTemplate.optional(),
});

const clustersGenerator = z.strictObject({
  selector: labelSelectorSchema.optional(),
  values: stringMap.optional(),
  flatList: z.boolean().optional(),
  template: generatorTemplate.optional(),
});

const gitPathItem = z.strictObject({ path: z.string().min(1, 'must not be empty'), exclude: z.boolean().optional() });
const gitGenerator = z
  .strictObject({
    repoURL: z.string().min(1, 'must not be empty'),
    revision: z.string().min(1, 'must not be empty'),
    directories: z.array(gitPathItem).optional(),
    files: z.array(gitPathItem).optional(),
    values: stringMap.optional(),
    pathParamPrefix: z.string().optional(),
    requeueAfterSeconds: z.number().int().min(0).optional(),
    template: generatorTemplate.optional(),
  })
  .superRefine((git, context) => {
    const directories = (git.directories?.length ?? 0) > 0;
    const files = (git.files?.length ?? 0) > 0;
    if (directories === files) {
      context.addIssue({ code: 'custom', message: 'set exactly one of directories or files (a list of path patterns)' });
    }
  });

function refused(generator: string, needs: string, instead: string) {
  return z
    .unknown()
    .optional()
    .refine((value) => value === undefined, { message: `the ${generator} generator is not supported: it needs ${needs}; ${instead}` });
}

const refusedGenerators = {
  scmProvider: refused(
    'scmProvider',
    "a Git hosting service's API, with credentials, polled for its repositories",
    'list the repositories with a list generator, or use a git generator on one repository',
  ),
  pullRequest: refused(
    'pullRequest',
    "a Git hosting service's API, with credentials, polled for open pull requests",
    'preview pull requests with `driftless preview`, or use list/clusters/git generators',
  ),
  clusterDecisionResource: refused(
    'clusterDecisionResource',
    'a placement custom resource read from the cluster Argo CD runs in',
    'label the registered Clusters and use a clusters generator with a selector',
  ),
  plugin: refused('plugin', 'an HTTP plugin service called at generation time', 'write the parameters to a file in Git (in CI) and use a git files generator'),
};

/** Generator types that produce parameters; a generator entry sets exactly one of them. */
export const GENERATOR_TYPES = ['list', 'clusters', 'git', 'matrix', 'merge'] as const;
export type GeneratorType = (typeof GENERATOR_TYPES)[number];

const NO_GENERATOR = `set one generator: ${GENERATOR_TYPES.join(', ')}`;

// Argo CD nests a matrix or merge once: a top-level matrix may hold a matrix or merge, whose
// own children are plain generators.
const MAX_NESTING = 2;

function generatorSchema(depth: number): z.ZodType {
  const nested = depth < MAX_NESTING;
  const child = () => generatorSchema(depth + 1);
  const nestingRefusal = z
    .unknown()
    .optional()
    .refine((value) => value === undefined, { message: 'a matrix or merge may be nested only once (as Argo CD allows)' });
  return z
    .strictObject({
      list: listGenerator.optional(),
      clusters: clustersGenerator.optional(),
      git: gitGenerator.optional(),
      matrix: nested
        ? z
            .strictObject({
              generators: z.array(z.lazy(child)).length(2, 'a matrix combines exactly two generators'),
              template: generatorTemplate.optional(),
            })
            .optional()
        : nestingRefusal,
      merge: nested
        ? z
            .strictObject({
              generators: z.array(z.lazy(child)).min(2, 'a merge needs at least two generators (the first is the base)'),
              mergeKeys: z.array(z.string().min(1)).min(1, 'must list at least one key'),
              template: generatorTemplate.optional(),
            })
            .optional()
        : nestingRefusal,
      selector: labelSelectorSchema.optional(),
      ...refusedGenerators,
    })
    .superRefine((generator, context) => {
      const set = GENERATOR_TYPES.filter((type) => (generator as Record<string, unknown>)[type] !== undefined);
      const refusedSet = Object.keys(refusedGenerators).some((type) => (generator as Record<string, unknown>)[type] !== undefined);
      if (set.length === 0 && !refusedSet) context.addIssue({ code: 'custom', message: NO_GENERATOR });
      if (set.length > 1)
        context.addIssue({ code: 'custom', message: `sets ${set.join(' and ')}: one generator per entry (combine them with matrix or merge)` });
    });
}

// RollingSync steps select generated Applications by their labels; Argo CD allows only In and
// NotIn there (ApplicationMatchExpression).
const stepExpression = z.strictObject({
  key: z.string().min(1),
  operator: z.enum(['In', 'NotIn'], { error: 'must be In or NotIn (the operators Argo CD allows in a RollingSync step)' }),
  values: stringList,
});
// Argo CD's maxUpdate is an IntOrString: a count, or a percentage of the step's apps.
const maxUpdate = z.union(
  [
    z.number().int('must be a whole number').min(0, 'must not be negative'),
    z.string().regex(/^(100|[1-9]?\d)%$/, 'must be a count or a percentage from 0% to 100%'),
  ],
  { error: 'must be a count (e.g. 2) or a percentage (e.g. "25%")' },
);
const argoStep = z.strictObject({ matchExpressions: z.array(stepExpression).default([]), maxUpdate: maxUpdate.optional() });
const ourStep = z.strictObject({
  matchExpressions: z.array(stepExpression).default([]),
  maxUpdate: maxUpdate.optional(),
  soak: duration.optional(),
  alarms: z.array(z.string().min(1)).optional(),
});

function strategySchema(step: z.ZodType) {
  return z
    .strictObject({
      type: z.enum(['AllAtOnce', 'RollingSync'], { error: 'must be AllAtOnce or RollingSync' }).optional(),
      rollingSync: z.strictObject({ steps: z.array(step).optional() }).optional(),
      deletionOrder: z.enum(['AllAtOnce', 'Reverse']).optional(),
    })
    .superRefine((strategy, context) => {
      if (strategy.type === 'RollingSync' && !(strategy.rollingSync?.steps?.length ?? 0)) {
        context.addIssue({
          code: 'custom',
          path: ['rollingSync', 'steps'],
          message: "RollingSync needs at least one step (matchExpressions on the generated apps' labels)",
        });
      }
    });
}

const GO_TEMPLATE_OPTION = /^missingkey=(default|invalid|zero|error)$/;

function specSchema(ours: boolean) {
  return z.strictObject({
    generators: z.array(generatorSchema(0)),
    template: setTemplate,
    goTemplate: z.boolean().default(false),
    goTemplateOptions: z.array(z.string().regex(GO_TEMPLATE_OPTION, 'is not a Go template option (missingkey=default, invalid, zero or error)')).default([]),
    templatePatch: z.string().optional(),
    syncPolicy: z
      .strictObject({
        preserveResourcesOnDeletion: z.boolean().optional(),
        applicationsSync: z.enum(APPLICATIONS_SYNC, { error: `must be one of ${APPLICATIONS_SYNC.join(', ')}` }).optional(),
      })
      .optional(),
    strategy: strategySchema(ours ? ourStep : argoStep).optional(),
    preservedFields: z.strictObject({ annotations: stringList.optional(), labels: stringList.optional() }).optional(),
    ignoreApplicationDifferences: z.array(objectSchema).optional(),
    applyNestedSelectors: z.boolean().optional(),
  });
}

const argoApplicationSetSchema = z.looseObject({
  apiVersion: z.literal(ARGO_API_VERSION),
  kind: z.literal(APPLICATION_SET_KIND),
  metadata: z.looseObject({ name: nameSchema, annotations: stringMap.optional() }),
  spec: specSchema(false),
});

const ourApplicationSetSchema = z.strictObject({
  apiVersion: z.literal(OUR_API_VERSION),
  kind: z.literal(APPLICATION_SET_KIND),
  metadata: z.strictObject({ name: nameSchema, namespace: z.string().optional(), labels: stringMap.optional(), annotations: stringMap.optional() }),
  spec: specSchema(true),
});

interface ParsedStep {
  matchExpressions: RollingSyncStep['matchExpressions'];
  maxUpdate?: number | string;
  soak?: number;
  alarms?: string[];
}
interface ParsedSet {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: {
    generators: unknown[];
    template: Record<string, unknown>;
    goTemplate: boolean;
    goTemplateOptions: string[];
    templatePatch?: string;
    syncPolicy?: { preserveResourcesOnDeletion?: boolean; applicationsSync?: ApplicationSetSpec['applicationsSync'] };
    strategy?: { type?: 'AllAtOnce' | 'RollingSync'; rollingSync?: { steps?: ParsedStep[] } };
  };
}

/**
 * The set's spec, or undefined with every problem reported at its field. `document` must be
 * an ApplicationSet (isApplicationSetDocument).
 */
export function validateApplicationSet(document: RegistryDocument, report: Report): ApplicationSetSpec | undefined {
  const value = document.value as { apiVersion?: unknown };
  const ours = value.apiVersion === OUR_API_VERSION;
  const schema = ours ? ourApplicationSetSchema : argoApplicationSetSchema;
  const result = schema.safeParse(withoutNullFields(document.value, VERBATIM), { error: (issue) => (issue.input === undefined ? 'is required' : undefined) });
  if (!result.success) {
    const fieldPath = (issue: z.core.$ZodIssue) => issue.path.filter((step): step is string | number => typeof step !== 'symbol');
    // A misspelt generator is an unknown field; saying "set one generator" there too is noise.
    const unknownAt = new Set(result.error.issues.filter((issue) => issue.code === 'unrecognized_keys').map((issue) => JSON.stringify(fieldPath(issue))));
    for (const issue of result.error.issues) {
      const path = fieldPath(issue);
      if (issue.message === NO_GENERATOR && unknownAt.has(JSON.stringify(path))) continue;
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) report([...path, key], 'unknown field (misspelt? fields are case-sensitive)');
      } else {
        report(path, issue.message);
      }
    }
    return undefined;
  }
  const parsed = result.data as unknown as ParsedSet;
  const refusedProject = templatedProjectProblem(parsed.spec);
  if (refusedProject) {
    report(refusedProject.field, refusedProject.message);
    return undefined;
  }
  const strategy = rollingSync(parsed, ours, report);
  if (strategy === null) return undefined;
  const spec: ApplicationSetSpec = {
    name: parsed.metadata.name,
    source: ours ? 'ours' : 'argo',
    goTemplate: parsed.spec.goTemplate,
    goTemplateOptions: parsed.spec.goTemplateOptions,
    generators: parsed.spec.generators,
    template: parsed.spec.template,
    applicationsSync: parsed.spec.syncPolicy?.applicationsSync ?? 'sync',
    preserveResourcesOnDeletion: parsed.spec.syncPolicy?.preserveResourcesOnDeletion ?? false,
    definedIn: { file: document.file, line: document.line },
  };
  if (parsed.spec.templatePatch !== undefined) spec.templatePatch = parsed.spec.templatePatch;
  if (strategy) spec.strategy = strategy;
  return spec;
}

/** The RollingSync strategy with its gates; undefined for AllAtOnce, null after a problem. */
function rollingSync(parsed: ParsedSet, ours: boolean, report: Report): RollingSyncStrategy | undefined | null {
  const written = parsed.spec.strategy;
  const steps = written?.type === 'RollingSync' ? (written.rollingSync?.steps ?? []) : [];
  const gates = ours ? stepsOwnGates(parsed, steps, report) : annotationGates(parsed, steps.length, report);
  if (gates === null) return null;
  if (written?.type !== 'RollingSync') return undefined;
  return {
    type: 'RollingSync',
    steps: steps.map((step, index) => {
      const out: RollingSyncStep = { matchExpressions: step.matchExpressions.map((e) => ({ key: e.key, operator: e.operator, values: [...e.values] })) };
      if (step.maxUpdate !== undefined) out.maxUpdate = step.maxUpdate;
      const soakMs = gates[index]?.soakMs;
      const alarms = gates[index]?.alarms;
      if (soakMs !== undefined) out.soakMs = soakMs;
      if (alarms !== undefined) out.alarms = alarms;
      return out;
    }),
  };
}

type Gates = Array<{ soakMs?: number; alarms?: string[] } | undefined>;

function stepsOwnGates(parsed: ParsedSet, steps: ParsedStep[], report: Report): Gates | null {
  let ok = true;
  for (const key of Object.keys(parsed.metadata.annotations ?? {})) {
    if (key.startsWith(ROLLOUT_SOAK_ANNOTATION_PREFIX) || key.startsWith(ROLLOUT_ALARMS_ANNOTATION_PREFIX)) {
      report(['metadata', 'annotations', key], `on a ${OUR_API_VERSION} ApplicationSet, set the gate on the step itself (soak, alarms)`);
      ok = false;
    }
  }
  return ok ? steps.map((step) => ({ soakMs: step.soak, alarms: step.alarms })) : null;
}

function annotationGates(parsed: ParsedSet, stepCount: number, report: Report): Gates | null {
  const gates: Gates = [];
  let ok = true;
  for (const [key, text] of Object.entries(parsed.metadata.annotations ?? {})) {
    const soak = key.startsWith(ROLLOUT_SOAK_ANNOTATION_PREFIX);
    const alarms = key.startsWith(ROLLOUT_ALARMS_ANNOTATION_PREFIX);
    if (!soak && !alarms) continue;
    const field: FieldPath = ['metadata', 'annotations', key];
    const number = key.slice((soak ? ROLLOUT_SOAK_ANNOTATION_PREFIX : ROLLOUT_ALARMS_ANNOTATION_PREFIX).length);
    const step = /^[1-9]\d*$/.test(number) ? Number(number) : Number.NaN;
    if (!(step >= 1 && step <= stepCount)) {
      report(
        field,
        stepCount === 0
          ? 'names a rollout step, but the set has no RollingSync strategy'
          : `must end in a step number from 1 to ${stepCount} (the RollingSync steps, counted from 1)`,
      );
      ok = false;
      continue;
    }
    const gate = (gates[step - 1] ??= {});
    if (soak) {
      try {
        gate.soakMs = parseDuration(text);
      } catch (error) {
        report(field, (error as Error).message);
        ok = false;
      }
    } else {
      const names = text
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '');
      if (names.length === 0) {
        report(field, 'must name at least one CloudWatch alarm (comma-separated)');
        ok = false;
      } else gate.alarms = names;
    }
  }
  return ok ? gates : null;
}

// As the registry reads other kinds (shared/config/validate.ts): a field whose value is null is
// absent. List elements and `values` are data, kept as written.
const VERBATIM = new Set(['elements', 'values']);
