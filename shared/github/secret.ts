// The GitHub connection secret (Secrets Manager or a local file): the webhook secret plus
// either a token or a GitHub App installation. Errors name fields, never their values.

import { z } from 'zod';
import { GitHubSecretError } from './errors.ts';
import type { GitHubAuth } from './client.ts';

// App and installation ids are numbers on GitHub; people write them either way.
const id = z.union([z.string().min(1), z.number().int().positive()]).transform(String);

const schema = z
  .object({
    webhookSecret: z.string().min(1),
    token: z.string().min(1).optional(),
    appId: id.optional(),
    privateKey: z.string().min(1).optional(),
    installationId: id.optional(),
  })
  .strict();

export type GitHubSecret = z.output<typeof schema>;

const APP_FIELDS = ['appId', 'privateKey', 'installationId'] as const;

export function parseGitHubSecret(json: string): GitHubSecret {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    // JSON.parse's message quotes the text around the error: it would leak the secret.
    throw new GitHubSecretError('GitHub secret is not valid JSON');
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${describe(issue)}`);
    throw new GitHubSecretError(`GitHub secret is invalid: ${problems.join('; ')}`);
  }
  const secret = result.data;
  const appFields = APP_FIELDS.filter((field) => secret[field] !== undefined);
  if (secret.token !== undefined && appFields.length > 0) {
    throw new GitHubSecretError('GitHub secret has both token and GitHub App fields: keep one way to authenticate');
  }
  // Only the webhook secret is fine for local repositories (local mode): no GitHub calls then.
  if (secret.token === undefined && appFields.length > 0 && appFields.length !== APP_FIELDS.length) {
    const missing = APP_FIELDS.filter((field) => secret[field] === undefined);
    throw new GitHubSecretError(`GitHub App credentials need all of appId, privateKey, installationId (missing: ${missing.join(', ')})`);
  }
  if (secret.privateKey !== undefined) secret.privateKey = unescapeNewlines(secret.privateKey);
  return secret;
}

/** The credentials for createGitHubClient. */
export function gitHubAuth(secret: GitHubSecret): GitHubAuth {
  if (secret.token !== undefined) return { token: secret.token };
  return { appId: secret.appId!, privateKey: secret.privateKey!, installationId: secret.installationId! };
}

// Zod's own messages for these checks carry no input values, but unknown keys are named
// by the key only, so both are safe; anything else gets a generic wording.
function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'too_small':
      return 'must not be empty';
    case 'unrecognized_keys':
      return `unknown field(s) ${issue.keys.join(', ')}`;
    default:
      return 'invalid value';
  }
}

// A PEM pasted into a one-line JSON value often arrives with literal "\n" sequences.
function unescapeNewlines(pem: string): string {
  return pem.includes('\n') ? pem : pem.replace(/\\n/g, '\n');
}
