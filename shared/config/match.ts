// Push matching, as the webhook needs it: which app × cluster targets a push to a branch
// touches. Pure and cheap: the webhook has GitHub's 10 seconds and reads nothing but the
// registry it was given. A push may list a million paths (2047 commits of ~500 files) against
// thousands of apps, so nothing here is files × apps: the registry becomes an index once per
// registry object (repository → branch → a trie of the watched folders' segments; a warm
// webhook handed the same object keeps it), each changed path is normalised once (paths as
// GitHub lists them pass a single regular-expression test) and walked down one trie — the
// branch's, the default branch's followers', or both merged once — which costs files × depth
// whatever the number of apps. A multi-source app joins the groups of each of its Git sources.
import { isUnder, normaliseRepoPath } from './paths.ts';
import { repoKey } from './repo-url.ts';
import { appSources, isChartSource, refValueFile, rendersManifests } from './app-sources.ts';
import type { AppSource, AppSpec, Registry } from './types.ts';

export interface PushChange {
  /** clone_url or html_url of the pushed repository. */
  repoURL: string;
  branch: string;
  headSha: string;
  /** 'all' when the payload cannot tell (new or force-pushed branch, truncated lists). */
  changedFiles: string[] | 'all';
  /** The repository's default branch, which `HEAD` stands for; unknown means `main` or `master`. */
  defaultBranch?: string;
}

export interface Target {
  app: string;
  cluster: string;
  namespace: string;
}

// GitHub lists at most 2048 commits in a push payload, and about 3000 files per commit.
const MAX_LISTED_COMMITS = 2048;
const MAX_LISTED_FILES = 3000;
const GUESSED_DEFAULT_BRANCHES = ['main', 'master'];

export function matchPush(registry: Registry, push: PushChange): Target[] {
  return matchIndexed(pushIndex(registry), push);
}

/** The registry's apps by repository and branch, each group with a trie of its watched folders. */
export interface PushIndex {
  readonly apps: readonly AppSpec[];
  readonly repos: ReadonlyMap<string, RepoGroups>;
}

interface RepoGroups {
  /** Apps whose targetRevision names a branch, by that branch (`x` and `refs/heads/x` both under `x`). */
  byBranch: Map<string, AppGroup>;
  /** Apps on `HEAD` (or no revision): they follow the default branch. */
  followsDefault: AppGroup;
}

interface AppGroup {
  /** Registry positions of the group's apps, ascending, so results keep the registry's order. */
  members: number[];
  trie: TrieNode;
  /**
   * For a named branch's group: this group and `followsDefault` as one, made the first time a
   * push to the branch comes while it is the default branch, so such a push walks one trie.
   */
  withDefault?: AppGroup;
}

interface TrieNode {
  /** Apps watching exactly this folder (the root: the whole repository), ascending. */
  watchers: number[];
  children: Map<string, TrieNode>;
  /** The last match that counted this node's watchers (bookkeeping of collectWatchers, not index content). */
  seenBy: number;
}

const indexes = new WeakMap<Registry, PushIndex>();

/**
 * The index of `registry`, built once per registry object: a warm webhook that is handed the
 * same registry object for the same registry version (the state store's cache) builds it once.
 * The registry must not be changed in place afterwards.
 */
export function pushIndex(registry: Registry): PushIndex {
  let index = indexes.get(registry);
  if (!index) {
    index = buildIndex(registry.apps);
    indexes.set(registry, index);
  }
  return index;
}

