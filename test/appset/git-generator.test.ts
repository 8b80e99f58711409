// The git generator against Argo CD's documentation (Generators-Git.md), on a real repository
// read through the real fetcher: directories with exclude, files (JSON and YAML) with their
// keys flattened for fasttemplate and the path parameters, pathParamPrefix, values; and what
// Git may not do: a pattern out of the tree, a symlink out of it, a file too large.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApplications } from '../../shared/appset/generate.ts';
import { gitFilesFromFetcher, MAX_GIT_FILE_BYTES, type DisposableGitFiles } from '../../shared/appset/git-files.ts';
import { isBadInput } from '../../shared/errors/bad-input.ts';
import { LocalGitFetcher } from '../../shared/source/local-git.ts';
import { TreeCache } from '../../shared/source/tree-cache.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { byName, setFrom } from './helpers.ts';

let repo: TestRepo;
const cache = new TreeCache();
const opened: DisposableGitFiles[] = [];

function git(): DisposableGitFiles {
  const files = gitFilesFromFetcher(new LocalGitFetcher({ cache }));
  opened.push(files);
  return files;
}

const DIRECTORY = 'applicationset/examples/git-generator-directory';
const DISCOVERY = 'applicationset/examples/git-generator-files-discovery';

beforeAll(async () => {
  repo = await createRepo();
  await repo.commit({
    [`${DIRECTORY}/cluster-addons/argo-workflows/kustomization.yaml`]: 'resources: [namespace-install.yaml]\n',
    [`${DIRECTORY}/cluster-addons/argo-workflows/namespace-install.yaml`]: 'kind: Namespace\n',
    [`${DIRECTORY}/cluster-addons/prometheus-operator/Chart.yaml`]: 'name: prometheus-operator\n',
    [`${DIRECTORY}/cluster-addons/.hidden/config.yaml`]: 'x: 1\n',
    [`${DIRECTORY}/excludes/cluster-addons/argo-workflows/kustomization.yaml`]: 'resources: []\n',
    [`${DIRECTORY}/excludes/cluster-addons/exclude-helm-guestbook/Chart.yaml`]: 'name: guestbook\n',
    [`${DIRECTORY}/excludes/cluster-addons/prometheus-operator/Chart.yaml`]: 'name: prometheus-operator\n',
    [`${DISCOVERY}/cluster-config/engineering/dev/config.json`]: JSON.stringify({
      aws_account: '123456',
      asset_id: '11223344',
      cluster: { owner: 'cluster-admin@company.com', name: 'engineering-dev', address: 'https://1.2.3.4' },
    }),
    [`${DISCOVERY}/cluster-config/engineering/prod/config.json`]: JSON.stringify({
      aws_account: '123456',
      asset_id: '11223344',
      cluster: { owner: 'cluster-admin@company.com', name: 'engineering-prod', address: 'https://2.4.6.8' },
    }),
    'yaml/web/params.yaml': 'app:\n  name: web\n  replicas: 3\n  big: 1000000\n  ratio: 0.5\n  enabled: yes\n  ports: [80, 443]\n  empty: {}\n  none: null\n',
    'yaml/many/params.yaml': '- name: one\n- name: two\n',
    'yaml/empty/params.yaml': '',
    'targets/eu/cluster.json': '{"region": "eu"}',
    'targets/us/cluster.json': '{"region": "us"}',
    'apps/web/app.json': '{"name": "web"}',
  });
});

afterAll(async () => {
  await Promise.all(opened.map((files) => files.dispose()));
  await cache.clear();
  await repo.remove();
});

function gitSet(generator: string, template: { name: string; path?: string; server?: string; extra?: string }): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: cluster-addons
spec:
  generators:
${generator.replaceAll('REPO', repo.dir)}
  template:
    metadata:
      name: '${template.name}'${template.extra ?? ''}
    spec:
      project: default
      source:
        repoURL: https://github.com/argoproj/argo-cd.git
        targetRevision: HEAD
        path: '${template.path ?? '{{path}}'}'
      destination:
        server: '${template.server ?? 'https://kubernetes.default.svc'}'
        namespace: '{{path.basename}}'
