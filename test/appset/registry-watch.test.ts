// What a push must re-evaluate: the sets whose git generators read the pushed repository and
// branch, under a folder the push changed (shared/appset/watch.ts), from the full registry and
// from the push index alike.
import { describe, expect, it } from 'vitest';
import type { GitFiles } from '../../shared/appset/git-files.ts';
import type { ApplicationSetSpec } from '../../shared/appset/types.ts';
import { recordingGitFiles, setsToReevaluate } from '../../shared/appset/watch.ts';
import type { Registry } from '../../shared/config/types.ts';
import { pushIndexEntries, pushIndexRegistry } from '../../shared/state/push-index.ts';

const REPO = 'https://github.com/acme/fleet';
const git: GitFiles = { directories: async () => [], files: async () => [] };

function set(name: string, generators: unknown[]): Pick<ApplicationSetSpec, 'name' | 'generators'> {
  return { name, generators };
}

describe('recording what git generators read', () => {
  it('a files pattern: its folder before the first wildcard; directories: the folders of the patterns written', async () => {
    const files = recordingGitFiles(git, set('files', [{ git: { repoURL: REPO, revision: 'main', files: [{ path: 'clusters/*/config.json' }] } }]));
    await files.git.files(REPO, 'main', 'clusters/*/config.json');
    expect(files.watches()).toEqual([{ repoURL: REPO, revision: 'main', paths: ['clusters'] }]);

    const directories = recordingGitFiles(
      git,
      set('dirs', [
        {
          matrix: {
            generators: [
              { git: { repoURL: REPO, revision: 'HEAD', directories: [{ path: 'apps/*' }, { path: 'apps/legacy', exclude: true }, { path: 'infra/**' }] } },
              { list: { elements: [] } },
            ],
          },
        },
      ]),
    );
    await directories.git.directories(REPO, 'HEAD');
    expect(directories.watches()).toEqual([{ repoURL: REPO, revision: 'HEAD', paths: ['apps', 'infra'] }]);
  });

  it('a templated pattern could be anywhere: the whole repository', async () => {
    const recording = recordingGitFiles(git, set('t', [{ git: { repoURL: REPO, revision: 'main', files: [{ path: '{{env}}/config.json' }] } }]));
    await recording.git.files(REPO, 'main', 'envs/{{env}}/config.json');
    await recording.git.files(REPO, 'main', 'envs/prod/config.json');
    expect(recording.watches()).toEqual([{ repoURL: REPO, revision: 'main', paths: [''] }]);
  });
});

describe('setsToReevaluate', () => {
  const registry = {
    apps: [],
    clusters: [],
    projects: [],
    applicationSets: [
      { name: 'by-folder', watches: [{ repoURL: REPO, revision: 'main', paths: ['apps'] }] },
      { name: 'on-head', watches: [{ repoURL: `${REPO}.git`, revision: 'HEAD', paths: ['clusters/prod.json'] }] },
      { name: 'no-git' },
    ],
  } as unknown as Registry;

  const cases: Array<[string, { branch: string; changedFiles: string[] | 'all'; defaultBranch?: string }, string[]]> = [
    ['a file under the folder, on the branch', { branch: 'main', changedFiles: ['apps/web/values.yaml'] }, ['by-folder']],
    ['the folder named like a prefix only', { branch: 'main', changedFiles: ['apps-old/x.yaml'] }, []],
    ['another branch', { branch: 'dev', changedFiles: ['apps/web/values.yaml'] }, []],
    ['HEAD follows the default branch', { branch: 'trunk', changedFiles: ['clusters/prod.json'], defaultBranch: 'trunk' }, ['on-head']],
    ['a push listing no files (too many commits)', { branch: 'main', changedFiles: 'all' }, ['by-folder', 'on-head']],
  ];
  for (const [what, push, expected] of cases) {
    it(what, () => {
      expect(setsToReevaluate(registry, { repoURL: REPO, ...push })).toEqual(expected);
    });
  }

  it('the push index files each set under what it reads, and answers the same', () => {
    const entries = pushIndexEntries(registry);
    const branch = pushIndexRegistry(entries.filter((entry) => entry.id.includes(`#b:main#`)).map((entry) => entry.body));
    expect(setsToReevaluate(branch, { repoURL: REPO, branch: 'main', changedFiles: ['apps/a.yaml'] })).toEqual(['by-folder']);
    const head = pushIndexRegistry(entries.filter((entry) => entry.id.includes('#*default#')).map((entry) => entry.body));
    expect(setsToReevaluate(head, { repoURL: REPO, branch: 'main', changedFiles: ['clusters/prod.json'], defaultBranch: 'main' })).toEqual(['on-head']);
    expect(head.apps).toEqual([]);
  });
});
