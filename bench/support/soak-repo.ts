// The soak's Git side: one local repository that is both the config repo (the registry under
// driftless/) and the apps' source, as in local mode's example; a commit per push that changes
// one app; and the signed push delivery local mode's post-commit hook would send for it.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { postWebhook } from '../../local/post-webhook.ts';
import { localPush, type LocalPush } from '../../local/push-event.ts';

const run = promisify(execFile);
const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Driftless soak',
  GIT_AUTHOR_EMAIL: 'soak@driftless.invalid',
  GIT_COMMITTER_NAME: 'Driftless soak',
  GIT_COMMITTER_EMAIL: 'soak@driftless.invalid',
};

export const CLUSTER = 'local';
/** The ConfigMap whose `push` field tells which push of its app an object is at. */
export const STATE_CONFIGMAP = 'soak-state';
/** The push number of the first commit, which holds every app. */
export const INITIAL_PUSH = -1;

export function appName(index: number): string {
  return `app-${String(index).padStart(2, '0')}`;
}

/** Every fifth app carries a named PreSync hook Job, deleted and created again on every sync. */
function hasHook(app: number): boolean {
  return app % 5 === 0;
}

function application(repo: string, app: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: ${app} }
spec:
  project: default
  source: { repoURL: ${repo}, targetRevision: main, path: apps/${app} }
  destination: { name: ${CLUSTER}, namespace: ${app} }
  syncPolicy:
    automated: { prune: true, selfHeal: true }
    syncOptions: [CreateNamespace=true]
    retry: { limit: 5, backoff: { duration: 1s, factor: 2, maxDuration: 16s } }
`;
}

/** An app's files at push `push`: the ConfigMap and the Deployment's pod template carry the number. */
function appFiles(app: number, push: number): Record<string, string> {
  const name = appName(app);
  const files: Record<string, string> = {
    [`apps/${name}/config.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${STATE_CONFIGMAP} }\ndata: { app: ${name}, push: "${push}" }\n`,
    [`apps/${name}/deploy.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web }, annotations: { soak.driftless.io/push: "${push}" } }
    spec: { containers: [{ name: web, image: "nginx:1.27" }] }
`,
    [`apps/${name}/service.yaml`]: 'apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { selector: { app: web }, ports: [{ port: 80 }] }\n',
  };
  if (hasHook(app)) {
    files[`apps/${name}/hook.yaml`] = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations: { argocd.argoproj.io/hook: PreSync }
spec:
  template:
    spec: { restartPolicy: Never, containers: [{ name: migrate, image: "busybox:1.37", command: [sh, -c, "true"] }] }
`;
  }
  return files;
}

export interface SoakRepo {
  dir: string;
  /** The first commit: the registry (one cluster, every app) and every app at INITIAL_PUSH. */
  initialise(apps: number, kubeContext: string): Promise<string>;
  /** Commits push `push` of app number `app`; returns the push as the webhook sees it. */
  commitPush(app: number, push: number): Promise<LocalPush>;
}

export async function createSoakRepo(dir: string): Promise<SoakRepo> {
  const git = async (...args: string[]) => (await run('git', args, { cwd: dir, env: GIT_ENV })).stdout.trim();
  const write = async (files: Record<string, string>) => {
    for (const [file, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), text);
    }
  };
  await mkdir(dir, { recursive: true });
  await git('init', '--quiet', '--initial-branch=main');
  return {
    dir,
    async initialise(apps, kubeContext) {
      const files: Record<string, string> = {
        'driftless/cluster.yaml': `apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: ${CLUSTER} }\nspec:\n  kubeconfig: { context: ${kubeContext} }\n`,
      };
      for (let app = 0; app < apps; app++)
        Object.assign(files, { [`driftless/apps/${appName(app)}.yaml`]: application(dir, appName(app)) }, appFiles(app, INITIAL_PUSH));
      await write(files);
      await git('add', '--all');
      await git('commit', '--quiet', '-m', `soak: registry and ${apps} apps`);
      return git('rev-parse', 'HEAD');
    },
    async commitPush(app, push) {
      await write(appFiles(app, push));
      await git('add', '--all');
      await git('commit', '--quiet', '-m', `soak: push ${push} of ${appName(app)}`);
      return localPush(dir);
    },
  };
}

/** Posts a push as GitHub does (local/post-webhook.ts); a delivery that got no answer is status 0, as a failed delivery is on GitHub's side too. */
export async function deliverPush(url: string, secret: string, payload: unknown, deliveryId: string = randomUUID()): Promise<{ status: number; body: string }> {
  return postWebhook(url, secret, 'push', payload, deliveryId).catch((error: unknown) => ({ status: 0, body: (error as Error).message }));
}
