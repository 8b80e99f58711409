// GET against a chart repository or registry (index.yaml, tags lists, registry tokens): the
// host checked before every request, redirects followed only to URLs that pass the same rules
// (credentials never follow a redirect to another origin), the body bounded, and transient
// failures (no answer, 429, 5xx) tried again a few times before they become "unreachable".
import { setTimeout as sleep } from 'node:timers/promises';
import { checkHost, isLoopbackHost, resolveHost, type AddressPolicy, type HostResolver } from './address-guard.ts';
import { ChartRepositoryContentError, ChartRepositoryUnreachableError, InvalidChartRequestError } from './errors.ts';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before the second try; doubled before each next one. */
  delayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, delayMs: 300 };
const MAX_REDIRECTS = 5;

export interface HttpGetOptions {
  /** For messages: `index.yaml of https://charts.example.com`. */
  what: string;
  /** The repository as the user wrote it, for messages. */
  repoURL: string;
  /** An Authorization header value, sent to the first URL's origin only. */
  authorization?: string;
  accept?: string;
  maxBytes: number;
  timeoutMs: number;
  policy: AddressPolicy;
  retry: RetryPolicy;
  resolve?: HostResolver;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
  /** Where the answer came from, after redirects. */
  url: URL;
}

/** The final answer (any status but 429 and 5xx, which are retried and then thrown as unreachable). */
export async function httpGet(url: URL, options: HttpGetOptions): Promise<HttpAnswer> {
  let lastProblem = '';
  for (let attempt = 1; attempt <= options.retry.attempts; attempt++) {
    if (attempt > 1) await sleep(options.retry.delayMs * 2 ** (attempt - 2));
    let answer: HttpAnswer;
    try {
      answer = await getFollowingRedirects(url, options);
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
      lastProblem = error.message;
      continue;
    }
    if (answer.status === 429 || answer.status >= 500) {
      lastProblem = `${options.what} answered HTTP ${answer.status}`;
      continue;
    }
    return answer;
  }
  const tries = options.retry.attempts === 1 ? '' : ` (tried ${options.retry.attempts} times)`;
  throw new ChartRepositoryUnreachableError(options.repoURL, `${lastProblem}${tries}`);
}

class TransientError extends Error {}

async function getFollowingRedirects(first: URL, options: HttpGetOptions): Promise<HttpAnswer> {
  let url = first;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    await checkHost(url.hostname, options.what, options.policy, options.resolve ?? resolveHost);
    const headers: Record<string, string> = { 'user-agent': 'driftless' };
    if (options.accept) headers.accept = options.accept;
    if (options.authorization && url.origin === first.origin) headers.authorization = options.authorization;
    let response: Response;
    try {
      response = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (error) {
      throw new TransientError(`${options.what}: ${networkProblem(error)}`, { cause: error });
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = redirectTarget(url, location, options);
      continue;
    }
    const body = await readBounded(response, options);
    return { status: response.status, headers: response.headers, body, url };
  }
  throw new ChartRepositoryContentError(`${options.what}: more than ${MAX_REDIRECTS} redirects`);
}

function redirectTarget(from: URL, location: string, options: HttpGetOptions): URL {
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    throw new ChartRepositoryContentError(`${options.what}: redirected to an invalid URL`);
  }
  const plainAllowed = target.protocol === 'http:' && options.policy.allowLoopback && isLoopbackHost(target.hostname);
  if (target.protocol !== 'https:' && !plainAllowed) {
    throw new InvalidChartRequestError(`${options.what}: redirected to ${target.protocol}//${target.host}, which is not https`);
  }
  if (target.username || target.password) throw new InvalidChartRequestError(`${options.what}: redirected to a URL carrying credentials`);
  return target;
}

async function readBounded(response: Response, options: HttpGetOptions): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > options.maxBytes) {
    await response.body?.cancel();
    throw tooLarge(options);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body ?? []) {
      total += chunk.length;
      if (total > options.maxBytes) throw tooLarge(options);
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    if (error instanceof ChartRepositoryContentError) throw error;
    throw new TransientError(`${options.what}: ${networkProblem(error)}`, { cause: error });
  }
  return Buffer.concat(chunks);
}

function tooLarge(options: HttpGetOptions): ChartRepositoryContentError {
  return new ChartRepositoryContentError(`${options.what} is larger than the limit of ${options.maxBytes} bytes`);
}

function networkProblem(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if ((error as Error).name === 'TimeoutError') return 'no answer in time';
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
