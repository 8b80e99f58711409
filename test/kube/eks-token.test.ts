import { createHash, createHmac } from 'node:crypto';
import { STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EksAuthError, eksToken, signEksToken, TokenCache } from '../../shared/kube/eks-token.ts';
import { startAwsApi, type AwsApiDouble } from '../support/eks-api.ts';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SIGNED_AT = new Date('2025-03-04T05:06:07Z');
const ALLOWED_PARAMS = new Set([
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
]);

/**
 * What aws-iam-authenticator's Verify checks before it calls STS (pkg/token/token.go), plus
 * the signature recomputed here from scratch, so the cluster name is proven to be signed.
 */
function verify(token: string, expected: { clusterName: string; region: string; secretAccessKey: string; now: Date }): URL {
  expect(token.length).toBeLessThanOrEqual(4096);
  expect(token.startsWith('k8s-aws-v1.')).toBe(true);
  const encoded = token.slice('k8s-aws-v1.'.length);
  expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, no padding
  const url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
  expect(url.protocol).toBe('https:');
  expect(url.host).toBe(`sts.${expected.region}.amazonaws.com${expected.region.startsWith('cn-') ? '.cn' : ''}`);
  expect(url.pathname).toBe('/');
  const keys = [...url.searchParams.keys()];
  expect(new Set(keys).size).toBe(keys.length);
  for (const key of keys) expect(ALLOWED_PARAMS.has(key.toLowerCase())).toBe(true);
  const param = (name: string) => url.searchParams.get(name) ?? '';
  expect(param('Action')).toBe('GetCallerIdentity');
  expect(param('Version')).toBe('2011-06-15');
  expect(param('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
  expect(param('X-Amz-Expires')).toBe('60');
  expect(param('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
  expect(param('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  const date = param('X-Amz-Date');
  expect(date).toBe(
    expected.now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, ''),
  );
  const [accessKeyId, day, region, service, terminator] = param('X-Amz-Credential').split('/');
  expect([day, region, service, terminator]).toEqual([date.slice(0, 8), expected.region, 'sts', 'aws4_request']);
  expect(accessKeyId).toMatch(/^A[A-Z0-9]+$/);

  const rfc3986 = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const canonicalQuery = keys
    .filter((key) => key !== 'X-Amz-Signature')
    .sort()
    .map((key) => `${rfc3986(key)}=${rfc3986(param(key))}`)
    .join('&');
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const canonicalRequest = ['GET', '/', canonicalQuery, `host:${url.host}`, `x-k8s-aws-id:${expected.clusterName}`, '', 'host;x-k8s-aws-id', sha256('')].join(
    '\n',
  );
  const scope = `${day}/${region}/sts/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonicalRequest)].join('\n');
  const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();
  const key = [day, region, 'sts', 'aws4_request'].reduce<Buffer | string>((k, part) => hmac(k, part), `AWS4${expected.secretAccessKey}`);
  expect(param('X-Amz-Signature')).toBe(createHmac('sha256', key).update(stringToSign).digest('hex'));
  return url;
}

describe('signEksToken', () => {
  it('builds the presigned GetCallerIdentity URL aws-iam-authenticator accepts', async () => {
    const { token, expiresAt } = await signEksToken({ clusterName: 'prod-eu', region: 'eu-west-1', credentials: CREDENTIALS, now: SIGNED_AT });
    verify(token, { clusterName: 'prod-eu', region: 'eu-west-1', secretAccessKey: CREDENTIALS.secretAccessKey, now: SIGNED_AT });
    expect(expiresAt).toEqual(new Date(SIGNED_AT.getTime() + 15 * 60_000));
  });

  it('signs for the cluster it names: another name breaks the signature', async () => {
    const { token } = await signEksToken({ clusterName: 'prod-eu', region: 'eu-west-1', credentials: CREDENTIALS, now: SIGNED_AT });
    expect(() => verify(token, { clusterName: 'prod-us', region: 'eu-west-1', secretAccessKey: CREDENTIALS.secretAccessKey, now: SIGNED_AT })).toThrow();
  });

  it('carries a session token, and ends when the session does', async () => {
    const expiration = new Date(SIGNED_AT.getTime() + 4 * 60_000);
    const { token, expiresAt } = await signEksToken({
      clusterName: 'c',
      region: 'us-east-2',
      credentials: { ...CREDENTIALS, sessionToken: 'FwoGZXIvYXdzE+/=session', expiration },
      now: SIGNED_AT,
    });
    const url = verify(token, { clusterName: 'c', region: 'us-east-2', secretAccessKey: CREDENTIALS.secretAccessKey, now: SIGNED_AT });
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('FwoGZXIvYXdzE+/=session');
    expect(expiresAt).toEqual(expiration);
  });

  it('uses the China partition’s STS host there', async () => {
    const { token } = await signEksToken({ clusterName: 'c', region: 'cn-north-1', credentials: CREDENTIALS, now: SIGNED_AT });
    verify(token, { clusterName: 'c', region: 'cn-north-1', secretAccessKey: CREDENTIALS.secretAccessKey, now: SIGNED_AT });
  });

  it('refuses something that is not a region', async () => {
    await expect(signEksToken({ clusterName: 'c', region: 'https://evil.example', credentials: CREDENTIALS, now: SIGNED_AT })).rejects.toThrow(EksAuthError);
  });
});

describe('TokenCache', () => {
  it('reuses a token until less than five minutes of its fifteen are left', async () => {
    let now = SIGNED_AT.getTime();
    const cache = new TokenCache({ clusterName: 'c', region: 'eu-west-1', credentials: CREDENTIALS, now: () => new Date(now) });
    const first = await cache.get();
    now += 9 * 60_000 + 59_000;
    expect(await cache.get()).toBe(first);
    now += 2_000;
    const second = await cache.get();
    expect(second).not.toBe(first);
    verify(second, { clusterName: 'c', region: 'eu-west-1', secretAccessKey: CREDENTIALS.secretAccessKey, now: new Date(now) });
  });

  it('signs once for concurrent callers', async () => {
    let calls = 0;
    const cache = new TokenCache({
      clusterName: 'c',
      region: 'eu-west-1',
      credentials: async () => {
        calls++;
        return CREDENTIALS;
      },
    });
    const tokens = await Promise.all([cache.get(), cache.get(), cache.get()]);
    expect(new Set(tokens).size).toBe(1);
    expect(calls).toBe(1);
  });

  it('says when it cannot load credentials', async () => {
    const cache = new TokenCache({ clusterName: 'c', region: 'eu-west-1', credentials: async () => Promise.reject(new Error('no profile')) });
    await expect(cache.get()).rejects.toThrow(new EksAuthError('cannot load AWS credentials: no profile'));
  });
});

describe('assumed role', () => {
  let aws: AwsApiDouble;
  let sts: STSClient;
  let now = SIGNED_AT.getTime();

  beforeAll(async () => {
    aws = await startAwsApi();
    aws.now = () => new Date(now);
    sts = new STSClient({ region: 'eu-west-1', endpoint: aws.url, credentials: CREDENTIALS });
  });

  afterAll(async () => {
    sts.destroy();
    await aws.close();
  });

  const assumeCalls = () => aws.requests.filter((request) => request.body.includes('Action=AssumeRole'));

  it('signs with the role’s credentials, assumed once and renewed before they lapse', async () => {
    const roleArn = 'arn:aws:iam::444455556666:role/driftless-deployer';
    const cache = new TokenCache({ clusterName: 'c', region: 'eu-west-1', roleArn, stsClient: sts, now: () => new Date(now) });
    const first = await cache.get();
    const params = new URL(Buffer.from(first.slice('k8s-aws-v1.'.length), 'base64url').toString()).searchParams;
    expect(params.get('X-Amz-Credential')).toMatch(/^ASIAROLE0+1\//);
    expect(params.get('X-Amz-Security-Token')).toBe('role-session-token-1');
    verify(first, { clusterName: 'c', region: 'eu-west-1', secretAccessKey: 'role-secret-1', now: new Date(now) });
    const body = new URLSearchParams(assumeCalls()[0].body);
    expect(body.get('RoleArn')).toBe(roleArn);
    expect(body.get('RoleSessionName')).toBe('driftless');

    // 44 minutes on: a new token, same role credentials (more than 15 minutes left on them).
    now += 44 * 60_000;
    await cache.get();
    expect(assumeCalls()).toHaveLength(1);
    // 55 minutes on the token needs renewing and the role has under 15 minutes left.
    now += 11 * 60_000;
    const renewed = await cache.get();
    await cache.get();
    expect(assumeCalls()).toHaveLength(2);
    verify(renewed, { clusterName: 'c', region: 'eu-west-1', secretAccessKey: 'role-secret-2', now: new Date(now) });
  });

  it('keeps assumed credentials across one-off tokens for the same role', async () => {
    const roleArn = 'arn:aws:iam::444455556666:role/other';
    const before = assumeCalls().length;
    await eksToken({ clusterName: 'a', region: 'eu-west-1', roleArn, stsClient: sts, now: () => new Date(now) });
    await eksToken({ clusterName: 'b', region: 'eu-west-1', roleArn, stsClient: sts, now: () => new Date(now) });
    expect(assumeCalls().length - before).toBe(1);
  });

  it('names the role it cannot assume', async () => {
    const broken = new STSClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:1', credentials: CREDENTIALS, maxAttempts: 1 });
    const error = await eksToken({ clusterName: 'c', region: 'eu-west-1', roleArn: 'arn:aws:iam::1:role/nope', stsClient: broken }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(EksAuthError);
    expect((error as Error).message).toMatch(/^cannot assume role arn:aws:iam::1:role\/nope: /);
    expect((error as Error).message).not.toContain(CREDENTIALS.secretAccessKey);
    broken.destroy();
  });
});
