// `driftless render PATH --policy DIR`: the objects on stdout as before, one verdict a line on
// stderr, exit 2 when a policy denies, with the documentation's replicas <= 5 policy.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'render-policy-'));
  await mkdir(join(dir, 'app'));
  await mkdir(join(dir, 'policies'));
  await writeFile(
    join(dir, 'policies', 'replicas.yaml'),
    `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: { name: "demo-policy.example.com" }
spec:
  matchConstraints:
    resourceRules:
    - { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["deployments"] }
  validations:
  - expression: "object.spec.replicas <= 5"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: { name: "demo-binding-test.example.com" }
spec:
  policyName: "demo-policy.example.com"
  validationActions: [Deny]
  matchResources:
    namespaceSelector: { matchLabels: { environment: test } }
`,
  );
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const app = (replicas: number) => `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { environment: test } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: web } }
  template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: nginx }] } }
`;

it('prints the denial and exits 2 when a Deny binding refuses an object', async () => {
  await writeFile(join(dir, 'app', 'all.yaml'), app(6));
  const result = await runCli(['render', join(dir, 'app'), '--policy', join(dir, 'policies')]);
  expect(result.code).toBe(2);
  expect(result.stdout).toContain('kind: Deployment');
  expect(result.stderr.split('\n').filter(Boolean)).toEqual([
    "deny: Deployment/shop/web: ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' denied request: failed expression: object.spec.replicas <= 5 (policy replicas.yaml:1, binding replicas.yaml:11)",
    'policies: 2 objects checked, 1 denied, 0 warnings, 0 audited',
  ]);
});

it('exits 0 and says nothing was denied when every object passes', async () => {
  await writeFile(join(dir, 'app', 'all.yaml'), app(5));
  const result = await runCli(['render', join(dir, 'app'), '--policy', join(dir, 'policies')]);
  expect(result.code).toBe(0);
  expect(result.stderr).toBe('policies: 2 objects checked, 0 denied, 0 warnings, 0 audited\n');
});

it('refuses a policy folder whose CEL does not parse, naming file and line (exit 2)', async () => {
  await writeFile(join(dir, 'app', 'all.yaml'), app(1));
  await writeFile(
    join(dir, 'policies', 'broken.yaml'),
    `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: { name: broken.example.com }
spec:
  matchConstraints:
    resourceRules: [{ apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"] }]
  validations:
  - expression: "object.spec.replicas <="
`,
  );
  const result = await runCli(['render', join(dir, 'app'), '--policy', join(dir, 'policies')]);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/broken\.yaml:8.*spec\.validations\[0\]\.expression.*is not valid CEL/);
});
