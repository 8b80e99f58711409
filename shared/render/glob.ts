// Argo CD matches directory include/exclude with gobwas/glob compiled without separators,
// so `*` also matches `/` (`*.yaml` selects `sub/x.yaml` when recursing). minimatch never
// lets `*` cross `/`; swapping `/` for a character nobody writes in a path, in both pattern
// and path, gives Argo CD's meaning with minimatch's syntax ({a,b}, [abc], ?).
import { minimatch } from 'minimatch';

const NOT_A_SEPARATOR = '\uE000';

export function matchesArgoGlob(pattern: string, path: string): boolean {
  return minimatch(path.replaceAll('/', NOT_A_SEPARATOR), pattern.replaceAll('/', NOT_A_SEPARATOR), {
    dot: true,
    nocomment: true,
    nonegate: true,
    noext: true,
  });
}
