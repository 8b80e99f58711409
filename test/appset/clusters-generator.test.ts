// The clusters generator against Argo CD's documentation (Generators-Cluster.md) in its
// fasttemplate form: every registered Cluster, a label selector (matchLabels and
// matchExpressions), `values` per generator (staging HEAD, production stable) with values
// templated from the cluster's own parameters, nameNormalized, labels and annotations.
import { describe, expect, it } from 'vitest';
import { generateApplications } from '../../shared/appset/generate.ts';
import { byName, cluster, noGit, setFrom } from './helpers.ts';

const clusters = [
  cluster(
    'staging-eu',
    { type: 'staging', staging: 'true' },
    { server: 'https://staging-eu.example.com', annotations: { 'my-custom-annotation': 'release-1.2' } },
  ),
  cluster('prod_EU', { type: 'production' }, { server: 'https://prod-eu.example.com' }),
  cluster('dev', { type: 'dev' }, { server: 'https://dev.example.com' }),
];

function guestbook(generators: string, name = '{{name}}-guestbook', revision = 'HEAD'): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
spec:
  generators:
${generators}
  template:
    metadata:
      name: '${name}'
    spec:
      project: "my-project"
      source:
        repoURL: https://github.com/argoproj/argocd-example-apps/
        targetRevision: '${revision}'
        path: guestbook
      destination:
        server: '{{server}}'
        namespace: guestbook
`;
}

describe('clusters generator', () => {
  it('generates one Application per registered Cluster, name and server from the Cluster', async () => {
    const apps = await generateApplications(setFrom(guestbook('  - clusters: {}', '{{nameNormalized}}-guestbook')), { clusters, git: noGit });
    expect(apps.map((app) => app.name).sort()).toEqual(['dev-guestbook', 'prod-eu-guestbook', 'staging-eu-guestbook']);
    expect(byName(apps)['prod-eu-guestbook'].spec).toMatchObject({ destination: { server: 'https://prod-eu.example.com', namespace: 'guestbook' } });
  });

  it('selects Clusters by matchLabels', async () => {
    const set = setFrom(
      guestbook(`  - clusters:
      selector:
        matchLabels:
          staging: "true"`),
    );
    const apps = await generateApplications(set, { clusters, git: noGit });
    expect(apps.map((app) => app.name)).toEqual(['staging-eu-guestbook']);
  });

  it('selects Clusters by matchExpressions (set-based requirements)', async () => {
    const set = setFrom(
      guestbook(`  - clusters:
      selector:
        matchExpressions:
          - key: type
            operator: In
            values: [staging, production]
          - key: staging
            operator: DoesNotExist`),
    );
    const apps = await generateApplications(set, { clusters, git: noGit });
    expect(apps.map((app) => app.name)).toEqual(['prod_EU-guestbook']);
  });

  it("passes each generator's values as values.<key>, templated with the cluster's parameters", async () => {
    const set = setFrom(
      guestbook(
        `  - clusters:
      selector:
        matchLabels:
          type: 'staging'
      values:
        revision: '{{metadata.annotations.my-custom-annotation}}'
        clusterName: '{{name}}'
  - clusters:
      selector:
        matchLabels:
          type: 'production'
      values:
        revision: stable
        clusterName: '{{name}}'`,
        '{{nameNormalized}}-guestbook',
        '{{values.revision}}',
      ),
    );
    const apps = byName(await generateApplications(set, { clusters, git: noGit }));
    expect(Object.keys(apps).sort()).toEqual(['prod-eu-guestbook', 'staging-eu-guestbook']);
    expect(apps['staging-eu-guestbook'].spec).toMatchObject({ source: { targetRevision: 'release-1.2' } });
    expect(apps['prod-eu-guestbook'].spec).toMatchObject({ source: { targetRevision: 'stable' } });
  });

  it('gives the labels as metadata.labels.<key>', async () => {
    const set = setFrom(guestbook('  - clusters: {}', '{{name}}-{{metadata.labels.type}}'));
    const apps = await generateApplications(set, { clusters: clusters.slice(2), git: noGit });
    expect(apps.map((app) => app.name)).toEqual(['dev-dev']);
  });

  it('refuses an Application whose destination.server renders empty (a Cluster without spec.server), pointing at destination.name', async () => {
    const set = setFrom(guestbook('  - clusters: {}'));
    const error = await generateApplications(set, { clusters: [cluster('local')], git: noGit }).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain('template.spec.destination.server: renders empty for Application local-guestbook');
    expect((error as Error).message).toContain("use destination name: '{{name}}'");
  });
});
