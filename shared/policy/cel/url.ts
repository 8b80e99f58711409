// Kubernetes' URL library for CEL: `url('https://example.com:80/path?q=1')` and its getters.
// As Kubernetes (Go's url.ParseRequestURI), only absolute URLs and absolute paths parse.

export class KubeURL {
  readonly scheme: string;
  readonly host: string;
  readonly hostname: string;
  readonly port: string;
  readonly escapedPath: string;
  readonly query: Record<string, string[]>;

  constructor(fields: { scheme: string; host: string; hostname: string; port: string; escapedPath: string; query: Record<string, string[]> }) {
    this.scheme = fields.scheme;
    this.host = fields.host;
    this.hostname = fields.hostname;
    this.port = fields.port;
    this.escapedPath = fields.escapedPath;
    this.query = fields.query;
  }
}

export function parseURL(text: string): KubeURL | undefined {
  if (text.startsWith('/')) {
    // An absolute path alone is a request URI too: no scheme, no host.
    const parsed = URL.canParse(text, 'http://placeholder') ? new URL(text, 'http://placeholder') : undefined;
    return parsed && new KubeURL({ scheme: '', host: '', hostname: '', port: '', escapedPath: parsed.pathname, query: queryOf(parsed) });
  }
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(text) || !URL.canParse(text)) return undefined;
  const parsed = new URL(text);
  // WHATWG URL drops a scheme's default port ("https://x:443" → ""); Go keeps what was written.
  const written = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?/.exec(text);
  const hostname = (written?.[1] ?? parsed.hostname).replace(/^\[|\]$/g, '');
  const port = written?.[2] ?? parsed.port;
  const host = written ? `${written[1]}${port ? `:${port}` : ''}` : parsed.host;
  return new KubeURL({ scheme: parsed.protocol.replace(/:$/, ''), host, hostname, port, escapedPath: parsed.pathname, query: queryOf(parsed) });
}

function queryOf(url: URL): Record<string, string[]> {
  const query: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) (query[key] ??= []).push(value);
  return query;
}
