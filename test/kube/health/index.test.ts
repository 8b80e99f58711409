import { describe, expect, it } from 'vitest';
import { assessHealth, missingHealth } from '../../../shared/kube/health/index.ts';
import { live } from './objects.ts';

describe('assessHealth', () => {
  it('calls any object being deleted Progressing, whatever its kind would say', () => {
    const rolledOut = { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 };
    const deleting = live('apps/v1', 'Deployment', { spec: { replicas: 1 }, status: rolledOut, deletionTimestamp: '2025-01-01T00:00:00Z' });
    expect(assessHealth(deleting)).toEqual({ status: 'Progressing', message: 'Pending deletion' });
    expect(assessHealth(live('v1', 'Namespace', { status: { phase: 'Terminating' }, deletionTimestamp: '2025-01-01T00:00:00Z' })).status).toBe('Progressing');
  });

  it('matches kinds on their group: a custom Deployment gets the generic rules', () => {
    const custom = live('example.com/v1', 'Deployment', { spec: { replicas: 3 }, status: {} });
    expect(assessHealth(custom).status).toBe('Healthy');
    expect(assessHealth(live('apps/v1', 'Deployment', { spec: { replicas: 3 }, status: {} })).status).toBe('Progressing');
  });

  it('does not throw on a status of the wrong shape', () => {
    const odd = live('apps/v1', 'Deployment', { spec: { replicas: 'three' }, status: { conditions: 'none', replicas: null } });
    expect(() => assessHealth(odd)).not.toThrow();
    expect(() => assessHealth({ ...live('v1', 'Pod'), status: 'broken' })).not.toThrow();
  });
});

describe('missingHealth', () => {
  it('names the object that is not there', () => {
    expect(missingHealth(live('apps/v1', 'Deployment'))).toEqual({ status: 'Missing', message: 'Deployment/shop/web does not exist' });
  });
});
