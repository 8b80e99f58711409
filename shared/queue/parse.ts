// The worker's first step: a message body becomes a typed SyncJob or a named error.
import { syncJobSchema, type SyncJob } from './job.ts';
import { InvalidJobError } from './errors.ts';

export function parseSyncJob(body: string): SyncJob {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new InvalidJobError('sync job: message body is not JSON', undefined, { cause: error });
  }
  const parsed = syncJobSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.map(String).join('.') || '(root)';
  throw new InvalidJobError(`sync job: field "${field}": ${issue.message}`, field, { cause: parsed.error });
}
