// The registry from the config repository: every *.yaml, *.yml and *.json under `driftless/`
// (recursively, in path order so results never depend on the file system), validated,
// normalised and cross-checked. Nothing is returned unless everything is right: one
// RegistryError lists every problem. ApplicationSets are parsed here (parseRegistryFiles stays
// synchronous for its many callers and returns the sets, no generated apps); loadRegistry and
// the worker's registry refresh generate their apps (shared/appset/expand.ts).
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Located } from './check.ts';
import { assembleRegistry, unique } from './check.ts';
import { parseRegistryFile } from './documents.ts';
import { RegistryError, RegistryReadError } from './errors.ts';
import type { RegistryProblem } from './errors.ts';
import type { AppDraft } from './normalise-app.ts';
import { normaliseArgoApplication, normaliseOurApplication } from './normalise-app.ts';
import { normaliseCluster } from './normalise-cluster.ts';
import { normaliseProject } from './normalise-project.ts';
import { reporter, sortProblems } from './problems.ts';
import type { ClusterSpec, ProjectSpec, Registry } from './types.ts';
import { PolicyDocuments } from './policy-documents.ts';
import { validateDocument } from './validate.ts';
import { isNotificationsDocument, parseNotificationsConfig } from '../notifications/parse-config.ts';
import type { NotificationsConfig } from '../notifications/types.ts';
import { isRbacConfigMap, rbacDocumentProblems } from '../rbac/registry-check.ts';
import { isApplicationSetDocument, validateApplicationSet } from '../appset/schema.ts';
import { AppSetInputError } from '../appset/errors.ts';
import { expandApplicationSets } from '../appset/expand.ts';
import type { GitFiles } from '../appset/git-files.ts';
import type { ApplicationSetSpec } from '../appset/types.ts';

export const REGISTRY_DIR = 'driftless';
const REGISTRY_FILE = /\.(ya?ml|json)$/i;

export interface RegistryFile {
  /** Repository-relative path, forward slashes. */
  file: string;
  text: string;
}

export interface LoadOptions {
  /** Where the sets' git generators read; absent: a set with a git generator is a problem. */
  git?: GitFiles;
  /** The registry in force, whose generated apps the sets' applicationsSync keeps or replaces. */
  previous?: Registry;
}

/** The registry of the folder, its ApplicationSets generated (shared/appset/expand.ts). */
export async function loadRegistry(root: string, dir = REGISTRY_DIR, options: LoadOptions = {}): Promise<Registry> {
  const written = parseRegistryFiles(await readRegistryFiles(root, dir));
  return expandApplicationSets(written, { git: options.git ?? NO_GIT, previous: options.previous });
}

const NO_GIT: GitFiles = {
  directories: () => Promise.reject(new AppSetInputError('git generators cannot be evaluated here (no repository access was given)')),
  files: () => Promise.reject(new AppSetInputError('git generators cannot be evaluated here (no repository access was given)')),
};

export async function readRegistryFiles(root: string, dir = REGISTRY_DIR): Promise<RegistryFile[]> {
  const base = join(root, dir);
  let entries: string[];
  try {
    entries = await readdir(base, { recursive: true });
  } catch (error) {
    throw new RegistryReadError(base, (error as Error).message, { cause: error });
  }
  const names = entries.filter((entry) => REGISTRY_FILE.test(entry)).sort();
  const files: RegistryFile[] = [];
  for (const name of names) {
    const path = join(base, name);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      // A folder named like a file (`x.yaml/`) is not a registry file.
      if ((error as NodeJS.ErrnoException).code === 'EISDIR') continue;
      throw new RegistryReadError(path, (error as Error).message, { cause: error });
    }
    files.push({ file: relative(root, path).split(sep).join('/'), text });
  }
  return files;
}

/** The pure core of loadRegistry: files in, registry out, or a RegistryError listing every problem. */
export function parseRegistryFiles(files: RegistryFile[]): Registry {
  const problems: RegistryProblem[] = [];
  const apps: AppDraft[] = [];
  const clusters: Array<Located<ClusterSpec>> = [];
  const projects: Array<Located<ProjectSpec>> = [];
  const sets: Array<Located<ApplicationSetSpec>> = [];
  const policyDocuments = new PolicyDocuments();
  let notifications: { config?: NotificationsConfig; at: string } | undefined;
  let rbacAt: string | undefined;
  const ordered = [...files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const { file, text } of ordered) {
    const parsed = parseRegistryFile(file, text);
    problems.push(...parsed.problems);
    for (const document of parsed.documents) {
      // The notifications ConfigMap is a v1 ConfigMap too; it is not an admission policy's parameters.
      if (isNotificationsDocument(document.value)) {
        const at = `${document.file}:${document.line}`;
        if (notifications) reporter(document, problems)([], `a second notifications ConfigMap (the first is at ${notifications.at}): keep one`);
        else notifications = { config: parseNotificationsConfig(document, problems), at };
        continue;
      }
      // Either kind of ApplicationSet: kept as written here, generated by loadRegistry and the worker (shared/appset/expand.ts).
      if (isApplicationSetDocument(document.value)) {
        const set = validateApplicationSet(document, reporter(document, problems));
        if (set) sets.push({ spec: set, document });
        continue;
      }
      const valid = validateDocument(document, problems);
      if (!valid) continue;
      const report = reporter(document, problems);
      if (valid.kind === 'Application') {
        apps.push(valid.source === 'ours' ? normaliseOurApplication(valid.value, document, report) : normaliseArgoApplication(valid.value, document, report));
      } else if (valid.kind === 'Cluster') {
        clusters.push({ spec: normaliseCluster(valid.value, document), document });
      } else if (valid.kind === 'Project' || valid.kind === 'AppProject') {
        projects.push({ spec: normaliseProject(valid.value, document), document });
      } else {
        // Argo CD's argocd-rbac-cm is a ConfigMap too: kept among the parameters (the API reads it there), its policy checked now.
        if (valid.kind === 'ConfigMap' && isRbacConfigMap(valid.value)) {
          const at = `${document.file}:${document.line}`;
          if (rbacAt) report([], `a second argocd-rbac-cm (the first is at ${rbacAt}): keep one, the API reads one policy`);
          rbacAt ??= at;
          problems.push(...rbacDocumentProblems(document, valid.value.data ?? {}, text));
        }
        policyDocuments.add(valid, document, report);
      }
    }
  }
  const registry: Registry = assembleRegistry(apps, clusters, projects, problems);
  const policies = policyDocuments.assemble();
  // Only a registry with policies carries the field, so one without reads as it did before.
  if (policies.policies.length + policies.bindings.length + policies.params.length > 0) registry.policies = policies;
  if (notifications?.config) registry.notifications = notifications.config;
  // Only a registry with sets carries the field, so one without reads (and is stored) as before.
  const applicationSets = unique(sets, 'ApplicationSet', problems).map((item) => item.spec);
  if (applicationSets.length > 0) registry.applicationSets = applicationSets;
  if (problems.length > 0) throw new RegistryError(sortProblems(problems));
  return registry;
}
