// Manifests and checks that the sync scenario tests share.
import type { TestCluster } from '../support/cluster.ts';

/** A Job that completes at once in the sandbox, made a hook (or skipped) by its annotations. */
export function hookJob(name: string, annotations: Record<string, string>, options: { generateName?: boolean; namespace?: string } = {}): string {
  return `apiVersion: batch/v1
kind: Job
metadata:
  ${options.generateName ? 'generateName' : 'name'}: ${name}
${options.namespace ? `  namespace: ${options.namespace}\n` : ''}  annotations:
${Object.entries(annotations)
  .map(([key, value]) => `    ${key}: "${value}"`)
  .join('\n')}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: run, image: "busybox:1.36", command: ["true"] }]
`;
}

/** A ConfigMap in the app's namespace, with `argocd.argoproj.io/sync-options` when given. */
export function optionsConfigMap(name: string, syncOptions?: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${syncOptions ? `  annotations:\n    argocd.argoproj.io/sync-options: ${syncOptions}\n` : ''}data: { k: v }\n`;
}

/** A Deployment `web` of one nginx pod (the sandbox makes it ready), in the app's namespace. */
export const WEB_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "nginx:1.27" }] }
`;

/** Whether the object at this API path is on the cluster. */
export async function found(cluster: TestCluster, path: string): Promise<boolean> {
  try {
    await cluster.client.get(path);
    return true;
  } catch {
    return false;
  }
}
