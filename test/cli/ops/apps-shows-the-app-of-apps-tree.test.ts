// `driftless apps` on a fleet with an app of apps (issue 13 item 6: "driftless apps shows the
// parent/child tree"): each parent's children are listed right after it, indented one step per
// generation, a PARENT column names the parent, and --output json carries `parent`. A fleet
// without one keeps the table it had. The registry is made as the worker makes it: the config
// files parsed, then the parent's rendered Applications checked and stored as its children.
import { describe, expect, it } from 'vitest';
import { formatApps } from '../../../cli/commands/apps.ts';
import { palette } from '../../../cli/ops/output.ts';
import { targetViews } from '../../../shared/operations/targets.ts';
import { childrenOf } from '../../../shared/app-of-apps/children.ts';
import { replaceChildren } from '../../../shared/app-of-apps/family.ts';
import { parseRegistryFiles } from '../../../shared/config/load.ts';
import type { Registry } from '../../../shared/config/types.ts';
import type { KubeObject } from '../../../shared/kube/object.ts';
import type { RenderedObject } from '../../../shared/render/types.ts';
import type { TargetState } from '../../../shared/state/types.ts';
import { SANDBOX_CLUSTER } from '../../support/sandbox-cluster.ts';

const REPO = 'https://github.com/acme/gitops.git';
const SHA = '1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d';

function argoApp(name: string, path: string, namespace: string): string {
  return `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: ${name} }\nspec:\n  source: { repoURL: ${REPO}, path: ${path} }\n  destination: { name: sandbox, namespace: ${namespace} }\n`;
}

function rendered(name: string, file: string): RenderedObject {
  const object = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd' },
    spec: { project: 'default', source: { repoURL: REPO, targetRevision: 'main', path: `apps/${name}` }, destination: { name: 'sandbox', namespace: name } },
  } as KubeObject;
  return { object, source: { file, document: 1, line: 1 } };
}

/** root renders platform and web; platform renders ingress; zebra and alpha are written in driftless/. */
function fleet(): Registry {
  let registry = parseRegistryFiles([
    { file: 'driftless/clusters.yaml', text: SANDBOX_CLUSTER },
    { file: 'driftless/root.yaml', text: argoApp('root', 'apps/root', 'argocd') },
    { file: 'driftless/zebra.yaml', text: argoApp('zebra', 'apps/zebra', 'zebra') },
    { file: 'driftless/alpha.yaml', text: argoApp('alpha', 'apps/alpha', 'alpha') },
  ]);
  const adopt = (parent: string, children: RenderedObject[]) => {
    registry = replaceChildren(registry, parent, childrenOf(parent, children, [], registry)).registry;
  };
  adopt('root', [rendered('web', 'apps/root/web.yaml'), rendered('platform', 'apps/root/platform.yaml')]);
  adopt('platform', [rendered('ingress', 'apps/platform/ingress.yaml')]);
  return registry;
}

function synced(app: string): TargetState {
  return { app, cluster: 'sandbox', revision: SHA, syncStatus: 'Synced', health: 'Healthy' } as TargetState;
}

describe('driftless apps on an app of apps', () => {
  const states = ['root', 'web', 'platform', 'ingress', 'zebra', 'alpha'].map(synced);

  it('lists each parent followed by its children, depth first, each child naming its parent', () => {
    const views = targetViews(fleet(), states);
    expect(views.map((view) => [view.app, view.parent])).toEqual([
      ['alpha', undefined],
      ['root', undefined],
      ['platform', 'root'],
      ['ingress', 'platform'],
      ['web', 'root'],
      ['zebra', undefined],
    ]);
    // --output json prints the views as they are: `parent` is there for a child only.
    const json = JSON.parse(JSON.stringify(views)) as Array<Record<string, unknown>>;
    expect(json.find((row) => row.app === 'ingress')).toMatchObject({ app: 'ingress', parent: 'platform', cluster: 'sandbox' });
    expect(json.find((row) => row.app === 'root')).not.toHaveProperty('parent');
  });

  it('indents children under their parent and names the parent in a PARENT column', () => {
    const lines = formatApps(targetViews(fleet(), states), palette(false)).split('\n');
    expect(lines[0]).toMatch(/^APP\s+PARENT\s+CLUSTER\s+REVISION\s+STATUS\s+HEALTH\s+DRIFT\s+LAST SYNC\s+MESSAGE$/);
    expect(lines.slice(1, 7).map((line) => line.match(/^(\s*\S+)\s+(?:(\S+)\s+)?sandbox\s/)?.slice(1, 3))).toEqual([
      ['alpha', undefined],
      ['root', undefined],
      ['  platform', 'root'],
      ['    ingress', 'platform'],
      ['  web', 'root'],
      ['zebra', undefined],
    ]);
  });

  it('keeps a child whose parent is filtered out among the roots, unindented', () => {
    const views = targetViews(fleet(), states).filter((view) => view.app === 'ingress' || view.app === 'web');
    const lines = formatApps(views, palette(false)).split('\n');
    expect(lines[1]).toMatch(/^ingress\s+platform\s+sandbox\s/);
    expect(lines[2]).toMatch(/^web\s+root\s+sandbox\s/);
  });

  it('shows no PARENT column in a fleet without an app of apps', () => {
    const registry = parseRegistryFiles([
      { file: 'driftless/clusters.yaml', text: SANDBOX_CLUSTER },
      { file: 'driftless/web.yaml', text: argoApp('web', 'apps/web', 'web') },
    ]);
    const text = formatApps(targetViews(registry, [synced('web')]), palette(false));
    expect(text).toMatch(/^APP\s+CLUSTER\s+REVISION\s/);
    expect(text).not.toContain('PARENT');
  });
});
