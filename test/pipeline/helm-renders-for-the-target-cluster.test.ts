// A Helm chart sees the target cluster's Capabilities (Kubernetes version, API versions), as
// it does under Argo CD, and that render is cached per cluster version.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectKubeconfig } from '../../shared/kube/connect.ts';
import { chartAppFiles, startPipeline, type Pipeline } from '../support/pipeline.ts';

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(() => pipeline?.stop());

it('renders the chart with the cluster version and API versions from discovery', async () => {
  const files = {
    ...chartAppFiles(),
    'chart/templates/capabilities.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: capabilities }\ndata:\n  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}\n  hasWidgets: {{ .Capabilities.APIVersions.Has "example.com/v1" | quote }}\n  hasApps: {{ .Capabilities.APIVersions.Has "apps/v1" | quote }}\n',
  };
  const sha = await pipeline.repo.commit(files);
  expect((await pipeline.push('0000000000000000000000000000000000000000', sha, { added: Object.keys(files) })).statusCode).toBe(202);
  const client = await connectKubeconfig({ kubeconfigYaml: pipeline.sandbox.kubeconfig() });
  try {
    const read = () => client.get<{ data: Record<string, string> }>('/api/v1/namespaces/default/configmaps/capabilities').catch(() => undefined);
    await pipeline.work(async () => (await read()) !== undefined);
    const version = await client.get<{ gitVersion: string }>('/version');
    expect((await read())?.data).toEqual({ kubeVersion: version.gitVersion, hasWidgets: 'false', hasApps: 'true' });
  } finally {
    client.close();
  }
});
