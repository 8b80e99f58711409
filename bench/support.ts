// Shared by the benchmarks: generated apps, timing, and counting sandbox requests.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Timed<T> {
  ms: number;
  value: T;
}

export async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const started = performance.now();
  const value = await work();
  return { ms: Math.round(performance.now() - started), value };
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/**
 * An app of `count` objects across six kinds in one namespace, in one folder, one file per
 * kind: the shape of a large real app (many ConfigMaps and Secrets, fewer workloads).
 */
export async function generateApp(namespace: string, count: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'driftless-bench-'));
  const kinds: Array<[string, number, (i: number) => string]> = [
    [
      'configmaps',
      0.3,
      (i) =>
        `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: config-${i}, namespace: ${namespace}, labels: { app: bench } }\ndata: { index: "${i}", color: blue, size: large }\n`,
    ],
    [
      'secrets',
      0.15,
      (i) => `apiVersion: v1\nkind: Secret\nmetadata: { name: secret-${i}, namespace: ${namespace} }\ntype: Opaque\nstringData: { token: "t-${i}" }\n`,
    ],
    ['serviceaccounts', 0.15, (i) => `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: sa-${i}, namespace: ${namespace} }\n`],
    [
      'services',
      0.15,
      (i) =>
        `apiVersion: v1\nkind: Service\nmetadata: { name: svc-${i}, namespace: ${namespace} }\nspec: { selector: { app: app-${i} }, ports: [{ name: http, port: 80, targetPort: 8080 }] }\n`,
    ],
    [
      'deployments',
      0.15,
      (i) =>
        `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app-${i}, namespace: ${namespace} }\nspec:\n  replicas: 1\n  selector: { matchLabels: { app: app-${i} } }\n  template:\n    metadata: { labels: { app: app-${i} } }\n    spec:\n      containers:\n        - name: app\n          image: nginx:1.27\n          ports: [{ containerPort: 8080 }]\n          resources: { requests: { cpu: 100m, memory: 64Mi } }\n`,
    ],
    [
      'networkpolicies',
      0.1,
      (i) =>
        `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: np-${i}, namespace: ${namespace} }\nspec:\n  podSelector: { matchLabels: { app: app-${i} } }\n  ingress: [{ from: [{ podSelector: { matchLabels: { role: frontend } } }], ports: [{ port: 8080 }] }]\n`,
    ],
  ];
  await writeFile(join(dir, '00-namespace.yaml'), `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${namespace} }\n`);
  for (const [name, share, make] of kinds) {
    const n = Math.round((count - 1) * share);
    await writeFile(join(dir, `${name}.yaml`), Array.from({ length: n }, (_, i) => make(i)).join('---\n'));
  }
  return dir;
}

export function ratio(slow: number, fast: number): string {
  return fast === 0 ? 'n/a' : `${(slow / fast).toFixed(1)}x`;
}