function matchIndexed(index: PushIndex, push: PushChange): Target[] {
  const repo = index.repos.get(repoKey(push.repoURL));
  if (!repo) return [];
  const group = groupTracking(repo, push.branch, push.defaultBranch);
  if (!group) return [];
  let positions: readonly number[];
  if (push.changedFiles === 'all') {
    positions = group.members;
  } else {
    const matched: Matched = { pass: ++passes, flags: new Uint8Array(index.apps.length), count: 0 };
    const candidates = group.members.length;
    for (const path of normalisedPaths(push.changedFiles)) {
      collectWatchers(group.trie, path, matched);
      if (matched.count === candidates) break;
    }
    // Every watcher is a member, and members are ascending: the registry's order without a sort.
    positions = group.members.filter((member) => matched.flags[member] === 1);
  }
  const targets: Target[] = [];
  for (const position of positions) {
    const app = index.apps[position];
    for (const destination of app.destinations) targets.push({ app: app.name, cluster: destination.cluster, namespace: destination.namespace });
  }
  return targets;
}

function buildIndex(apps: readonly AppSpec[]): PushIndex {
  const repos = new Map<string, RepoGroups>();
  // A fleet names few repositories many times; parsing each spelling once keeps the build linear in apps.
  const keys = new Map<string, string>();
  apps.forEach((app, position) => {
    // Every Git source of the app watches its own repository and branch: a push to any of them
    // (a ref source's value files included) syncs the app.
    for (const watched of watchedSources(app)) {
      let key = keys.get(watched.repoURL);
      if (key === undefined) {
        key = repoKey(watched.repoURL);
        keys.set(watched.repoURL, key);
      }
      let repo = repos.get(key);
      if (!repo) {
        repo = { byBranch: new Map(), followsDefault: emptyGroup() };
        repos.set(key, repo);
      }
      const folders = watched.paths.map(normalisedPath).filter((folder): folder is string => folder !== undefined);
      for (const group of groupsOf(repo, watched.targetRevision)) {
        // Positions only grow, so a second source of the same app in this group is the last member.
        if (group.members[group.members.length - 1] !== position) group.members.push(position);
        for (const folder of folders) insert(group.trie, folder, position);
      }
    }
  });
  return { apps, repos };
}

/** The groups an app joins: as tracksBranch reads its revision, by name, by ref, or as HEAD. */
function groupsOf(repo: RepoGroups, targetRevision: string): AppGroup[] {
  const revision = targetRevision.trim();
  const branches = new Set<string>();
  if (revision !== '') branches.add(revision);
  if (revision.startsWith('refs/heads/')) branches.add(revision.slice('refs/heads/'.length));
  const groups = [...branches].map((branch) => {
    let group = repo.byBranch.get(branch);
    if (!group) {
      group = emptyGroup();
      repo.byBranch.set(branch, group);
    }
    return group;
  });
  if (revision === '' || revision === 'HEAD') groups.push(repo.followsDefault);
  return groups;
}

/** The one group a push to `branch` concerns: the branch's own, the default branch's followers, or both merged. */
function groupTracking(repo: RepoGroups, branch: string, defaultBranch: string | undefined): AppGroup | undefined {
  const named = repo.byBranch.get(branch);
  const isDefault = defaultBranch === undefined ? GUESSED_DEFAULT_BRANCHES.includes(branch) : branch === defaultBranch;
  const followers = isDefault && repo.followsDefault.members.length > 0 ? repo.followsDefault : undefined;
  if (!named || !followers) return named ?? followers;
  named.withDefault ??= { members: mergedPositions(named.members, followers.members), trie: mergedTrie(named.trie, followers.trie) };
  return named.withDefault;
}

/** The union of two ascending position lists, ascending. */
function mergedPositions(a: readonly number[], b: readonly number[]): number[] {
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
    if (i < a.length && a[i] === next) i++;
    if (j < b.length && b[j] === next) j++;
    merged.push(next);
  }
  return merged;
}

/** A new trie holding both tries' folders and watchers; neither input changes. */
function mergedTrie(a: TrieNode, b: TrieNode): TrieNode {
  const children = new Map<string, TrieNode>();
  for (const [segment, child] of a.children) {
    const other = b.children.get(segment);
    children.set(segment, other ? mergedTrie(child, other) : child);
  }
  for (const [segment, child] of b.children) if (!a.children.has(segment)) children.set(segment, child);
  return { watchers: mergedPositions(a.watchers, b.watchers), children, seenBy: 0 };
}

