// Admission policies through the whole pipeline (webhook, queue, worker, real git, sandbox
// cluster), with the Kubernetes documentation's demo-policy.example.com (replicas <= 5) bound
// twice: Deny in namespaces labelled environment=test, Warn in environment=staging. The app
// that breaks it under Deny is refused before anything is written (the sandbox's request log
// has no write for it) and its commit status names object, policy, binding and message; the
// app that breaks it under Warn syncs, and its status says the warning.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SANDBOX_CLUSTER } from '../support/sandbox-cluster.ts';
import { appDocument, sandboxWrites, startPipeline, type Pipeline } from '../support/pipeline.ts';
import { DEMO_POLICY } from './support.ts';

const EMPTY = '0000000000000000000000000000000000000000';

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline({ maxReceiveCount: 3, visibilityTimeoutSeconds: 1 });
});
afterAll(() => pipeline?.stop());

const app = (name: string, namespace: string) => appDocument({ name, namespace, automated: '{ prune: true }', createNamespace: false });

const manifests = (name: string, namespace: string, environment: string) => ({
  [`apps/${name}/namespace.yaml`]: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${namespace}\n  labels: { environment: ${environment} }\n`,
  [`apps/${name}/deployment.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: ${namespace} }
spec:
  replicas: 6
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
`,
});

const binding = (name: string, action: string, environment: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: { name: "${name}" }
spec:
  policyName: "demo-policy.example.com"
  validationActions: [${action}]
  matchResources:
    namespaceSelector:
      matchLabels: { environment: ${environment} }
`;

const files = {
  'driftless/clusters.yaml': SANDBOX_CLUSTER,
  'driftless/apps.yaml': `${app('shop', 'shop-test')}---\n${app('blog', 'blog-staging')}`,
  'driftless/policies.yaml': `${DEMO_POLICY}---
${binding('demo-binding-test.example.com', 'Deny', 'test')}---
${binding('demo-binding-staging.example.com', 'Warn', 'staging')}`,
  ...manifests('shop', 'shop-test', 'test'),
  ...manifests('blog', 'blog-staging', 'staging'),
};

it('a Deny refuses the sync before any write; a Warn syncs and says the warning on the commit status', async () => {
  const sha = await pipeline.repo.commit(files);
  expect((await pipeline.push(EMPTY, sha, { added: Object.keys(files) })).statusCode).toBe(202);
  await pipeline.workOnce(); // the registry refresh, which enqueues both apps
  while (await pipeline.workOnce(2)) {
    // both syncs, however SQS hands them out
  }

  const shop = await pipeline.store.getTarget('shop', 'sandbox');
  expect(shop).toMatchObject({ syncStatus: 'Failed', requestedRevision: sha });
  expect(shop?.message).toContain(
    "Deployment/shop-test/web: ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' denied request: failed expression: object.spec.replicas <= 5",
  );
  const writes = sandboxWrites(pipeline);
  // Nothing of shop's: not its Namespace, not its Deployment.
  expect(writes.filter((entry) => entry.path.includes('shop-test'))).toEqual([]);
  expect(writes.filter((entry) => !entry.path.includes('blog-staging')).map((entry) => `${entry.method} ${entry.path}`)).toEqual([]);
  const shopStatuses = pipeline.github.statuses.filter((status) => status.context === 'driftless/shop@sandbox');
  expect(shopStatuses.map((status) => status.state)).toEqual(['pending', 'failure']);
  expect(shopStatuses[1].description).toMatch(/^admission policy denied 1 object; nothing was applied: Deployment\/shop-test\/web: failed expression/);

  const blog = await pipeline.store.getTarget('blog', 'sandbox');
  expect(blog).toMatchObject({ syncStatus: 'Synced', revision: sha });
  expect(writes.some((entry) => entry.path.includes('/namespaces/blog-staging/deployments/web'))).toBe(true);
  const blogStatuses = pipeline.github.statuses.filter((status) => status.context === 'driftless/blog@sandbox');
  expect(blogStatuses.at(-1)?.state).toBe('success');
  expect(blog?.message).toContain(
    "warning: Deployment/blog-staging/web: Validation failed for ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-staging.example.com': failed expression: object.spec.replicas <= 5",
  );
  expect(blogStatuses.at(-1)?.description).toContain('warning: Deployment/blog-staging/web: Validation failed');
});
