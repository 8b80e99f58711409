// The two GitHub secrets (Secrets Manager, or a local file's JSON in local mode), kept apart so
// that the function facing the internet holds nothing that reaches GitHub:
//   the webhook secret   `{ "webhookSecret": "…" }`: the HMAC key GitHub signs deliveries with,
//                        read by the webhook alone;
//   the GitHub secret    `{ "token": "…" }` or `{ "appId", "privateKey", "installationId" }`:
//                        the credentials the worker and the drift scan call GitHub with
//                        (`{}` in local mode without a token: no GitHub calls then).
// Errors name fields, never their values.

import { z } from 'zod';
import { GitHubSecretError } from './errors.ts';
import type { GitHubAuth } from './client.ts';

// App and installation ids are numbers on GitHub; people write them either way.
const id = z.union([z.string().min(1), z.number().int().positive()]).transform(String);

const schema = z
  .object({
    token: z.string().min(1).optional(),
    appId: id.optional(),
    privateKey: z.string().min(1).optional(),
    installationId: id.optional(),
  })
  .strict();

const webhookSchema = z.object({ webhookSecret: z.string().min(1) }).strict();

export type GitHubSecret = z.output<typeof schema>;

/** The HMAC key of the webhook secret's JSON. */
export function parseWebhookSecret(json: string): string {
  const result = webhookSchema.safeParse(parseJson(json, 'webhook secret'));
  if (!result.success) throw new GitHubSecretError(`webhook secret is invalid: ${problemsOf(result.error)}`);
  return result.data.webhookSecret;
}

const APP_FIELDS = ['appId', 'privateKey', 'installationId'] as const;

/** The GitHub credentials of the GitHub secret's JSON. */
export function parseGitHubSecret(json: string): GitHubSecret {
  const raw = parseJson(json, 'GitHub secret');
  if (raw && typeof raw === 'object' && 'webhookSecret' in raw) {
    // The one-secret layout of earlier versions: the webhook must not share a secret with credentials.
    throw new GitHubSecretError(
      'GitHub secret has a webhookSecret: it belongs in the webhook secret (driftless/webhook) now; remove it from the GitHub secret',
    );
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw new GitHubSecretError(`GitHub secret is invalid: ${problemsOf(result.error)}`);
  const secret = result.data;
  const appFields = APP_FIELDS.filter((field) => secret[field] !== undefined);
  if (secret.token !== undefined && appFields.length > 0) {
    throw new GitHubSecretError('GitHub secret has both token and GitHub App fields: keep one way to authenticate');
  }
  // No credentials at all is fine for local repositories (local mode): no GitHub calls then.
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

function parseJson(json: string, what: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    // JSON.parse's message quotes the text around the error: it would leak the secret.
    throw new GitHubSecretError(`${what} is not valid JSON`);
  }
}

function problemsOf(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${describe(issue)}`).join('; ');
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
