// One ApplicationSet → the Applications it generates, as Argo CD's controller does: each
// generator's parameter sets (generators/), rendered into the generator's template merged over
// the set's (merge-template.ts) — fasttemplate in-process, goTemplate in one helm batch for the
// whole set — then made complete `argoproj.io/v1alpha1` Application documents for the
// registry's Application schema: metadata.name, labels, annotations, finalizers (Argo CD's
// resources finalizer unless the template sets finalizers or the set preserves resources on
// deletion) and spec. The namespace is not kept (Argo CD puts every app in the set's).
// Two parameter sets rendering the same name are an error naming both.
import type { ClusterSpec } from '../config/types.ts';
import { AppSetInputError, DuplicateApplicationError, TemplateError } from './errors.ts';
import type { GeneratorContext, GeneratorEntry, GeneratorTemplate } from './generators/context.ts';
import { evaluateEntry, generatorType } from './generators/evaluate.ts';
import type { GitFiles } from './git-files.ts';
import { mergeTemplate } from './merge-template.ts';
import { isPlainObject } from './params.ts';
import { stringRenderer, type RenderGoTemplates } from './render-strings.ts';
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
  // Together, so that goTemplate strings of every generator share one helm run.
  const groups = await Promise.all(
    (set.generators as GeneratorEntry[]).map(async (entry, index) => {
      const where = `generators[${index}]`;
      const params = await evaluateEntry(entry, where, generatorContext);
      const type = generatorType(entry);
      const own = (entry[type] as { template?: GeneratorTemplate }).template as Record<string, unknown> | undefined;
      const template = mergeTemplate(own, set.template);
      return {
        where: own ? `${where}.${type}.template` : 'template',
        params,
        rendered: await renderGroup(set, template, params, render, own ? `${where}.${type}.template` : 'template'),
      };
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

async function renderGroup(
  set: ApplicationSetSpec,
  template: Record<string, unknown>,
  paramSets: Params[],
  render: ReturnType<typeof stringRenderer>,
  where: string,
): Promise<unknown[]> {
  if (paramSets.length === 0) return [];
  const written = { metadata: template.metadata ?? {}, spec: template.spec ?? {} };
  try {
    const compiled = compileTemplate(written, set.goTemplate);
    // Argo CD renders nothing for an empty parameter set: the template as written.
    const filled = paramSets.filter((params) => Object.keys(params).length > 0);
    const rendered = await renderTemplate(compiled, filled, set.goTemplate, render);
    let cursor = 0;
    return paramSets.map((params) => (Object.keys(params).length > 0 ? rendered[cursor++] : structuredClone(written)));
  } catch (error) {
    if (error instanceof AppSetInputError) throw new TemplateError(set, where, error.message, { cause: error });
    throw error;
  }
}

function toApplication(set: ApplicationSetSpec, rendered: unknown, params: Params, where: string): GeneratedApplication {
  const { metadata, spec } = rendered as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    throw new TemplateError(set, `${where}.metadata.name`, `renders to an empty name for the parameters ${JSON.stringify(params)}`);
  }
  const destination = isPlainObject(spec.destination) ? spec.destination : undefined;
  if (destination && destination.server === '' && (destination.name === undefined || destination.name === '')) {
    throw new TemplateError(
      set,
      `${where}.spec.destination.server`,
      `renders empty for Application ${name} (a Cluster reached by eks or kubeconfig has no spec.server): use destination name: '{{name}}' instead`,
    );
  }
  const outMetadata: Record<string, unknown> = { name };
  if (isPlainObject(metadata.labels) && Object.keys(metadata.labels).length > 0) outMetadata.labels = metadata.labels;
  if (isPlainObject(metadata.annotations) && Object.keys(metadata.annotations).length > 0) outMetadata.annotations = metadata.annotations;
  const finalizers = Array.isArray(metadata.finalizers) ? metadata.finalizers : [];
  const emptyParams = Object.keys(params).length === 0;
  if (finalizers.length > 0) outMetadata.finalizers = finalizers;
  else if (!set.preserveResourcesOnDeletion && !emptyParams) outMetadata.finalizers = [RESOURCES_FINALIZER];
  return { name, object: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: outMetadata, spec } };
}
