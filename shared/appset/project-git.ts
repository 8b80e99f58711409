// The git generators of an ApplicationSet an app of apps renders read with the worker's
// credentials, so they may read only the repositories the parent's project allows its sources
// (sourceRepos): otherwise whoever writes the parent's repository could have a set read another
// team's private repository and carry its files into generated apps' names and fields. A set under
// driftless/ is the registry writers' own and reads what they name.
import { repoRefused } from '../config/check.ts';
import type { ProjectSpec } from '../config/types.ts';
import { AppSetInputError } from './errors.ts';
import type { GitFiles } from './git-files.ts';

export function gitWithinProject(git: GitFiles, project: ProjectSpec): GitFiles {
  const check = (repoURL: string) => {
    const refused = repoRefused(project, { repoURL, targetRevision: 'HEAD', path: '.' });
    if (refused) throw new AppSetInputError(`git generator: ${refused}`);
  };
  return {
    directories: async (repoURL, revision) => {
      check(repoURL);
      return git.directories(repoURL, revision);
    },
    files: async (repoURL, revision, pattern) => {
      check(repoURL);
      return git.files(repoURL, revision, pattern);
    },
  };
}
