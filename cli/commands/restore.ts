// `driftless restore`: rebuild the state table from Git (the registry) and the clusters (the
// tracking annotations of live objects), after the table was lost. The work is in
// shared/restore; this file builds its dependencies from the resolved backend and prints.
import { S3Client } from '@aws-sdk/client-s3';
import { Octokit } from '@octokit/rest';
import type { ClusterSpec } from '../../shared/config/types.ts';
import { isBadInput } from '../../shared/errors/bad-input.ts';
import type { KubeClient } from '../../shared/kube/client.ts';
import { targetId } from '../../shared/queue/job.ts';
import { MemoryRenderCache } from '../../shared/restore/memory-render-cache.ts';
import { restore, type RestoreDependencies, type RestoreReport } from '../../shared/restore/restore.ts';
import { TableNotEmptyError } from '../../shared/restore/errors.ts';
import { clusterConnector, gitHub, loadGitHubSecret, sourceFetcher, type Environment } from '../../shared/runtime/environment.ts';
import { S3RenderCache } from '../../shared/storage/s3-render-cache.ts';
import type { Command } from '../main.ts';
import type { Backend } from '../ops/backend.ts';
import { BACKEND_HELP, jsonOutput, onBackend } from '../ops/command.ts';
import { RefusedError } from '../../shared/operations/errors.ts';
import { EXIT, OpsError } from '../ops/errors.ts';
import { backendFlags } from '../ops/flags.ts';
import { oneLine, palette, printJson, shortSha, statusColour, table, type Palette } from '../ops/output.ts';
import { UsageError } from '../errors.ts';
import { parseFlags } from '../options.ts';

const help = `Usage: driftless restore [--force] [--config-repo URL] [--branch B] [--dir D] [--output json]

Rebuilds the state table after it was lost: the registry from the config repository at the head
of its branch, and for every app on every cluster the namespace, inventory, health and revision
from what is on the cluster (the objects carrying the app's tracking id, one LIST per kind),
compared with the app's render at its branch head. A target found as that commit renders it is
Synced at it; one that differs is OutOfSync without a revision, and its next sync (a push, or
for an automated app the schedule's missed-push check) applies the head. Each restored target
gets a history entry with the trigger "restored". Nothing is written to a cluster, and nothing
that is already as found: a second run writes nothing.

  --force           also write into a table that holds state (refused otherwise: exit 2)
  --config-repo URL the repository holding the registry (default CONFIG_REPO_URL; local mode:
                    the repository npm start serves, .driftless/example unless --config-repo)
  --branch B        its branch (default CONFIG_REPO_BRANCH, else main)
  --dir D           the registry's folder in it (default CONFIG_DIR, else driftless)

Exit 0 when every target was restored or already as found, 1 when a cluster or source could not
be read (those targets are left out; run again with --force once they can), 2 when refused.
${BACKEND_HELP}`;

const flags = { ...backendFlags, force: { type: 'boolean' }, 'config-repo': { type: 'string' }, branch: { type: 'string' }, dir: { type: 'string' } } as const;

export const restoreCommand: Command = {
  async run(args) {
    const { values } = parseFlags(args, flags);
    if (values.help) {
      process.stdout.write(help);
      return 0;
    }
    const json = jsonOutput(values);
    return onBackend('restore', values, async (backend) => {
      const env = backend.endpoints.env;
      const repoURL = values['config-repo'] ?? env.CONFIG_REPO_URL;
      if (!repoURL) throw new UsageError('--config-repo URL is required: the repository holding the registry (CONFIG_REPO_URL is not set for this backend)');
      const configRepo = { repoURL, branch: values.branch ?? env.CONFIG_REPO_BRANCH ?? 'main', dir: values.dir ?? env.CONFIG_DIR ?? 'driftless' };
      const clients: Array<Promise<KubeClient>> = [];
      const connect = clusterConnector(env);
      const s3 = env.RENDER_BUCKET ? s3Client(backend) : undefined;
      const deps: RestoreDependencies = {
        store: backend.store,
        sources: await sources(env, backend.endpoints.source === 'local'),
        renders: s3 && env.RENDER_BUCKET ? new S3RenderCache({ client: s3, bucket: env.RENDER_BUCKET }) : new MemoryRenderCache(),
        connect: (cluster: ClusterSpec) => {
          const client = connect(cluster);
          clients.push(client);
          return client;
        },
        configRepo,
        tableName: `the state table ${env.STATE_TABLE ?? ''} (${backend.endpoints.description})`,
      };
      try {
        const report = await restore(deps, { force: values.force === true });
        if (json) printJson(report);
        else process.stdout.write(formatRestore(report, palette()));
        return report.targets.some((target) => target.outcome === 'failed') ? EXIT.failed : EXIT.ok;
      } catch (error) {
        if (error instanceof TableNotEmptyError) throw new RefusedError(error.message, { cause: error });
        // The registry or the config repository is the user's to fix.
        if (isBadInput(error)) throw new OpsError(`${configRepo.repoURL} at ${configRepo.branch}: ${error.message}`, EXIT.usage, { cause: error });
        throw error;
      } finally {
        for (const client of await Promise.allSettled(clients)) if (client.status === 'fulfilled') client.value.close();
        s3?.destroy();
      }
    });
  },
};

export function formatRestore(report: RestoreReport, p: Palette): string {
  const { registry } = report;
  const head = `Registry at ${shortSha(registry.revision)}: ${count(registry.apps, 'app')}, ${count(registry.clusters, 'cluster')} (${registry.written ? 'written' : 'unchanged'}).\n`;
  if (report.targets.length === 0) return `${head}No app is deployed to a registered cluster.\n`;
  const rows = report.targets.map((target) => [
    targetId(target.app, target.cluster),
    target.outcome === 'failed' ? p.red(target.outcome) : target.outcome,
    target.syncStatus ? statusColour(p, target.syncStatus) : '',
    shortSha(target.revision),
    target.outcome === 'failed' ? '' : String(target.objects),
    oneLine(target.message, 120),
  ]);
  return head + table(['TARGET', 'RESULT', 'STATUS', 'REVISION', 'OBJECTS', 'MESSAGE'], rows, p);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * GitHub as the worker reads it (the stack's GitHub secret when readable, else anonymously:
 * public repositories still fetch), and repositories on this machine in local mode, whose
 * sources are folders here (elsewhere a folder repoURL is refused, as the worker refuses it).
 */
async function sources(env: Environment, local: boolean): Promise<RestoreDependencies['sources']> {
  const anonymous = () => new Octokit({ userAgent: 'driftless', ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) });
  let octokit: Octokit;
  try {
    octokit = gitHub(env, await loadGitHubSecret(env)) ?? anonymous();
  } catch {
    octokit = anonymous();
  }
  return sourceFetcher(octokit, { ...env, LOCAL_REPOSITORIES: local ? 'allow' : env.LOCAL_REPOSITORIES });
}

/** For the render bucket, with the backend's region and keys and its own endpoint (local mode's come from a file). */
function s3Client(backend: Backend): S3Client {
  const endpoint = backend.endpoints.env.AWS_ENDPOINT_URL_S3;
  return new S3Client({ ...backend.aws, endpoint, forcePathStyle: Boolean(endpoint) });
}
