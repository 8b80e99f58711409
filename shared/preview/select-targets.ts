// Which app × cluster targets a change touches: the push matcher's answer (config/match.ts),
// asked for each revision the repository's apps track when the change names no base branch,
// since a preview is of a change not yet merged anywhere: every app whose watched paths in
// this repository the change touches, whatever branch, tag or HEAD it follows.
import { matchPush, watchedSources, type Target } from '../config/match.ts';
import { repoKey } from '../config/repo-url.ts';
import type { Registry } from '../config/types.ts';

export type { Target } from '../config/match.ts';

export function touchedTargets(registry: Registry, repoURL: string, changedFiles: string[], baseBranch?: string, repoDefaultBranch?: string): Target[] {
  const branches = baseBranch === undefined ? trackedRevisions(registry, repoURL) : [baseBranch];
  const seen = new Set<string>();
  const targets: Target[] = [];
  for (const branch of branches) {
    // HEAD (or no revision) follows the default branch: asked as a default branch named HEAD.
    const defaultBranch = baseBranch === undefined ? (branch === 'HEAD' ? 'HEAD' : undefined) : repoDefaultBranch;
    for (const target of matchPush(registry, { repoURL, branch, headSha: '', changedFiles, defaultBranch })) {
      const key = `${target.app}@${target.cluster}`;
      if (seen.has(key)) continue;
      seen.add(key);
      targets.push(target);
    }
  }
  // In the registry's order, whatever revision found them first.
  const order = new Map(registry.apps.map((app, index) => [app.name, index]));
  return targets.sort((a, b) => (order.get(a.app) ?? 0) - (order.get(b.app) ?? 0));
}

/** Every revision an app's Git source in this repository tracks, `refs/heads/` dropped, HEAD for none. */
function trackedRevisions(registry: Registry, repoURL: string): string[] {
  const key = repoKey(repoURL);
  const revisions = new Set<string>();
  for (const app of registry.apps) {
    for (const source of watchedSources(app)) {
      if (repoKey(source.repoURL) !== key) continue;
      const revision = source.targetRevision.trim();
      revisions.add(revision === '' ? 'HEAD' : revision.startsWith('refs/heads/') ? revision.slice('refs/heads/'.length) : revision);
    }
  }
  return [...revisions];
}
