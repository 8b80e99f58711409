import { describe, expect, it } from 'vitest';
import { assessHealth } from '../../../shared/kube/health/index.ts';
import { live } from './objects.ts';

describe('PersistentVolumeClaim health', () => {
  it.each([
    ['Bound', 'Healthy'],
    ['Pending', 'Progressing'],
    ['Lost', 'Degraded'],
    [undefined, 'Unknown'],
  ])('phase %s → %s', (phase, status) => {
    expect(assessHealth(live('v1', 'PersistentVolumeClaim', { status: phase ? { phase } : {} })).status).toBe(status);
  });
});
