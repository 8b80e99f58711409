// `driftless preview --base REF --head REF`: what merging a change would do to the registered
// clusters, from a checkout of the repository, without GitHub: the PR check run's preview
// (shared/preview) with the refs resolved, and the changed files listed, by git in the checkout.
import { Octokit } from '@octokit/rest';
import type { Registry } from '../../shared/config/types.ts';
import { watchedSources } from '../../shared/config/match.ts';
import { repoKey } from '../../shared/config/repo-url.ts';
import type { KubeClient } from '../../shared/kube/client.ts';
import { changeCount } from '../../shared/preview/change-count.ts';
import { CheckoutFetcher, NotACheckoutError, openCheckout } from '../../shared/preview/checkout.ts';
import { preview } from '../../shared/preview/preview.ts';
import type { PreviewReport } from '../../shared/preview/types.ts';
import { MemoryRenderCache } from '../../shared/restore/memory-render-cache.ts';
import { chartFetcher, clusterConnector, gitHub, loadGitHubSecret, sourceFetcher, type Environment } from '../../shared/runtime/environment.ts';
import type { SourceFetcher } from '../../shared/source/fetcher.ts';
import { RevisionNotFoundError } from '../../shared/source/errors.ts';
import { UsageError } from '../errors.ts';
import type { Command } from '../main.ts';
import { parseFlags } from '../options.ts';
import { BACKEND_HELP, jsonOutput, onBackend } from '../ops/command.ts';
import { EXIT_CODES_HELP } from '../ops/errors.ts';
import { backendFlags } from '../ops/flags.ts';
import { palette, printJson, type Palette } from '../ops/output.ts';

const help = `Usage: driftless preview --base REF [--head REF] [--app APP] [--checkout DIR] [--output json]

Previews what merging HEAD into BASE would do to the registered clusters, as the "Driftless
preview" check run does for a pull request: for each app whose watched paths the change
touches (the files changed on HEAD since it left BASE, git diff BASE...HEAD, as a pull request
lists them) or APP alone, on each of its clusters, the head is rendered, checked against the
app's project and the registry's admission policies, and dry-run applied on the cluster
(server-side, dryRun=All); the diff of each live object against what the server says it would
become is printed, with what would be created, changed and pruned (what the target's last sync
recorded and the head no longer renders). Secret values are masked as driftless diff masks
them. Nothing is written to any cluster.

REF is anything git understands in the checkout (a branch, a tag, a sha, origin/main); the
commits need not be pushed. The clusters, apps and projects are the backend's registry.

  --base REF        the commit the change is compared from (e.g. main)
  --head REF        the commit with the change (default HEAD)
  --app APP         only this app
  --checkout DIR    the repository checkout (default: the current directory)

Exit 0 when no target would change, 1 when some would, 2 on error (a target that could not be
previewed, bad input, or the backend cannot be reached).
${BACKEND_HELP.replace(EXIT_CODES_HELP, '')}`;

const flags = {
  ...backendFlags,
  base: { type: 'string' },
  head: { type: 'string' },
  app: { type: 'string' },
  checkout: { type: 'string' },
} as const;

