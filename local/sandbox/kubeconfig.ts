// A kubeconfig for the sandbox: CA data and a bearer token, like one for EKS minus the
// exec plugin, so kubectl and our engine connect with their ordinary code paths. Several
// sandboxes (local mode's --clusters) share one file: a cluster, a user and a context each,
// all named after the context, as `kubectl config` users expect.
import { stringify } from 'yaml';

export interface KubeconfigEntry {
  /** The context's name, and its cluster's and user's. */
  context: string;
  url: string;
  caPem: string;
  token: string;
}

export function kubeconfigYaml(url: string, caPem: string, token: string, context = 'sandbox'): string {
  return kubeconfigForContexts([{ context, url, caPem, token }]);
}

/** One kubeconfig holding every entry; the current context is the first. */
export function kubeconfigForContexts(entries: KubeconfigEntry[]): string {
  const first = entries[0];
  if (!first) throw new Error('a kubeconfig needs at least one context');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: entries.map((entry) => ({
      name: entry.context,
      cluster: { server: entry.url, 'certificate-authority-data': Buffer.from(entry.caPem).toString('base64') },
    })),
    users: entries.map((entry) => ({ name: entry.context, user: { token: entry.token } })),
    contexts: entries.map((entry) => ({ name: entry.context, context: { cluster: entry.context, user: entry.context } })),
    'current-context': first.context,
    preferences: {},
  });
}
