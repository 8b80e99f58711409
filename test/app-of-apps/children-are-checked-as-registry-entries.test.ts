// A parent's child documents go through the registry's own checks, and two more: no cycle, no
// name shared with another app. Each problem names the parent's file and line, and the other
// place when there is one.
import { describe, expect, it } from 'vitest';
import { childrenOf } from '../../shared/app-of-apps/children.ts';
import { ChildrenError } from '../../shared/app-of-apps/errors.ts';
import { parseRegistryFiles } from '../../shared/config/load.ts';
import type { Registry } from '../../shared/config/types.ts';
import type { KubeObject } from '../../shared/kube/object.ts';
import type { RenderedObject } from '../../shared/render/types.ts';
import { parse } from 'yaml';
import { SANDBOX_CLUSTER } from '../support/sandbox-cluster.ts';

const REPO = 'https://github.com/acme/gitops.git';

function application(name: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd', ...extra },
    spec: { project: 'default', source: { repoURL: REPO, targetRevision: 'main', path: `apps/${name}` }, destination: { name: 'sandbox', namespace: name } },
  } as KubeObject;
}

function rendered(object: KubeObject, file: string, line = 1): RenderedObject {
  return { object, source: { file, document: 1, line } };
}

const registry: Registry = parseRegistryFiles([
  { file: 'driftless/clusters.yaml', text: SANDBOX_CLUSTER },
  {
    file: 'driftless/root.yaml',
    text: `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: root }\nspec:\n  source: { repoURL: ${REPO}, path: apps/root }\n  destination: { name: sandbox, namespace: argocd }\n`,
  },
  {
    file: 'driftless/web.yaml',
    text: `\n\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: web }\nspec:\n  source: { repoURL: ${REPO}, path: apps/web }\n  destination: { name: sandbox, namespace: web }\n`,
  },
]);

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ChildrenError) return error.message.split('\n').slice(1);
    throw error;
  }
  throw new Error('expected a ChildrenError');
}

describe('the children of a parent', () => {
  it('become registry apps with their parent, sync wave and resources finalizer', () => {
    const children = childrenOf(
      'root',
      [
        rendered(
          application('api', { annotations: { 'argocd.argoproj.io/sync-wave': '2' }, finalizers: ['resources-finalizer.argocd.argoproj.io/foreground'] }),
          'apps/root/api.yaml',
          3,
        ),
      ],
      [],
      registry,
    );
    expect(children.apps).toMatchObject([
      {
        name: 'api',
        parent: 'root',
        wave: 2,
        finalizer: 'resources-finalizer.argocd.argoproj.io/foreground',
        definedIn: { file: 'apps/root/api.yaml', line: 3 },
        destinations: [{ cluster: 'sandbox', namespace: 'api' }],
      },
    ]);
  });

  it('are refused with the registry problems, at the parent file and line', () => {
    const broken = application('api');
    (broken.spec as { destination: unknown }).destination = { name: 'nowhere', namespace: 'api' };
    const problems = problemsOf(() => childrenOf('root', [rendered(broken, 'apps/root/api.yaml', 7)], [], registry));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^apps\/root\/api\.yaml:7: Application\/api: spec\.destination.*nowhere/);
  });

  it('may not take the name of another app: both places are named', () => {
    const problems = problemsOf(() => childrenOf('root', [rendered(application('web'), 'apps/root/web.yaml', 4)], [], registry));
    expect(problems).toEqual([
      'apps/root/web.yaml:4: Application/web: metadata.name: Application "web" is also defined in driftless/web.yaml:3; rename one of them',
    ]);
  });

  it('may not be their own ancestor: a cycle names both places', () => {
    const withChild: Registry = {
      ...registry,
      apps: [...registry.apps, { ...childrenOf('root', [rendered(application('mid'), 'apps/root/mid.yaml', 2)], [], registry).apps[0] }],
    };
    const problems = problemsOf(() => childrenOf('mid', [rendered(application('root'), 'apps/mid/root.yaml', 5)], [], withChild));
    expect(problems).toEqual([
      'apps/mid/root.yaml:5: Application/root: metadata.name: Application "root" would be its own descendant (a cycle): it is defined in driftless/root.yaml:1 and mid renders it again',
    ]);
    const self = problemsOf(() => childrenOf('root', [rendered(application('root'), 'apps/root/self.yaml', 1)], [], registry));
    expect(self[0]).toMatch(/apps\/root\/self\.yaml:1: .*"root" would be its own child \(a cycle\): it is defined in driftless\/root\.yaml:1/);
  });

  it('refuse an ApplicationSet handed to them ungenerated (the sync generates it first: test/appset/registry-parent-sets.test.ts)', () => {
    const set = parse('apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: { name: all }\nspec: {}\n') as KubeObject;
    const problems = problemsOf(() => childrenOf('root', [], [rendered(set, 'apps/root/set.yaml', 1)], registry));
    expect(problems).toEqual([
      expect.stringMatching(/apps\/root\/set\.yaml:1: ApplicationSet\/all: ApplicationSet in the render of root is generated only at the parent's sync/),
    ]);
  });
});
