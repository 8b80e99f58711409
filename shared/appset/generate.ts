// One ApplicationSet → the Applications it generates, as Argo CD's controller does: each
// generator's parameter sets (generators/), rendered into the generator's template merged over
// the set's (merge-template.ts) — fasttemplate in-process, goTemplate in one helm batch for the
// whole set — then made complete `argoproj.io/v1alpha1` Application documents for the
// registry's Application schema: metadata.name, labels, annotations, finalizers (Argo CD's
// resources finalizer unless the template sets finalizers or the set preserves resources on
// deletion) and spec. The namespace is not kept (Argo CD puts every app in the set's).
// `templatePatch` (b2's template-patch.ts), rendered in the set's syntax with the same
// parameters, is applied to each rendered Application, as Argo CD applies it.
// Two parameter sets rendering the same name are an error naming both.
import type { ClusterSpec } from '../config/types.ts';
import { AppSetInputError, DuplicateApplicationError, GeneratorError, TemplateError } from './errors.ts';
import { MAX_PARAMETER_SETS, tooMany } from './limits.ts';
import type { GeneratorContext, GeneratorEntry, GeneratorTemplate } from './generators/context.ts';
import { evaluateEntry, generatorType } from './generators/evaluate.ts';
import type { GitFiles } from './git-files.ts';
import { mergeTemplate } from './merge-template.ts';
import { isPlainObject } from './params.ts';
import { isBadInput } from '../errors/bad-input.ts';
import { stringRenderer, type RenderGoTemplates, type StringRenderer } from './render-strings.ts';
import { applyTemplatePatch } from './template-patch.ts';
import { compileTemplate, renderTemplate } from './render-template.ts';
import type { ApplicationSetSpec, Params } from './types.ts';

export interface GeneratedApplication {
  name: string;
  /** A complete argoproj.io/v1alpha1 Application document. */
  object: Record<string, unknown>;
}

export interface GenerationContext {
  /** The registered Clusters, for clusters generators. */
  clusters: ClusterSpec[];
  /** Where git generators read folders and files. */
  git: GitFiles;
  /** Go template engine; shared/appset/go-template.ts unless given. */
  renderGoTemplates?: RenderGoTemplates;
}

/** Argo CD's finalizer that makes deleting an Application delete its resources. */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

export async function generateApplications(set: ApplicationSetSpec, context: GenerationContext): Promise<GeneratedApplication[]> {
  const render = stringRenderer({ goTemplate: set.goTemplate, goTemplateOptions: set.goTemplateOptions, renderGoTemplates: context.renderGoTemplates });
  const generatorContext: GeneratorContext = { set, clusters: context.clusters, git: context.git, render };
  // Every generator's parameters first; then every template string of every generator (and
  // the templatePatch) is requested in the same turn of the event loop, so that goTemplate
  // renders the whole set in ONE helm run.
  const evaluated = await Promise.all(
    (set.generators as GeneratorEntry[]).map(async (entry, index) => {
      const where = `generators[${index}]`;
      const params = await evaluateEntry(entry, where, generatorContext);
      const type = generatorType(entry);
      const own = (entry[type] as { template?: GeneratorTemplate }).template as Record<string, unknown> | undefined;
      return { params, template: mergeTemplate(own, set.template), templateField: own ? `${where}.${type}.template` : 'template' };
    }),
  );
  const total = evaluated.reduce((sum, { params }) => sum + params.length, 0);
  if (total > MAX_PARAMETER_SETS) throw new GeneratorError(set, 'generators', tooMany(total));
  const groups = await Promise.all(
    evaluated.map(async ({ params, template, templateField }) => {
      const [rendered, patches] = await Promise.all([renderGroup(set, template, params, render, templateField), renderPatches(set, params, render)]);
      return { where: templateField, params, rendered: rendered.map((app, position) => ({ ...app, patch: patches?.[position] })) };
    }),
  );
  const apps: GeneratedApplication[] = [];
  const seen = new Map<string, Params>();
  for (const group of groups) {
    group.rendered.forEach((rendered, index) => {
      const params = group.params[index];
      const app = toApplication(set, rendered, params, group.where);
      const earlier = seen.get(app.name);
      if (earlier) throw new DuplicateApplicationError(set, app.name, earlier, params);
      seen.set(app.name, params);
      apps.push(app);
    });
  }
  return apps;
}

