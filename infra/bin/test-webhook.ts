// The deploy pipeline's end-to-end check: sends a freshly deployed stack a push webhook signed
// as GitHub signs it, and waits until every target it queued has a finished commit status
// newer than the push. Run after `cdk deploy --outputs-file`:
//
//   node infra/bin/test-webhook.ts --outputs cdk-outputs.json --stack DriftlessStaging \
//     --repo https://github.com/acme/smoke-app --branch main [--sha <sha>] [--timeout 900]
//
// The webhook secret is read from Secrets Manager (the stack's WebhookSecretArn output) with
// the caller's AWS credentials, the statuses from GitHub with GITHUB_TOKEN; neither is printed.
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export interface TestPush {
  repoURL: string;
  branch: string;
  sha: string;
}

/** A push payload with the fields the webhook reads; no file list, so every app on the branch matches. */
export function testPushBody(push: TestPush): string {
  const slug = githubSlug(push.repoURL);
  return JSON.stringify({
    ref: `refs/heads/${push.branch}`,
    before: '0'.repeat(40),
    after: push.sha,
    created: false,
    deleted: false,
    forced: false,
    repository: {
      full_name: slug,
      clone_url: `https://github.com/${slug}.git`,
      html_url: `https://github.com/${slug}`,
      default_branch: push.branch,
    },
    head_commit: { id: push.sha, message: 'Driftless deploy pipeline: test webhook' },
    pusher: { name: 'driftless-deploy-pipeline' },
  });
}

/** X-Hub-Signature-256 as GitHub computes it: HMAC-SHA256 of the raw body, hex. */
export function signature256(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function githubSlug(repoURL: string): string {
  const match = /^https:\/\/github\.com\/([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(repoURL);
  if (!match) throw new Error(`--repo "${repoURL}" is not a github.com repository URL (https://github.com/owner/name).`);
  return match[1];
}

export interface WebhookAnswer {
  status: number;
  targets: string[];
  message: string;
}

/** POSTs the signed push; the webhook answers 202 with the targets it queued. */
export async function sendTestPush(url: string, secret: string, push: TestPush): Promise<WebhookAnswer> {
  const body = testPushBody(push);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': signature256(secret, body),
      'user-agent': 'GitHub-Hookshot/driftless-deploy-pipeline',
    },
    body,
  });
  const text = await response.text();
  let answer: { message?: string; targets?: string[] } = {};
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    answer = { message: text.slice(0, 200) };
  }
  return { status: response.status, targets: answer.targets ?? [], message: answer.message ?? '' };
}

export interface StatusWait {
  /** GitHub API base, `https://api.github.com` unless testing. */
  apiUrl: string;
  token: string;
  repoURL: string;
  sha: string;
  /** `app@cluster` targets the webhook queued; their contexts are `driftless/<target>`. */
  targets: string[];
  /** Statuses older than this are a previous run's. */
  since: Date;
  timeoutMs: number;
  pollMs?: number;
  log?: (line: string) => void;
}

export type FinalState = 'success' | 'failure' | 'error';

