// Bearer tokens for EKS API servers, built the way aws-iam-authenticator verifies them: a
// presigned STS GetCallerIdentity URL whose signature covers the header
// `x-k8s-aws-id: <cluster name>`, base64url-encoded (no padding) behind `k8s-aws-v1.`.
// The API server calls that URL; STS answers with who signed it. Signing is local, so a
// token costs no request; only the credentials behind it may (AssumeRole).
//
// Rules checked by the authenticator (pkg/token/token.go): https, a regional STS host of
// the partition, path "/", only the Action/Version/X-Amz-* parameters each given once,
// Action=GetCallerIdentity, x-k8s-aws-id among X-Amz-SignedHeaders, 0 <= X-Amz-Expires
// <= 900, X-Amz-Date no older than 15 minutes, token at most 4 KiB. X-Amz-Expires is
// ignored by STS (a presigned STS URL lives 15 minutes from X-Amz-Date); 60 is what every
// client sends.

import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { EksAuthError } from './errors.ts';

export const TOKEN_PREFIX = 'k8s-aws-v1.';
/** How long STS accepts a presigned GetCallerIdentity URL after its X-Amz-Date. */
export const TOKEN_LIFETIME_MS = 15 * 60_000;
/**
 * TokenCache signs a new token once less than this is left: covers clock skew between us
 * and STS and a request that starts just before the old token would lapse.
 */
export const TOKEN_REFRESH_BEFORE_MS = 5 * 60_000;
/**
 * Assumed-role credentials are renewed once less than a token's life is left, so every
 * token signed with them lives its full 15 minutes (a presigned URL dies with its session).
 */
export const ROLE_REFRESH_BEFORE_MS = TOKEN_LIFETIME_MS;

const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
const PRESIGN_EXPIRES_SECONDS = 60;

export interface EksToken {
  token: string;
  /** When the API server stops accepting it: 15 minutes after signing, or when the credentials lapse. */
  expiresAt: Date;
}

/** A role to act as, with the session name CloudTrail and the cluster's audit log will show. */
export interface AssumedRole {
  roleArn: string;
  /** STS RoleSessionName: 2 to 64 of `[\w+=,.@-]`. */
  sessionName: string;
}

/** The session name of a cluster's own role (cross-account clusters). */
export const DEFAULT_SESSION_NAME = 'driftless';

export interface EksCredentialsOptions {
  region: string;
  /** Explicit credentials; the SDK's default chain when absent (Lambda: the function's role). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Role to assume first (cross-account clusters, a project's role). */
  roleArn?: string;
  /** Its session name; default `driftless`. */
  sessionName?: string;
  /** STS client for AssumeRole and the default chain; one per region by default. */
  stsClient?: STSClient;
  now?: () => Date;
}

export interface EksTokenOptions extends EksCredentialsOptions {
  clusterName: string;
}

/** One token. Repeated callers should hold a TokenCache, which reuses it for ~10 minutes. */
export async function eksToken(options: EksTokenOptions): Promise<EksToken> {
  const credentials = await resolveCredentials(eksCredentials(options), options.roleArn);
  return signEksToken({ clusterName: options.clusterName, region: options.region, credentials, now: (options.now ?? systemNow)() });
}

