import { describe, expect, it } from 'vitest';
import { InvalidJobError } from '../../shared/queue/errors.ts';
import type { DriftScanJob, RegistryRefreshJob } from '../../shared/queue/job.ts';
import { parseJob } from '../../shared/queue/parse.ts';
import { job } from './queues.ts';

function parseError(body: string): InvalidJobError {
  try {
    parseJob(body);
  } catch (error) {
    if (error instanceof InvalidJobError) return error;
    throw error;
  }
  throw new Error('parsed without error');
}

describe('parseJob', () => {
  it('returns the job a sender serialised', () => {
    const sent = job('shop', 'prod', 'a'.repeat(40), { ref: 'main', deliveryId: 'd-1' });
    expect(parseJob(JSON.stringify(sent))).toEqual(sent);
  });

  it('returns a continued sync with its count and original trigger', () => {
    const sent = job('shop', 'prod', 'a'.repeat(40), { trigger: 'manual', continuation: 2 });
    expect(parseJob(JSON.stringify(sent))).toEqual(sent);
  });

  it('returns drift scans and registry refreshes as their own kinds', () => {
    const scan: DriftScanJob = {
      kind: 'drift-scan',
      app: 'shop',
      cluster: 'prod',
      revision: 'a'.repeat(40),
      enqueuedAt: '2025-06-01T12:00:00.000Z',
      schedulePeriod: 5_800_000,
    };
    const refresh: RegistryRefreshJob = {
      kind: 'registry-refresh',
      revision: 'b'.repeat(40),
      ref: 'main',
      trigger: 'config',
      deliveryId: 'd-2',
      enqueuedAt: '2025-06-01T12:00:00.000Z',
    };
    expect(parseJob(JSON.stringify(scan))).toEqual(scan);
    expect(parseJob(JSON.stringify(refresh))).toEqual(refresh);
  });

  it('names the missing field', () => {
    const { revision: _revision, ...rest } = job('shop', 'prod', 'abc');
    const error = parseError(JSON.stringify(rest));
    expect(error.field).toBe('revision');
    expect(error.message).toContain('"revision"');
  });

  it('names a field with a value outside its set', () => {
    const error = parseError(JSON.stringify({ ...job('shop', 'prod', 'abc'), trigger: 'because' }));
    expect(error.field).toBe('trigger');
  });

  it('does not take "continue" as a trigger: a continuation is counted, not a cause', () => {
    expect(parseError(JSON.stringify({ ...job('shop', 'prod', 'abc'), trigger: 'continue' })).field).toBe('trigger');
  });

  it('names the kind when it is unknown or missing', () => {
    const unknown = parseError(JSON.stringify({ ...job('shop', 'prod', 'abc'), kind: 'rollout-step' }));
    expect(unknown).toMatchObject({ name: 'InvalidJobError', field: 'kind' });
    expect(unknown.message).toContain('"kind"');
    const { kind: _kind, ...untyped } = job('shop', 'prod', 'abc');
    expect(parseError(JSON.stringify(untyped)).field).toBe('kind');
  });

  it('wants the fields of the kind it names', () => {
    const error = parseError(JSON.stringify({ kind: 'drift-scan', app: 'shop', cluster: 'prod', revision: 'abc', enqueuedAt: '2025-06-01T12:00:00.000Z' }));
    expect(error.field).toBe('schedulePeriod');
  });

  it('rejects a body that is not JSON without quoting it', () => {
    const error = parseError('token=s3cr3t');
    expect(error.field).toBeUndefined();
    expect(error.message).not.toContain('s3cr3t');
    expect(error.name).toBe('InvalidJobError');
  });
});
