// "Re-run" on one of our check runs: GitHub sends `check_run` with action `rerequested`, and
// the run's external_id (`<app>@<cluster>`, set when it was created) says what to sync again at
// its head_sha. Pure: the webhook decides what to enqueue. A run that is not ours (another
// app's, or a name that does not match its external_id) answers undefined.
import { nameSchema } from '../config/schemas.ts';
import { statusContext } from './status.ts';

export interface RerequestedTarget {
  app: string;
  cluster: string;
  sha: string;
}

const SHA = /^[0-9a-f]{40}$/;

export function rerequestedTarget(payload: unknown): RerequestedTarget | undefined {
  if (!isObject(payload) || payload.action !== 'rerequested' || !isObject(payload.check_run)) return undefined;
  const { external_id: externalId, head_sha: sha, name } = payload.check_run;
  if (typeof externalId !== 'string' || typeof sha !== 'string' || !SHA.test(sha)) return undefined;
  // App names are DNS-1123 labels: no "@" in either, so the split is unambiguous.
  const parts = externalId.split('@');
  if (parts.length !== 2) return undefined;
  const [app, cluster] = parts;
  if (!nameSchema.safeParse(app).success || !nameSchema.safeParse(cluster).success) return undefined;
  // Ours are named as the commit status context: anything else only happens to share an external_id.
  if (name !== statusContext(app, cluster)) return undefined;
  return { app, cluster, sha };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