export const previewCommand: Command = {
  async run(args) {
    const { values } = parseFlags(args, flags);
    if (values.help) {
      process.stdout.write(help);
      return 0;
    }
    if (!values.base) throw new UsageError('--base REF is required: the commit the change is compared from (e.g. --base main)');
    const json = jsonOutput(values);
    let checkout;
    let base: string;
    let head: string;
    let changedFiles: string[];
    try {
      checkout = await openCheckout(values.checkout ?? process.cwd());
      [base, head] = await Promise.all([checkout.resolve(values.base), checkout.resolve(values.head ?? 'HEAD')]);
      changedFiles = await checkout.changedFiles(base, head);
    } catch (error) {
      if (error instanceof NotACheckoutError || error instanceof RevisionNotFoundError) {
        process.stderr.write(`driftless preview: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
    const code = await onBackend('preview', values, async (backend) => {
      const { registry } = await backend.fleet();
      const env = backend.endpoints.env;
      const repoURL = registryName(registry, await checkout.names(), env.CONFIG_REPO_URL);
      if (!repoURL) {
        process.stderr.write(
          `driftless preview: no app in the registry (${backend.endpoints.description}) has its source in ${checkout.root} or its remotes\n`,
        );
        if (json) printJson({ base, head, targets: [] });
        return 0;
      }
      if (values.app && !registry.apps.some((app) => app.name === values.app)) {
        process.stderr.write(`driftless preview: app ${values.app} is not in the registry (${backend.endpoints.description})\n`);
        return 2;
      }
      const clients: Array<Promise<KubeClient>> = [];
      const connect = clusterConnector(env);
      try {
        const report = await preview(
          { repoURL, base, head, changedFiles, ...(values.app ? { app: values.app } : {}) },
          {
            registry,
            sources: new CheckoutFetcher(repoURL, checkout.root, await others(env, backend.endpoints.source === 'local')),
            charts: chartFetcher(env),
            renders: new MemoryRenderCache(),
            connect: (cluster, role) => {
              const client = connect(cluster, role);
              clients.push(client);
              return client;
            },
            store: backend.store,
            ...(env.CONFIG_REPO_URL ? { configRepo: { repoURL: env.CONFIG_REPO_URL, dir: env.CONFIG_DIR ?? 'driftless' } } : {}),
          },
        );
        if (json) printJson(report);
        else process.stdout.write(formatPreview(report, palette()));
        return exitCode(report);
      } finally {
        for (const client of await Promise.allSettled(clients)) if (client.status === 'fulfilled') client.value.close();
      }
    });
    // The backend's own codes (3: cannot reach it) are errors here, as diff has one code for them.
    return code > 2 ? 2 : code;
  },
};

export function exitCode(report: PreviewReport): number {
  if (report.targets.some((target) => target.error)) return 2;
  return report.targets.some((target) => changeCount(target) > 0) ? 1 : 0;
}

export function formatPreview(report: PreviewReport, p: Palette): string {
  const out: string[] = [];
  for (const note of report.notes ?? []) out.push(`note: ${note}\n`);
  if (report.targets.length === 0) {
    out.push(`No app watches the paths changed from ${report.base.slice(0, 7)} to ${report.head.slice(0, 7)}.\n`);
    return out.join('');
  }
  for (const target of report.targets) {
    const name = `${target.app}@${target.cluster}`;
    if (target.error) {
      const where = target.error.file ? ` (${target.error.file}${target.error.line !== undefined ? `:${target.error.line}` : ''})` : '';
      out.push(`${p.bold(name)}: ${p.red('error')}${where}: ${target.error.message}\n\n`);
      continue;
    }
    out.push(
      `${p.bold(name)}: ${changeCount(target) === 0 ? 'no change' : `${target.create.length} to create, ${target.change.length} to change, ${target.prune.length} to prune`}\n`,
    );
    for (const [label, refs] of [
      ['create', target.create],
      ['change', target.change],
      ['prune', target.prune],
    ] as const) {
      for (const ref of refs) out.push(`  ${label.padEnd(6)}  ${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}\n`);
    }
    for (const verdict of target.verdicts) {
      out.push(`  ${verdict.allowed ? p.yellow('warn  ') : p.red('denied')}  ${verdict.object}: ${verdict.policy}: ${verdict.message}\n`);
    }
    out.push(target.diff === '' ? '\n' : `${target.diff}\n`);
  }
  const failed = report.targets.filter((target) => target.error).length;
  const changing = report.targets.filter((target) => !target.error && changeCount(target) > 0).length;
  out.push(`${report.targets.length} previewed: ${changing} would change${failed > 0 ? `, ${failed} could not be previewed` : ''}. Nothing was applied.\n`);
  return out.join('');
}

/**
 * The registry's spelling of the checkout's repository: the repoURL of the first app source
 * (or the config repository) that is one of the checkout's names, compared as repositories
 * (https, ssh, with or without .git alike).
 */
function registryName(registry: Registry, names: string[], configRepo: string | undefined): string | undefined {
  const keys = new Set(names.map(repoKey));
  const spellings = [...registry.apps.flatMap((app) => watchedSources(app).map((source) => source.repoURL)), ...(configRepo ? [configRepo] : [])];
  return spellings.find((url) => keys.has(repoKey(url)));
}

/**
 * Other repositories (an app's second source): GitHub with the backend's GitHub credentials
 * when they can be read (anonymously else: public repositories still fetch), folders on this
 * machine in local mode, as the worker reads them.
 */
async function others(env: Environment, local: boolean): Promise<SourceFetcher> {
  const octokit = await loadGitHubSecret(env)
    .then((secret) => gitHub(env, secret))
    .catch(() => undefined);
  return sourceFetcher(octokit ?? new Octokit({ userAgent: 'driftless', ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) }), {
    ...env,
    LOCAL_REPOSITORIES: local ? 'allow' : env.LOCAL_REPOSITORIES,
  });
}
