// A Helm chart rendered with `helm template` on a folder already on disk (a checked-out tree,
// or a chart the chart fetcher unpacked): value files must lie inside the repository (or the
// chart), or inside a ref source's tree when written `$<ref>/path`; nothing is fetched, and
// dependencies must already be under charts/. Each object remembers the template it came from
// (helm's `# Source:`).
import { realpath, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HelmTemplateError, ManifestSyntaxError, MissingChartDependencyError, RenderOptionsError } from './errors.ts';
import { runTool } from './exec.ts';
import { helmTemplateArgs } from './helm-args.ts';
import { parseYamlStream } from './parse.ts';
import { tooManyBytes } from './limits.ts';
import { isFile, isInside, repoPath, toPosix } from './paths.ts';
import { chartSecrets } from './chart-secrets.ts';
import { toolFailureDetail } from './tool-failure.ts';
import { validReleaseName } from './release-name.ts';
import type { AppLocation } from './paths.ts';
import type { ClusterInfo, HelmOptions, RawDocument, SourceOutput } from './types.ts';

export interface HelmRender {
  app: AppLocation;
  appName: string;
  destinationNamespace: string;
  options?: HelmOptions;
  cluster?: ClusterInfo;
  scratch: string;
  /** Ref sources' tree roots by ref name, for `$<ref>/path` value files. */
  refs?: ReadonlyMap<string, string>;
}

export async function renderHelm(render: HelmRender): Promise<SourceOutput> {
  const { app, options = {}, cluster = {} } = render;
  const chartFile = repoPath(app.path, 'Chart.yaml');
  const valueFiles = await resolveValueFiles(app, options, render.refs ?? new Map());
  const inline = await writeInlineValues(options.values, render.scratch);
  if (inline) valueFiles.push(inline);
  const args = helmTemplateArgs({
    releaseName: options.releaseName
      ? validReleaseName(options.releaseName, 'spec.source.helm.releaseName')
      : validReleaseName(render.appName, 'the application name (the default release name; set spec.source.helm.releaseName)'),
    chartDir: app.dir,
    namespace: options.namespace || render.destinationNamespace,
    valueFiles,
    skipCrds: options.skipCrds ?? false,
    skipTests: options.skipTests ?? false,
    kubeVersion: options.kubeVersion || cluster.kubeVersion,
    apiVersions: options.apiVersions ?? cluster.apiVersions ?? [],
    parameters: options.parameters ?? [],
  });
  const outcome = await runTool('helm', args, { cwd: app.dir, scratch: render.scratch });
  if (!outcome.ok) {
    if (outcome.outputTooLarge) throw tooManyBytes(chartFile, 'renders manifests');
    const detail = toolFailureDetail(outcome.message, { roots: [app.root], secrets: await chartSecrets(app.dir), prefix: /^Error: / });
    if (/missing in charts\/ directory/.test(detail)) throw new MissingChartDependencyError(chartFile, detail);
    throw new HelmTemplateError(chartFile, detail);
  }
  return { documents: toDocuments(outcome.stdout, app.path, chartFile), skippedFiles: [] };
}

async function resolveValueFiles(app: AppLocation, options: HelmOptions, refs: ReadonlyMap<string, string>): Promise<string[]> {
  const files: string[] = [];
  for (const valueFile of options.valueFiles ?? []) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(valueFile)) {
      throw new RenderOptionsError(`value file "${valueFile}" is a URL; rendering is offline, so commit the file and name its path`);
    }
    const { path, root, shown } = valueFilePath(app, valueFile, refs);
    if (!isInside(path, root)) {
      throw new RenderOptionsError(`value file "${valueFile}" resolves to outside ${shown}; use a file inside ${root === app.root ? 'the repository' : 'it'}`);
    }
    if (!(await isFile(path))) {
      if (options.ignoreMissingValueFiles) continue;
      throw new RenderOptionsError(
        `value file "${valueFile}" (${toPosix(path.slice(root.length + 1))}${root === app.root ? '' : ` in ${shown}`}) does not exist; fix the path or set ignoreMissingValueFiles`,
      );
    }
    // The tree was checked for escaping symlinks, a ref source's too; the real path says so again.
    if (!isInside(await realpath(path), root)) {
      throw new RenderOptionsError(`value file "${valueFile}" is a symlink to outside ${shown}; use a file inside it`);
    }
    files.push(path);
  }
  return files;
}

/**
 * As in Argo CD: `$<ref>/path` is relative to the ref source's root, a relative path to the
 * app path, and an absolute one to the repository root (the chart's root for a chart).
 */
function valueFilePath(app: AppLocation, valueFile: string, refs: ReadonlyMap<string, string>): { path: string; root: string; shown: string } {
  if (valueFile.startsWith('$')) {
    const slash = valueFile.indexOf('/');
    const ref = valueFile.slice(1, slash === -1 ? undefined : slash);
    const root = refs.get(ref);
    // The registry refuses a `$ref` naming no ref source; this is a render without the registry's checks.
    if (root === undefined) throw new RenderOptionsError(`value file "${valueFile}" names ref source "${ref}", which the app does not have`);
    return { path: resolve(root, '.' + valueFile.slice(slash === -1 ? valueFile.length : slash)), root, shown: `the repository of ref source "${ref}"` };
  }
  const path = valueFile.startsWith('/') ? resolve(app.root, '.' + valueFile) : resolve(app.dir, valueFile);
  return { path, root: app.root, shown: 'the repository root' };
}

async function writeInlineValues(values: HelmOptions['values'], scratch: string): Promise<string | undefined> {
  if (values === undefined || values === '') return undefined;
  if (typeof values === 'object' && Object.keys(values).length === 0) return undefined;
  const path = join(scratch, 'inline-values.yaml');
  // JSON is valid YAML and cannot be misread, whatever the strings contain.
  await writeFile(path, typeof values === 'string' ? values : JSON.stringify(values));
  return path;
}

function toDocuments(output: string, appPath: string, chartFile: string): RawDocument[] {
  let parsed;
  try {
    parsed = parseYamlStream(output, chartFile);
  } catch (error) {
    // Lines of helm's output mean nothing to the user; the template name does.
    const template = error instanceof ManifestSyntaxError ? templateAround(output, error.line) : undefined;
    const where = template ? ` in ${repoPath(appPath, template)}` : '';
    throw new HelmTemplateError(chartFile, `rendered invalid YAML${where}: ${(error as Error).message}`, { cause: error });
  }
  const perTemplate = new Map<string, number>();
  const documents: RawDocument[] = [];
  for (const document of parsed) {
    if (document.value === null) continue;
    const template = document.helmSource ? withinChart(document.helmSource) : undefined;
    const file = template ? repoPath(appPath, template) : chartFile;
    const index = (perTemplate.get(file) ?? 0) + 1;
    perTemplate.set(file, index);
    documents.push({ value: document.value, source: { file, document: index } });
  }
  return documents;
}

/** `mychart/templates/a.yaml` → `templates/a.yaml`: the chart's name is not its folder's. */
function withinChart(source: string): string {
  const slash = source.indexOf('/');
  return slash === -1 ? source : source.slice(slash + 1);
}

function templateAround(output: string, line: number | undefined): string | undefined {
  if (line === undefined) return undefined;
  const before = output.split('\n').slice(0, line).reverse();
  const source = before.map((text) => /^# Source: (.+)$/.exec(text)?.[1]).find(Boolean);
  return source ? withinChart(source.trim()) : undefined;
}
