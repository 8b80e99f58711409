// Small registry documents for config tests, as YAML text with known line numbers.
import { parseRegistryFiles } from '../../shared/config/load.ts';
import { RegistryError } from '../../shared/config/errors.ts';
import type { Registry } from '../../shared/config/types.ts';

export const CLUSTERS = `apiVersion: driftless.io/v1alpha1
kind: Cluster
metadata:
  name: prod-eu
  labels:
    env: prod
spec:
  server: https://kubernetes.default.svc
  eks:
    clusterName: prod-eu
    region: eu-west-1
    roleArn: arn:aws:iam::123456789012:role/driftless-deployer
---
apiVersion: driftless.io/v1alpha1
kind: Cluster
metadata:
  name: prod-us
spec:
  server: https://ABC.gr7.us-east-1.eks.amazonaws.com
  eks:
    clusterName: prod-us
    region: us-east-1
---
apiVersion: driftless.io/v1alpha1
kind: Cluster
metadata:
  name: dev
spec:
  kubeconfig:
    context: kind-dev
`;

/** parseRegistryFiles with the clusters above in `driftless/clusters.yaml`. */
export function registryOf(files: Record<string, string>): Registry {
  return parseRegistryFiles([{ file: 'driftless/clusters.yaml', text: CLUSTERS }, ...Object.entries(files).map(([file, text]) => ({ file, text }))]);
}

/** The problems a registry is refused for, as formatted lines. */
export function problemsOf(files: Record<string, string>): string[] {
  try {
    registryOf(files);
  } catch (error) {
    if (error instanceof RegistryError)
      return error.message
        .split('\n')
        .slice(1)
        .map((line) => line.trim());
    throw error;
  }
  throw new Error('expected the registry to be refused');
}