interface RenderedApp {
  rendered: unknown;
  /** The templatePatch rendered for the same parameters, when the set has one. */
  patch?: string;
}

async function renderGroup(
  set: ApplicationSetSpec,
  template: Record<string, unknown>,
  paramSets: Params[],
  render: StringRenderer,
  where: string,
): Promise<RenderedApp[]> {
  if (paramSets.length === 0) return [];
  const written = { metadata: template.metadata ?? {}, spec: template.spec ?? {} };
  let rendered: unknown[];
  try {
    const compiled = compileTemplate(written, set.goTemplate);
    // Argo CD renders nothing for an empty parameter set: the template as written.
    const filled = paramSets.filter((params) => Object.keys(params).length > 0);
    rendered = await renderTemplate(compiled, filled, set.goTemplate, render);
  } catch (error) {
    if (error instanceof AppSetInputError) throw new TemplateError(set, where, error.message, { cause: error });
    throw error;
  }
  let cursor = 0;
  return paramSets.map((params) => ({ rendered: Object.keys(params).length > 0 ? rendered[cursor++] : structuredClone(written) }));
}

/** The set's templatePatch rendered for each parameter set (in the same batch as the templates when rendered alongside them). */
async function renderPatches(set: ApplicationSetSpec, paramSets: Params[], render: StringRenderer): Promise<string[] | undefined> {
  const patch = set.templatePatch;
  if (patch === undefined || paramSets.length === 0) return undefined;
  try {
    return await render(paramSets.map((params) => ({ template: patch, params })));
  } catch (error) {
    if (error instanceof AppSetInputError) throw new TemplateError(set, 'spec.templatePatch', error.message, { cause: error });
    throw error;
  }
}

function toApplication(set: ApplicationSetSpec, app: RenderedApp, params: Params, where: string): GeneratedApplication {
  const { metadata, spec } = app.rendered as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
  const outMetadata: Record<string, unknown> = { name: metadata.name };
  if (isPlainObject(metadata.labels) && Object.keys(metadata.labels).length > 0) outMetadata.labels = metadata.labels;
  if (isPlainObject(metadata.annotations) && Object.keys(metadata.annotations).length > 0) outMetadata.annotations = metadata.annotations;
  const finalizers = Array.isArray(metadata.finalizers) ? metadata.finalizers : [];
  const emptyParams = Object.keys(params).length === 0;
  if (finalizers.length > 0) outMetadata.finalizers = finalizers;
  else if (!set.preserveResourcesOnDeletion && !emptyParams) outMetadata.finalizers = [RESOURCES_FINALIZER];
  let object: Record<string, unknown> = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: outMetadata, spec };
  // As Argo CD: the patch applies to the rendered Application, finalizer included.
  if (app.patch !== undefined) {
    try {
      object = applyTemplatePatch(object, app.patch);
    } catch (error) {
      if (isBadInput(error))
        throw new TemplateError(set, 'spec.templatePatch', `for the parameters ${JSON.stringify(params)}: ${(error as Error).message}`, { cause: error });
      throw error;
    }
  }
  const name = (object.metadata as Record<string, unknown> | undefined)?.name;
  if (typeof name !== 'string' || name === '') {
    throw new TemplateError(set, `${where}.metadata.name`, `renders to an empty name for the parameters ${JSON.stringify(params)}`);
  }
  const destination = isPlainObject(object.spec) && isPlainObject(object.spec.destination) ? object.spec.destination : undefined;
  if (destination && destination.server === '' && (destination.name === undefined || destination.name === '')) {
    throw new TemplateError(
      set,
      `${where}.spec.destination.server`,
      `renders empty for Application ${name} (a Cluster reached by eks or kubeconfig has no spec.server): use destination name: '{{name}}' instead`,
    );
  }
  return { name, object };
}
