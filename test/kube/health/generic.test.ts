import { describe, expect, it } from 'vitest';
import { assessHealth } from '../../../shared/kube/health/index.ts';
import { condition, live } from './objects.ts';

const cr = (generation: number, status?: Record<string, unknown>) => live('example.com/v1', 'Widget', { generation, spec: { size: 1 }, status });

describe('generic health (kstatus rules)', () => {
  it.each([
    ['no status at all', cr(1), 'Healthy'],
    ['status without conditions', cr(1, { phase: 'Whatever' }), 'Healthy'],
    ['latest generation not observed', cr(3, { observedGeneration: 2, conditions: [condition('Ready', 'True')] }), 'Progressing'],
    ['latest generation observed', cr(3, { observedGeneration: 3 }), 'Healthy'],
    ['Stalled', cr(1, { conditions: [condition('Stalled', 'True', 'InvalidSpec', 'size must be positive')] }), 'Degraded'],
    ['Reconciling', cr(1, { conditions: [condition('Reconciling', 'True', 'Progressing')] }), 'Progressing'],
    ['Stalled wins over Reconciling', cr(1, { conditions: [condition('Reconciling', 'True'), condition('Stalled', 'True')] }), 'Degraded'],
    ['Stalled False', cr(1, { conditions: [condition('Stalled', 'False')] }), 'Healthy'],
    ['Ready True', cr(1, { conditions: [condition('Ready', 'True')] }), 'Healthy'],
    ['Ready False', cr(1, { conditions: [condition('Ready', 'False', 'Issuing', 'Issuing certificate')] }), 'Progressing'],
    ['Ready Unknown', cr(1, { conditions: [condition('Ready', 'Unknown')] }), 'Progressing'],
    ['Available False', cr(1, { conditions: [condition('Available', 'False')] }), 'Progressing'],
  ])('%s → %s', (_, object, status) => {
    expect(assessHealth(object).status).toBe(status);
  });

  it('says which generation it waits for', () => {
    expect(assessHealth(cr(3, { observedGeneration: 2 })).message).toBe('Widget generation is 3, but latest observed generation is 2');
  });

  it.each([
    ['v1', 'ConfigMap'],
    ['v1', 'Secret'],
    ['v1', 'ServiceAccount'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
    ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
    ['networking.k8s.io/v1', 'NetworkPolicy'],
  ])('%s %s, which never has a status, is Healthy', (apiVersion, kind) => {
    expect(assessHealth(live(apiVersion, kind))).toEqual({ status: 'Healthy' });
  });

  it('calls an active Namespace Healthy', () => {
    expect(assessHealth(live('v1', 'Namespace', { status: { phase: 'Active' } })).status).toBe('Healthy');
  });
});
