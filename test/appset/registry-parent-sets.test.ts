// An ApplicationSet in an app of apps' render (Argo CD's app of apps holding ApplicationSets):
// its generated Applications are the parent's children, checked as written children are, each
// naming its set; the set is the parent's; applicationsSync holds against its children in force.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ChildrenError } from '../../shared/app-of-apps/errors.ts';
import { replaceChildren } from '../../shared/app-of-apps/family.ts';
import { childrenWithSets } from '../../shared/app-of-apps/set-children.ts';
import { parseRegistryFiles } from '../../shared/config/load.ts';
import { formatProblem } from '../../shared/config/errors.ts';
import type { Registry } from '../../shared/config/types.ts';
import type { KubeObject } from '../../shared/kube/object.ts';
import type { RenderedObject } from '../../shared/render/types.ts';
import { SANDBOX_CLUSTER } from '../support/sandbox-cluster.ts';
import { noGit } from './registry-support.ts';

const REPO = 'https://github.com/acme/gitops.git';

const registry: Registry = parseRegistryFiles([
  { file: 'driftless/clusters.yaml', text: SANDBOX_CLUSTER },
  {
    file: 'driftless/root.yaml',
    text: `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: root }\nspec:\n  source: { repoURL: ${REPO}, path: apps/root }\n  destination: { name: sandbox, namespace: argocd }\n`,
  },
]);

function setObject(elements: string[], policy = 'sync', namespace = '{{team}}'): RenderedObject {
  const object = parse(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: teams }
spec:
  syncPolicy: { applicationsSync: ${policy} }
  generators:
    - list:
        elements: [${elements.map((team) => `{ team: ${team} }`).join(', ')}]
  template:
    metadata:
      name: 'team-{{team}}'
      labels: { team: '{{team}}' }
    spec:
      project: default
      source: { repoURL: ${REPO}, targetRevision: main, path: 'teams/{{team}}' }
      destination: { name: sandbox, namespace: '${namespace}' }
`) as KubeObject;
  return { object, source: { file: 'apps/root/teams.yaml', document: 1, line: 4 } };
}

describe("an ApplicationSet in an app of apps' render", () => {
  it("generates the parent's children, each naming its set; the set is the parent's", async () => {
    const children = await childrenWithSets('root', [], [setObject(['a', 'b'])], registry, noGit());
    expect(children.apps.map((app) => [app.name, app.parent, app.applicationSet, app.labels, app.destinations, app.finalizer])).toEqual([
      ['team-a', 'root', 'teams', { team: 'a' }, [{ cluster: 'sandbox', namespace: 'a' }], 'resources-finalizer.argocd.argoproj.io'],
      ['team-b', 'root', 'teams', { team: 'b' }, [{ cluster: 'sandbox', namespace: 'b' }], 'resources-finalizer.argocd.argoproj.io'],
    ]);
    expect(children.applicationSets?.map((set) => [set.name, set.parent, set.definedIn])).toEqual([
      ['teams', 'root', { file: 'apps/root/teams.yaml', line: 4 }],
    ]);
    // Stored with the parent's children; the next render without it takes the set and its apps away.
    const stored = replaceChildren(registry, 'root', children).registry;
    expect(stored.applicationSets?.map((set) => set.name)).toEqual(['teams']);
    const gone = replaceChildren(stored, 'root', await childrenWithSets('root', [], [], stored, noGit()));
    expect(gone.registry.applicationSets).toEqual([]);
    expect(gone.removedApps.map((app) => app.name)).toEqual(['team-a', 'team-b']);
  });

  it("a generated child the registry's checks refuse names the set's place in the render", async () => {
    const set = setObject(['a']);
    const template = (set.object.spec as { template: { spec: { project: string } } }).template;
    template.spec.project = 'nope';
    const refused = await childrenWithSets('root', [], [set], registry, noGit()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ChildrenError);
    expect((refused as ChildrenError).problems.map(formatProblem)).toEqual([
      'apps/root/teams.yaml:4: Application/team-a: spec.project: project "nope" is not defined (define a Project or AppProject, or use "default")',
    ]);
  });

  it('create-only keeps a child in force as it was', async () => {
    const first = replaceChildren(registry, 'root', await childrenWithSets('root', [], [setObject(['a'], 'create-only')], registry, noGit())).registry;
    const next = await childrenWithSets('root', [], [setObject(['a', 'b'], 'create-only', 'moved-{{team}}')], first, noGit());
    expect(next.apps.map((app) => [app.name, app.destinations[0].namespace])).toEqual([
      ['team-a', 'a'],
      ['team-b', 'moved-b'],
    ]);
  });
});
