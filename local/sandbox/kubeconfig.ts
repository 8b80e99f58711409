// A kubeconfig for the sandbox: CA data and a bearer token, like one for EKS minus the
// exec plugin, so kubectl and our engine connect with their ordinary code paths.
import { stringify } from 'yaml';

export function kubeconfigYaml(url: string, caPem: string, token: string, context = 'sandbox'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: context, cluster: { server: url, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name: context, user: { token } }],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    'current-context': context,
    preferences: {},
  });
}
