import { describe, expect, it } from 'vitest';
import { diffRegistries } from '../../shared/config/diff.ts';
import { CLUSTERS, registryOf } from './registry-files.ts';
import { parseRegistryFiles } from '../../shared/config/load.ts';

function appText(name: string, path: string, extra = ''): string {
  return `apiVersion: driftless.io/v1alpha1
kind: Application
metadata: {name: ${name}}
spec:
  source: {repoURL: 'https://github.com/acme/deploy', path: ${path}}
  destination: {name: dev, namespace: ${name}}
${extra}`;
}

describe('diffRegistries', () => {
  const before = registryOf({
    'driftless/web.yaml': appText('web', 'web'),
    'driftless/api.yaml': appText('api', 'api'),
    'driftless/old.yaml': appText('old', 'old'),
  });

  it('reports changed and new apps, and removed ones, not apps that only moved', () => {
    const after = registryOf({
      // Moved to another file, with keys in another order: not a change.
      'driftless/moved/web.yaml': `kind: Application\napiVersion: driftless.io/v1alpha1\nmetadata: {name: web}\nspec:\n  destination: {namespace: web, name: dev}\n  source: {path: web, repoURL: 'https://github.com/acme/deploy'}\n`,
      'driftless/api.yaml': appText('api', 'api', '  syncPolicy: {automated: {prune: true}}\n'),
      'driftless/new.yaml': appText('new', 'new'),
    });
    expect(diffRegistries(before, after)).toEqual({ changedApps: ['api', 'new'], removedApps: ['old'] });
  });

  it('reports the apps of a cluster whose connection changed', () => {
    const clusters = CLUSTERS.replace('context: kind-dev', 'context: kind-dev-2');
    const after = parseRegistryFiles([
      { file: 'driftless/clusters.yaml', text: clusters },
      { file: 'driftless/web.yaml', text: appText('web', 'web') },
      { file: 'driftless/api.yaml', text: appText('api', 'api') },
      { file: 'driftless/old.yaml', text: appText('old', 'old') },
    ]);
    expect(diffRegistries(before, after)).toEqual({ changedApps: ['api', 'old', 'web'], removedApps: [] });
  });

  it('is empty between a registry and itself', () => {
    expect(diffRegistries(before, before)).toEqual({ changedApps: [], removedApps: [] });
  });
});
