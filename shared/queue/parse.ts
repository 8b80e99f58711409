// The worker's first step: a message body becomes a typed Job or a named error.
import { jobSchema, type Job } from './job.ts';
import { InvalidJobError } from './errors.ts';

export function parseJob(body: string): Job {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new InvalidJobError('job: message body is not JSON', undefined, { cause: error });
  }
  const parsed = jobSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.map(String).join('.') || '(root)';
  // Values are never quoted: a malformed message may hold anything.
  throw new InvalidJobError(`job: field "${field}": ${issue.message}`, field, { cause: parsed.error });
}
