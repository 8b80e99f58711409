// What the registry tests of ApplicationSets share.
import type { GitFiles } from '../../shared/appset/git-files.ts';

/** For sets without git generators: any read is a test mistake, said loudly. */
export function noGit(): GitFiles {
  const refuse = (): never => {
    throw new Error('this test gives its sets no Git: a git generator was evaluated');
  };
  return { directories: async () => refuse(), files: async () => refuse() };
}