/** Polls the commit's statuses until each target's newest one (after `since`) is final, or the time is up. */
export async function waitForStatuses(wait: StatusWait): Promise<Record<string, FinalState>> {
  const slug = githubSlug(wait.repoURL);
  const deadline = Date.now() + wait.timeoutMs;
  const contexts = new Map(wait.targets.map((target) => [`driftless/${target}`, target]));
  const final: Record<string, FinalState> = {};
  for (;;) {
    const response = await fetch(`${wait.apiUrl}/repos/${slug}/commits/${wait.sha}/statuses?per_page=100`, {
      headers: { accept: 'application/vnd.github+json', authorization: `Bearer ${wait.token}`, 'x-github-api-version': '2022-11-28' },
    });
    if (!response.ok)
      throw new Error(`GitHub answered ${response.status} for the statuses of ${slug}@${wait.sha.slice(0, 7)}: ${(await response.text()).slice(0, 200)}`);
    // Newest first, as GitHub lists them.
    const statuses = (await response.json()) as Array<{ context: string; state: string; created_at: string; description?: string }>;
    for (const [context, target] of contexts) {
      if (final[target]) continue;
      const newest = statuses.find((status) => status.context === context && new Date(status.created_at) >= wait.since);
      if (newest && newest.state !== 'pending') {
        final[target] = newest.state as FinalState;
        wait.log?.(`${context}: ${newest.state} (${newest.description ?? ''})`);
      }
    }
    if (Object.keys(final).length === contexts.size) return final;
    if (Date.now() >= deadline) {
      const missing = [...contexts.values()].filter((target) => !final[target]);
      throw new Error(`no final commit status within ${Math.round(wait.timeoutMs / 1000)} s for ${missing.join(', ')} on ${slug}@${wait.sha.slice(0, 7)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, wait.pollMs ?? 10_000));
  }
}

/** The stack's outputs from `cdk deploy --outputs-file`, by the prefix of their logical id. */
export function stackOutputs(file: string, stack: string): { webhookUrl: string; webhookSecretArn: string } {
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>;
  const outputs = all[stack];
  if (!outputs) throw new Error(`${file} has no outputs for stack "${stack}" (it has: ${Object.keys(all).join(', ') || 'none'}).`);
  const find = (prefix: string): string => {
    const key = Object.keys(outputs).find((name) => name.startsWith(prefix));
    if (!key) throw new Error(`${file}: stack "${stack}" has no output ${prefix}…`);
    return outputs[key];
  };
  return { webhookUrl: find('DriftlessWebhookUrl'), webhookSecretArn: find('WebhookSecretArn') };
}

async function branchHead(apiUrl: string, token: string, repoURL: string, branch: string): Promise<string> {
  const slug = githubSlug(repoURL);
  const response = await fetch(`${apiUrl}/repos/${slug}/commits/${encodeURIComponent(branch)}`, {
    headers: { accept: 'application/vnd.github.sha', authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`GitHub answered ${response.status} for the head of ${slug} ${branch}.`);
  return (await response.text()).trim();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      outputs: { type: 'string', default: 'cdk-outputs.json' },
      stack: { type: 'string' },
      repo: { type: 'string' },
      branch: { type: 'string', default: 'main' },
      sha: { type: 'string' },
      timeout: { type: 'string', default: '900' },
    },
  });
  if (!values.stack || !values.repo)
    throw new Error(
      'usage: test-webhook.ts --stack <name> --repo https://github.com/owner/name [--branch main] [--sha <sha>] [--outputs cdk-outputs.json] [--timeout 900]',
    );
  const token = process.env.GITHUB_TOKEN;
  if (!token) throw new Error('GITHUB_TOKEN is not set: the commit statuses are read with it.');
  const apiUrl = process.env.GITHUB_API_URL ?? 'https://api.github.com';

  const { webhookUrl, webhookSecretArn } = stackOutputs(values.outputs, values.stack);
  const secretValue = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: webhookSecretArn }));
  const secret = (JSON.parse(secretValue.SecretString ?? '{}') as { webhookSecret?: string }).webhookSecret;
  if (!secret) throw new Error(`the webhook secret ${webhookSecretArn} holds no "webhookSecret".`);

  const sha = values.sha ?? (await branchHead(apiUrl, token, values.repo, values.branch));
  const push = { repoURL: values.repo, branch: values.branch, sha };
  // GitHub's clock and ours differ by a little; a status from before the push is older still.
  const since = new Date(Date.now() - 5_000);
  const answer = await sendTestPush(webhookUrl, secret, push);
  console.log(`webhook answered ${answer.status}: ${answer.message}`);
  if (answer.status !== 202 || answer.targets.length === 0) {
    throw new Error(
      `the test push of ${githubSlug(values.repo)}@${sha.slice(0, 7)} queued no sync (${answer.status}): check that an app of the staging registry tracks ${values.repo} ${values.branch}.`,
    );
  }
  const results = await waitForStatuses({
    apiUrl,
    token,
    repoURL: values.repo,
    sha,
    targets: answer.targets,
    since,
    timeoutMs: Number(values.timeout) * 1000,
    log: console.log,
  });
  const failed = Object.entries(results).filter(([, state]) => state !== 'success');
  if (failed.length > 0) throw new Error(`the test push did not sync: ${failed.map(([target, state]) => `${target} ${state}`).join(', ')}`);
  console.log(`all ${answer.targets.length} target(s) synced ${sha.slice(0, 7)}`);
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    console.error((error as Error).message);
    process.exitCode = 1;
  });
}
