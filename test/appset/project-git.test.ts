// A set an app of apps renders reads with its git generators only the repositories the parent's
// project allows (AppProject sourceRepos, globs and `!` as Argo CD matches them).
import { expect, it } from 'vitest';
import { gitWithinProject } from '../../shared/appset/project-git.ts';
import type { GitFiles } from '../../shared/appset/git-files.ts';
import type { ProjectSpec } from '../../shared/config/types.ts';
import { isBadInput } from '../../shared/errors/bad-input.ts';

const reads: string[] = [];
const tree: GitFiles = {
  directories: async (repoURL) => {
    reads.push(repoURL);
    return ['teams/a'];
  },
  files: async (repoURL) => {
    reads.push(repoURL);
    return [];
  },
};
const project: ProjectSpec = {
  name: 'team-a',
  sourceRepos: ['https://github.com/acme/team-a-*', '!https://github.com/acme/team-a-secrets'],
  destinations: [],
  definedIn: { file: 'apps/root/project.yaml' },
};

it('reads an allowed repository and refuses another, as bad input naming the project, before any read', async () => {
  const git = gitWithinProject(tree, project);
  expect(await git.directories('https://github.com/acme/team-a-apps.git', 'main')).toEqual(['teams/a']);
  for (const repoURL of ['https://github.com/acme/payroll.git', 'https://github.com/acme/team-a-secrets.git']) {
    const refusal = await git.files(repoURL, 'main', '*.json').catch((error: unknown) => error);
    expect(isBadInput(refusal)).toBe(true);
    expect((refusal as Error).message).toContain(`git generator: project "team-a" does not allow repository ${repoURL}`);
  }
  expect(reads).toEqual(['https://github.com/acme/team-a-apps.git']);
});