function emptyGroup(): AppGroup {
  return { members: [], trie: { watchers: [], children: new Map(), seenBy: 0 } };
}

function insert(root: TrieNode, folder: string, position: number): void {
  let node = root;
  if (folder !== '.') {
    for (const segment of folder.split('/')) {
      let child = node.children.get(segment);
      if (!child) {
        child = { watchers: [], children: new Map(), seenBy: 0 };
        node.children.set(segment, child);
      }
      node = child;
    }
  }
  // Positions only grow while the index is built, so a repeat can only be the last watcher (a
  // folder thousands of apps share, like a common values file, must not cost watchers² here).
  if (node.watchers[node.watchers.length - 1] !== position) node.watchers.push(position);
}

/** The apps one push matched so far, by registry position. */
interface Matched {
  /** This match's number: a node whose `seenBy` is it has had its watchers counted. */
  pass: number;
  flags: Uint8Array;
  count: number;
}

// Numbers the matches, so each trie node's watchers are counted once per push however many
// paths pass through it (a thousand apps on `.` and a million paths must not cost 10⁹).
let passes = 0;

/** Marks every app watching `path` or a folder above it (the root included). */
function collectWatchers(root: TrieNode, path: string, matched: Matched): void {
  let node: TrieNode | undefined = root;
  markWatchers(root, matched);
  if (path === '.') return;
  let start = 0;
  while (node && start <= path.length) {
    const end = path.indexOf('/', start);
    const segment = path.slice(start, end === -1 ? undefined : end);
    node = node.children.get(segment);
    if (node) markWatchers(node, matched);
    if (end === -1) break;
    start = end + 1;
  }
}

function markWatchers(node: TrieNode, matched: Matched): void {
  if (node.seenBy === matched.pass) return;
  node.seenBy = matched.pass;
  for (const watcher of node.watchers) {
    if (matched.flags[watcher] === 0) {
      matched.flags[watcher] = 1;
      matched.count++;
    }
  }
}

// The changed files of one push, normalised once for every caller that asks (matchPush and
// configChanged get the same array from the webhook).
const normalised = new WeakMap<readonly string[], string[]>();

function normalisedPaths(files: readonly string[]): string[] {
  let paths = normalised.get(files);
  if (!paths) {
    paths = [];
    for (const file of files) {
      const path = normalisedPath(file);
      // A path that climbs out of the repository is under no folder of it.
      if (path !== undefined) paths.push(path);
    }
    normalised.set(files, paths);
  }
  return paths;
}

// Paths as GitHub lists them are already normal (no `./`, `..`, `//`, `\\`, no leading or trailing
// `/` or blank): those skip normaliseRepoPath's regexes and posix.normalize, which cost more than
// the walk down the trie. Anything else takes the full normalisation.
const NOT_PLAIN = /\\|\/\/|^\/|\/$|(?:^|\/)\.{1,2}(?:\/|$)|^\s|\s$/;

function normalisedPath(path: string): string | undefined {
  return path !== '' && !NOT_PLAIN.test(path) ? path : normaliseRepoPath(path);
}

/** A tag or a sha never follows a branch: only the branch's name, its ref, or HEAD on the default branch. */
export function tracksBranch(targetRevision: string, branch: string, defaultBranch?: string): boolean {
  const revision = targetRevision.trim();
  if (revision === branch || revision === `refs/heads/${branch}`) return true;
  if (revision !== '' && revision !== 'HEAD') return false;
  return defaultBranch === undefined ? GUESSED_DEFAULT_BRANCHES.includes(branch) : branch === defaultBranch;
}

/**
 * The app's folder, its extra paths, and Helm value files kept outside the folder (relative to
 * it, or to the root when absolute, as the renderer reads them): a change to any of them can
 * change what the app renders. For a multi-source app, the primary source's; watchedSources()
 * has every source's.
 */