/** The presigning alone, for given credentials at a given time. */
export async function signEksToken(input: { clusterName: string; region: string; credentials: AwsCredentialIdentity; now: Date }): Promise<EksToken> {
  const hostname = stsHostname(input.region);
  const signer = new SignatureV4({ credentials: input.credentials, region: input.region, service: 'sts', sha256: Sha256 });
  const request = new HttpRequest({
    method: 'GET',
    protocol: 'https:',
    hostname,
    path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers: { host: hostname, [CLUSTER_ID_HEADER]: input.clusterName },
  });
  const signed = await signer.presign(request, { expiresIn: PRESIGN_EXPIRES_SECONDS, signingDate: input.now });
  const url = `https://${hostname}/?${queryString(signed.query ?? {})}`;
  const lapse = Math.min(input.now.getTime() + TOKEN_LIFETIME_MS, input.credentials.expiration?.getTime() ?? Infinity);
  return { token: TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url'), expiresAt: new Date(lapse) };
}

/** The regional STS endpoint the authenticator accepts for the region's partition. */
export function stsHostname(region: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new EksAuthError(`"${region}" is not an AWS region name`);
  return region.startsWith('cn-') ? `sts.${region}.amazonaws.com.cn` : `sts.${region}.amazonaws.com`;
}

/** The credentials tokens are signed with: explicit, default chain, and the assumed role on top. */
export function eksCredentials(options: EksCredentialsOptions): AwsCredentialIdentityProvider {
  const now = options.now ?? systemNow;
  if (!options.roleArn) {
    const given = options.credentials;
    if (given) return typeof given === 'function' ? given : async () => given;
    const sts = options.stsClient ?? defaultStsClient(options.region);
    return () => sts.config.credentials();
  }
  const sts = options.stsClient ?? stsClientFor(options.region, options.credentials);
  const session = options.sessionName ?? DEFAULT_SESSION_NAME;
  // One session per role and name: a project's apps each keep their own (their name is in it).
  return memo(roleProviders, sts, `${options.roleArn}|${session}`, () => assumedRole(sts, { roleArn: options.roleArn!, sessionName: session }, now));
}

/** Signs fresh tokens only when the current one nears its end; concurrent callers share one. */
export class TokenCache {
  readonly #clusterName: string;
  readonly #region: string;
  readonly #roleArn: string | undefined;
  readonly #credentials: AwsCredentialIdentityProvider;
  readonly #now: () => Date;
  readonly #refreshBeforeMs: number;
  #current: EksToken | undefined;
  #pending: Promise<EksToken> | undefined;

  constructor(options: EksTokenOptions & { refreshBeforeMs?: number }) {
    this.#clusterName = options.clusterName;
    this.#region = options.region;
    this.#roleArn = options.roleArn;
    this.#credentials = eksCredentials(options);
    this.#now = options.now ?? systemNow;
    this.#refreshBeforeMs = options.refreshBeforeMs ?? TOKEN_REFRESH_BEFORE_MS;
  }

  async get(): Promise<string> {
    const current = this.#current;
    if (current && current.expiresAt.getTime() - this.#now().getTime() > this.#refreshBeforeMs) return current.token;
    this.#pending ??= this.#sign().finally(() => (this.#pending = undefined));
    return (await this.#pending).token;
  }

  async #sign(): Promise<EksToken> {
    const credentials = await resolveCredentials(this.#credentials, this.#roleArn);
    this.#current = await signEksToken({ clusterName: this.#clusterName, region: this.#region, credentials, now: this.#now() });
    return this.#current;
  }
}

function systemNow(): Date {
  return new Date();
}

async function resolveCredentials(provider: AwsCredentialIdentityProvider, roleArn: string | undefined): Promise<AwsCredentialIdentity> {
  try {
    return await provider();
  } catch (error) {
    if (error instanceof EksAuthError) throw error;
    const what = roleArn ? `credentials to assume ${roleArn}` : 'AWS credentials';
    throw new EksAuthError(`cannot load ${what}: ${(error as Error).message}`, { cause: error });
  }
}

function assumedRole(sts: STSClient, { roleArn, sessionName }: AssumedRole, now: () => Date): AwsCredentialIdentityProvider {
  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  const assume = async (): Promise<AwsCredentialIdentity> => {
    let answer;
    try {
      answer = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }));
    } catch (error) {
      throw new EksAuthError(`cannot assume role ${roleArn}: ${(error as Error).message}`, { cause: error });
    }
    const issued = answer.Credentials;
    if (!issued?.AccessKeyId || !issued.SecretAccessKey) throw new EksAuthError(`assuming role ${roleArn} returned no credentials`);
    current = { accessKeyId: issued.AccessKeyId, secretAccessKey: issued.SecretAccessKey, sessionToken: issued.SessionToken, expiration: issued.Expiration };
    return current;
  };
  return async () => {
    const left = current?.expiration ? current.expiration.getTime() - now().getTime() : Infinity;
    if (current && left > ROLE_REFRESH_BEFORE_MS) return current;
    pending ??= assume().finally(() => (pending = undefined));
    return pending;
  };
}

// Lambda containers are reused: clients and assumed roles live as long as the container.
const defaultStsClients = new Map<string, STSClient>();
const stsByCredentials = new WeakMap<object, STSClient>();
const roleProviders = new WeakMap<STSClient, Map<string, AwsCredentialIdentityProvider>>();

function defaultStsClient(region: string): STSClient {
  let client = defaultStsClients.get(region);
  if (!client) defaultStsClients.set(region, (client = new STSClient({ region })));
  return client;
}

function stsClientFor(region: string, credentials: EksCredentialsOptions['credentials']): STSClient {
  if (!credentials) return defaultStsClient(region);
  let client = stsByCredentials.get(credentials);
  if (!client) stsByCredentials.set(credentials, (client = new STSClient({ region, credentials })));
  return client;
}

/** The value cached under `owner` and `key`, made on first use: container-lifetime caches of clients and answers. */
export function memo<O extends object, V>(store: WeakMap<O, Map<string, V>>, owner: O, key: string, make: () => V): V {
  let values = store.get(owner);
  if (!values) store.set(owner, (values = new Map()));
  let value = values.get(key);
  if (value === undefined) values.set(key, (value = make()));
  return value;
}

// RFC 3986 encoding, as SigV4 canonicalises it; URLSearchParams would turn spaces into '+'.
function queryString(query: Record<string, string | string[] | null>): string {
  const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return Object.keys(query)
    .sort()
    .flatMap((key) => {
      const value = query[key];
      const values = value === null ? [''] : Array.isArray(value) ? value : [value];
      return values.map((item) => `${encode(key)}=${encode(item)}`);
    })
    .join('&');
}

export { EksAuthError } from './errors.ts';