`;
}

describe('git generator: directories', () => {
  it('generates one Application per folder matching the pattern, hidden folders skipped', async () => {
    const set = setFrom(
      gitSet(`  - git:\n      repoURL: REPO\n      revision: HEAD\n      directories:\n      - path: ${DIRECTORY}/cluster-addons/*`, {
        name: '{{path.basename}}',
      }),
    );
    const apps = byName(await generateApplications(set, { clusters: [], git: git() }));
    expect(Object.keys(apps)).toEqual(['argo-workflows', 'prometheus-operator']);
    expect(apps['prometheus-operator'].spec).toMatchObject({
      source: { path: `${DIRECTORY}/cluster-addons/prometheus-operator` },
      destination: { namespace: 'prometheus-operator' },
    });
  });

  it('leaves out a folder an exclude pattern matches, though another pattern includes it', async () => {
    const set = setFrom(
      gitSet(
        `  - git:
      repoURL: REPO
      revision: HEAD
      directories:
      - path: ${DIRECTORY}/excludes/cluster-addons/*
      - path: ${DIRECTORY}/excludes/cluster-addons/exclude-helm-guestbook
        exclude: true`,
        { name: '{{path.basename}}' },
      ),
    );
    const apps = await generateApplications(set, { clusters: [], git: git() });
    expect(apps.map((app) => app.name)).toEqual(['argo-workflows', 'prometheus-operator']);
  });

  it('gives each path segment as path[n] and a normalized basename', async () => {
    const set = setFrom(
      gitSet(`  - git:\n      repoURL: REPO\n      revision: HEAD\n      directories:\n      - path: ${DIRECTORY}/cluster-addons/prometheus-*`, {
        name: '{{path[2]}}-{{path.basenameNormalized}}',
        path: '{{path[0]}}/{{path[4]}}',
      }),
    );
    const [app] = await generateApplications(set, { clusters: [], git: git() });
    expect(app.name).toBe('git-generator-directory-prometheus-operator');
    expect(app.object.spec).toMatchObject({ source: { path: 'applicationset/prometheus-operator' } });
  });
});

describe('git generator: files', () => {
  it("reads each JSON file's keys as parameters, nested keys joined with dots (the docs' cluster-config example)", async () => {
    const set = setFrom(
      gitSet(`  - git:\n      repoURL: REPO\n      revision: HEAD\n      files:\n      - path: "${DISCOVERY}/cluster-config/**/config.json"`, {
        name: '{{cluster.name}}-guestbook',
        path: `${DISCOVERY}/apps/guestbook`,
        server: '{{cluster.address}}',
        extra: "\n      labels:\n        account: '{{aws_account}}'\n        owner: '{{cluster.owner}}'",
      }),
    );
    const apps = byName(await generateApplications(set, { clusters: [], git: git() }));
    expect(Object.keys(apps)).toEqual(['engineering-dev-guestbook', 'engineering-prod-guestbook']);
    expect(apps['engineering-prod-guestbook']).toMatchObject({
      metadata: { labels: { account: '123456', owner: 'cluster-admin@company.com' } },
      spec: { source: { path: `${DISCOVERY}/apps/guestbook` }, destination: { server: 'https://2.4.6.8', namespace: 'prod' } },
    });
  });

  it("gives the file's folder as path, and path.filename, path[n]", async () => {
    const set = setFrom(
      gitSet(`  - git:\n      repoURL: REPO\n      revision: HEAD\n      files:\n      - path: "${DISCOVERY}/cluster-config/engineering/dev/config.json"`, {
        name: '{{path.basename}}',
        path: '{{path}}|{{path.filename}}|{{path.filenameNormalized}}|{{path[3]}}|{{path[5]}}',
      }),
    );
    const [app] = await generateApplications(set, { clusters: [], git: git() });
    expect(app.object.spec).toMatchObject({ source: { path: `${DISCOVERY}/cluster-config/engineering/dev|config.json|config.json|cluster-config|dev` } });
  });

  it('flattens YAML as Argo CD does for fasttemplate: dotted keys, list items by index, leaves as Go prints them', async () => {
    const set = setFrom(
      gitSet(`  - git:\n      repoURL: REPO\n      revision: HEAD\n      files:\n      - path: yaml/web/params.yaml`, {
        name: '{{app.name}}',
        path: '{{app.replicas}} {{app.big}} {{app.ratio}} {{app.enabled}} {{app.ports.0}} {{app.ports.1}} {{app.none}} {{app.empty}}',
      }),
    );
    const [app] = await generateApplications(set, { clusters: [], git: git() });
    expect(app.object.spec).toMatchObject({ source: { path: '3 1e+06 0.5 true 80 443 <nil> {{app.empty}}' } });
  });

  it('reads a file holding a list as one parameter set per item, and an empty file as one empty set', async () => {
    const list = setFrom(
      gitSet(`  - git:\n      repoURL: REPO\n      revision: HEAD\n      files:\n      - path: yaml/many/params.yaml`, { name: '{{name}}' }),
    );
    expect((await generateApplications(list, { clusters: [], git: git() })).map((app) => app.name)).toEqual(['one', 'two']);
    const empty = setFrom(
      gitSet(`  - git:\n      repoURL: REPO\n      revision: HEAD\n      files:\n      - path: yaml/empty/params.yaml`, { name: 'empty-{{path.basename}}' }),
    );
    expect((await generateApplications(empty, { clusters: [], git: git() })).map((app) => app.name)).toEqual(['empty-empty']);
  });

  it('drops files an exclude pattern matches', async () => {
    const set = setFrom(
      gitSet(
        `  - git:
      repoURL: REPO
      revision: HEAD
      files:
      - path: "${DISCOVERY}/cluster-config/**/config.json"
      - path: "${DISCOVERY}/cluster-config/*/prod/config.json"
        exclude: true`,
        { name: '{{cluster.name}}' },
      ),
    );
    expect((await generateApplications(set, { clusters: [], git: git() })).map((app) => app.name)).toEqual(['engineering-dev']);
  });

  it('adds values, rendered with the path parameters', async () => {
    const set = setFrom(
      gitSet(
        `  - git:\n      repoURL: REPO\n      revision: HEAD\n      files:\n      - path: targets/*/cluster.json\n      values:\n        release: '{{region}}-{{path.basename}}'`,
        {
          name: '{{values.release}}',
        },
      ),
    );
    expect((await generateApplications(set, { clusters: [], git: git() })).map((app) => app.name)).toEqual(['eu-eu', 'us-us']);
  });

  it('puts the path parameters under pathParamPrefix, so two git generators in a matrix do not clash', async () => {
    const matrix = (prefixes: boolean) => `  - matrix:
      generators:
        - git:
            repoURL: REPO
            revision: HEAD
            files:
              - path: "targets/*/*.json"${prefixes ? '\n            pathParamPrefix: target' : ''}
        - git:
            repoURL: REPO
            revision: HEAD
            files:
              - path: "apps/*/*.json"${prefixes ? '\n            pathParamPrefix: app' : ''}`;
    const set = setFrom(
      gitSet(matrix(true), { name: '{{app.path.basename}}-{{target.path.basename}}', path: '{{app.path}}' }).replace(
        "namespace: '{{path.basename}}'",
        'namespace: default',
      ),
    );
    const apps = byName(await generateApplications(set, { clusters: [], git: git() }));
    expect(Object.keys(apps)).toEqual(['web-eu', 'web-us']);
    expect(apps['web-eu'].spec).toMatchObject({ source: { path: 'apps/web' } });
    // Without the prefixes both children set `path`, to different values.
    const clash = setFrom(gitSet(matrix(false), { name: '{{name}}' }));
    const error = await generateApplications(clash, { clusters: [], git: git() }).catch((caught: unknown) => caught);
    expect(isBadInput(error)).toBe(true);
    expect((error as Error).message).toMatch(/generators\[0\] \(matrix\): both generators set the parameter "path", to "targets\/eu" and "apps\/web"/);
  });
});