export function watchedPaths(app: AppSpec): string[] {
  return sourcePaths(app.source, []);
}

/** A Git repository and revision an app renders from, and the paths in it whose change syncs the app. */
export interface WatchedSource {
  repoURL: string;
  targetRevision: string;
  paths: string[];
}

/**
 * Every Git source of the app with what it watches: its folder (unless it only lends value
 * files), its extra paths, its own Helm value files, and the files other sources read from it
 * as `$<ref>/…` value files. A chart source is in no Git repository and watches nothing.
 */
export function watchedSources(app: AppSpec): WatchedSource[] {
  if (app.sources === undefined) {
    return isChartSource(app.source) ? [] : [{ repoURL: app.source.repoURL, targetRevision: app.source.targetRevision, paths: watchedPaths(app) }];
  }
  const all = appSources(app);
  return all
    .filter((source) => !isChartSource(source))
    .map((source) => {
      const lent: string[] = [];
      if (source.ref !== undefined) {
        for (const reader of all) {
          for (const valueFile of reader.helm?.valueFiles ?? []) {
            const parsed = refValueFile(valueFile);
            if (parsed?.ref === source.ref) lent.push(parsed.path);
          }
        }
      }
      return { repoURL: source.repoURL, targetRevision: source.targetRevision, paths: sourcePaths(source, lent) };
    });
}

function sourcePaths(source: AppSource, lent: string[]): string[] {
  const paths = [...(rendersManifests(source) ? [source.path] : []), ...(source.extraPaths ?? [])];
  const add = (path: string | undefined) => {
    if (path !== undefined && !paths.some((folder) => isUnder(path, folder))) paths.push(path);
  };
  if (rendersManifests(source)) {
    for (const valueFile of source.helm?.valueFiles ?? []) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(valueFile) || refValueFile(valueFile)) continue;
      add(normaliseRepoPath(valueFile.startsWith('/') ? valueFile : `${source.path}/${valueFile}`));
    }
  }
  for (const path of lent) add(normaliseRepoPath(path));
  return paths;
}

/** Whether a push to the config repository touched the registry folder. */
export function configChanged(registryDir: string, changed: string[] | 'all'): boolean {
  if (changed === 'all') return true;
  const folder = normaliseRepoPath(registryDir);
  if (folder === undefined) return false;
  if (folder === '.') return normalisedPaths(changed).length > 0;
  return normalisedPaths(changed).some((path) => path === folder || path.startsWith(`${folder}/`));
}

export interface PushPayloadFiles {
  created?: boolean;
  forced?: boolean;
  deleted?: boolean;
  commits?: Array<{ added?: string[]; removed?: string[]; modified?: string[] }>;
  head_commit?: unknown;
}

/**
 * Every file the push added, removed or modified, or 'all' when the payload cannot be trusted
 * to list them: a new branch (its commits are not all listed), a force push (files may have
 * changed back to an older state), or lists GitHub cut short.
 */
export function changedFilesOf(payload: PushPayloadFiles): string[] | 'all' {
  if (payload.deleted) return [];
  if (payload.created || payload.forced) return 'all';
  const commits = payload.commits;
  if (!Array.isArray(commits)) return 'all';
  if (commits.length === 0) return payload.head_commit ? 'all' : [];
  if (commits.length >= MAX_LISTED_COMMITS) return 'all';
  const files = new Set<string>();
  for (const commit of commits) {
    const lists = [commit.added, commit.removed, commit.modified];
    if (lists.every((list) => list === undefined)) return 'all';
    const count = lists.reduce((sum, list) => sum + (list?.length ?? 0), 0);
    if (count >= MAX_LISTED_FILES) return 'all';
    for (const list of lists) for (const file of list ?? []) files.add(file);
  }
  return [...files].sort();
}
