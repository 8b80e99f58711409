// Apps that left the registry. For now: said in the log (removal with the finalizer is next).
import type { AppSpec } from '../config/types.ts';
import type { WorkerDependencies } from './dependencies.ts';

export async function removeApps(apps: AppSpec[], why: string, deps: WorkerDependencies): Promise<void> {
  for (const app of apps) deps.logger.info('app removed from the registry', { app: app.name, why });
  await Promise.resolve();
}