describe('git generator: what Git may not do', () => {
  it('refuses a pattern that climbs out of the repository', async () => {
    const set = setFrom(gitSet(`  - git:\n      repoURL: REPO\n      revision: HEAD\n      files:\n      - path: "../../etc/passwd"`, { name: 'x' }));
    const error = await generateApplications(set, { clusters: [], git: git() }).catch((caught: unknown) => caught);
    expect(isBadInput(error)).toBe(true);
    expect((error as Error).message).toContain('generators[0] (git): path "../../etc/passwd" must stay inside the repository');
  });

  it('refuses a repository holding a symlink that points out of it (the fetcher refuses to unpack it)', async () => {
    const evil = await createRepo();
    try {
      await evil.commit({ 'apps/web/config.json': '{"name": "web"}' });
      await symlink('../../../../../../../../etc/passwd', join(evil.dir, 'apps/web/link.json'));
      await evil.commit({});
      const set = setFrom(
        gitSet(`  - git:\n      repoURL: ${evil.dir}\n      revision: HEAD\n      files:\n      - path: "apps/*/*.json"`, { name: '{{name}}' }),
      );
      const error = await generateApplications(set, { clusters: [], git: git() }).catch((caught: unknown) => caught);
      expect((error as Error).message).toMatch(/generators\[0\] \(git\): archive of .* has an unsafe entry: .*linkpath escapes/);
    } finally {
      await evil.remove();
    }
  });

  it('refuses a tree holding a symlink out of it from any fetcher, before reading a file', async () => {
    // A fetcher that hands over a folder as it is (as a future source might): the generator's
    // own check must stop the link, which the real fetchers already refuse to unpack.
    const folder = await mkdtemp(join(tmpdir(), 'driftless-appset-tree-'));
    try {
      await mkdir(join(folder, 'apps/web'), { recursive: true });
      await writeFile(join(folder, 'apps/web/config.json'), '{"name": "web"}');
      await symlink('/etc/passwd', join(folder, 'apps/web/link.json'));
      const asIs = { fetch: () => Promise.resolve({ root: folder, sha: 'f'.repeat(40), dispose: () => Promise.resolve() }) };
      const files = gitFilesFromFetcher(asIs);
      const set = setFrom(
        gitSet(`  - git:\n      repoURL: https://example.com/r.git\n      revision: HEAD\n      files:\n      - path: "apps/*/*.json"`, { name: '{{name}}' }),
      );
      const error = await generateApplications(set, { clusters: [], git: files }).catch((caught: unknown) => caught);
      expect((error as Error).message).toContain('generators[0] (git): the repository contains a symlink pointing outside it: apps/web/link.json');
      expect(isBadInput(error)).toBe(true);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('refuses a parameter file larger than the bound', async () => {
    const big = await createRepo();
    try {
      await big.commit({ 'big/config.json': `{"name": "${'x'.repeat(MAX_GIT_FILE_BYTES)}"}` });
      const set = setFrom(gitSet(`  - git:\n      repoURL: ${big.dir}\n      revision: HEAD\n      files:\n      - path: "big/config.json"`, { name: 'big' }));
      const error = await generateApplications(set, { clusters: [], git: git() }).catch((caught: unknown) => caught);
      expect(isBadInput(error)).toBe(true);
      expect((error as Error).message).toContain('big/config.json is 1048588 bytes, more than the 1024 KiB a git generator reads from one file');
    } finally {
      await big.remove();
    }
  });

  it('refuses to read more than the bound for all files of one generation', async () => {
    const files = gitFilesFromFetcher(new LocalGitFetcher({ cache }), { maxTotalBytes: 60 });
    opened.push(files);
    const set = setFrom(
      gitSet(`  - git:\n      repoURL: REPO\n      revision: HEAD\n      files:\n      - path: "${DISCOVERY}/cluster-config/**/config.json"`, {
        name: '{{cluster.name}}',
      }),
    );
    const error = await generateApplications(set, { clusters: [], git: files }).catch((caught: unknown) => caught);
    expect(isBadInput(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /generators\[0\] \(git\): git generators would read more than 60 bytes of files in one generation \(at .*config\.json\); narrow the path patterns/,
    );
  });

  it('fetches each repository and revision once per generation, however many generators read it', async () => {
    let fetches = 0;
    const fetcher = new LocalGitFetcher({ cache });
    const counting = { fetch: (request: Parameters<LocalGitFetcher['fetch']>[0]) => (fetches++, fetcher.fetch(request)) };
    const files = gitFilesFromFetcher(counting);
    opened.push(files);
    const set = setFrom(
      gitSet(
        `  - git:\n      repoURL: REPO\n      revision: HEAD\n      files:\n      - path: targets/*/cluster.json
  - git:\n      repoURL: REPO\n      revision: HEAD\n      directories:\n      - path: ${DIRECTORY}/cluster-addons/*`,
        { name: 'app-{{path.basename}}' },
      ),
    );
    expect((await generateApplications(set, { clusters: [], git: files })).map((app) => app.name)).toEqual([
      'app-eu',
      'app-us',
      'app-argo-workflows',
      'app-prometheus-operator',
    ]);
    expect(fetches).toBe(1);
  });
});
