// What a set does with the Applications it generated before, given the ones it generates now:
// Argo CD's `spec.syncPolicy.applicationsSync` (Controlling Resource Modification). `sync`
// creates, updates and deletes; `create-update` never deletes; `create-delete` never updates an
// Application that exists; `create-only` neither updates nor deletes. An app the policy keeps
// stays exactly as it was in force. Deleting the whole set is not this function's business:
// Argo CD's owner references delete every Application of a deleted set whatever the policy
// (argo-cd#12172), and the registry refresh does the same.
import type { ApplicationsSync } from './types.ts';

export interface SetLifecycle<T> {
  /** The set's apps from now on: generated order first, then the ones kept that it no longer generates. */
  apps: T[];
  /** Apps in force that leave (the set no longer generates them and the policy deletes). */
  removed: T[];
  /** Names of generated apps the policy holds at their version in force (not updated). */
  held: string[];
}

export function applyApplicationsSync<T extends { name: string }>(policy: ApplicationsSync, inForce: readonly T[], generated: readonly T[]): SetLifecycle<T> {
  const updates = policy === 'sync' || policy === 'create-update';
  const deletes = policy === 'sync' || policy === 'create-delete';
  const before = new Map(inForce.map((app) => [app.name, app]));
  const now = new Set(generated.map((app) => app.name));
  const held: string[] = [];
  const apps = generated.map((app) => {
    const existing = before.get(app.name);
    if (!existing || updates) return app;
    held.push(app.name);
    return existing;
  });
  const leaving = inForce.filter((app) => !now.has(app.name));
  if (deletes) return { apps, removed: leaving, held };
  return { apps: [...apps, ...leaving], removed: [], held };
}
