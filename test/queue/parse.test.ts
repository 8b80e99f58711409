import { describe, expect, it } from 'vitest';
import { InvalidJobError } from '../../shared/queue/errors.ts';
import { parseSyncJob } from '../../shared/queue/parse.ts';
import { job } from './queues.ts';

function parseError(body: string): InvalidJobError {
  try {
    parseSyncJob(body);
  } catch (error) {
    if (error instanceof InvalidJobError) return error;
    throw error;
  }
  throw new Error('parsed without error');
}

describe('parseSyncJob', () => {
  it('returns the job a sender serialised', () => {
    const sent = job('shop', 'prod', 'a'.repeat(40), { ref: 'main', deliveryId: 'd-1' });
    expect(parseSyncJob(JSON.stringify(sent))).toEqual(sent);
  });

  it('names the missing field', () => {
    const { revision: _revision, ...rest } = job('shop', 'prod', 'abc');
    const error = parseError(JSON.stringify(rest));
    expect(error.field).toBe('revision');
    expect(error.message).toContain('"revision"');
  });

  it('names a field with a value outside its set', () => {
    const error = parseError(JSON.stringify({ ...job('shop', 'prod', 'abc'), reason: 'because' }));
    expect(error.field).toBe('reason');
  });

  it('rejects a body that is not JSON without quoting it', () => {
    const error = parseError('token=s3cr3t');
    expect(error.field).toBeUndefined();
    expect(error.message).not.toContain('s3cr3t');
    expect(error.name).toBe('InvalidJobError');
  });
});
