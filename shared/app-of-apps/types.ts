// What the registry keeps about an app beyond config/'s AppSpec once app of apps is in play:
// the parent whose render made it a child, its app-level sync wave and its resources
// finalizer. They ride along in the stored registry JSON as extra fields, so every reader of
// AppSpec keeps working and only app-of-apps code needs to know them.
import type { AppSpec, ProjectSpec, Registry } from '../config/types.ts';

/** Argo CD's resources finalizer and its two spellings that name a deletion propagation. */
export const RESOURCES_FINALIZERS = [
  'resources-finalizer.argocd.argoproj.io',
  'resources-finalizer.argocd.argoproj.io/foreground',
  'resources-finalizer.argocd.argoproj.io/background',
] as const;
export type ResourcesFinalizer = (typeof RESOURCES_FINALIZERS)[number];

export interface FamilyFields {
  /** The app whose render declared this one; absent for apps written in the registry folder. */
  parent?: string;
  /** `argocd.argoproj.io/sync-wave` of a child Application (default 0). */
  wave?: number;
  /** Set when the app carries Argo CD's resources finalizer: removing it deletes its resources. */
  finalizer?: ResourcesFinalizer;
}

export type RegistryApp = AppSpec & FamilyFields;
export type RegistryProject = ProjectSpec & { parent?: string };

export function parentOf(app: AppSpec): string | undefined {
  return (app as RegistryApp).parent;
}

export function finalizerOf(app: AppSpec): ResourcesFinalizer | undefined {
  return (app as RegistryApp).finalizer;
}

export function waveOf(app: AppSpec): number {
  return (app as RegistryApp).wave ?? 0;
}

/** The first resources finalizer among `metadata.finalizers`, as Argo CD looks for it. */
export function resourcesFinalizer(finalizers: unknown): ResourcesFinalizer | undefined {
  if (!Array.isArray(finalizers)) return undefined;
  return finalizers.find((entry): entry is ResourcesFinalizer => (RESOURCES_FINALIZERS as readonly unknown[]).includes(entry));
}

/** The chain of parents above `name`, nearest first (stops at a loop rather than spin). */
export function ancestorsOf(registry: Registry, name: string): RegistryApp[] {
  const byName = new Map(registry.apps.map((app) => [app.name, app as RegistryApp]));
  const chain: RegistryApp[] = [];
  let current = byName.get(name)?.parent;
  while (current !== undefined && !chain.some((app) => app.name === current)) {
    const app = byName.get(current);
    if (!app) break;
    chain.push(app);
    current = app.parent;
  }
  return chain;
}
