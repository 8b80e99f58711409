import { describe, expect, it } from 'vitest';
import { assessHealth } from '../../../shared/kube/health/index.ts';
import { condition, live } from './objects.ts';

const crd = (conditions?: Record<string, string>[]) =>
  live('apiextensions.k8s.io/v1', 'CustomResourceDefinition', { spec: { group: 'example.com' }, status: conditions ? { conditions } : undefined });

describe('CustomResourceDefinition health', () => {
  it.each([
    ['established', crd([condition('NamesAccepted', 'True'), condition('Established', 'True')]), 'Healthy'],
    ['just created, no conditions', crd(), 'Progressing'],
    [
      'not yet established',
      crd([condition('NamesAccepted', 'True'), condition('Established', 'False', 'Installing', 'the initial names have been accepted')]),
      'Progressing',
    ],
    [
      'names rejected',
      crd([condition('NamesAccepted', 'False', 'MultipleNamesNotAllowed', '"widgets" is already in use'), condition('Established', 'False', 'NotAccepted')]),
      'Degraded',
    ],
    ['terminating', crd([condition('Established', 'True'), condition('Terminating', 'True')]), 'Progressing'],
  ])('%s → %s', (_, object, status) => {
    expect(assessHealth(object).status).toBe(status);
  });

  it('says which names were rejected', () => {
    const rejected = crd([condition('NamesAccepted', 'False', 'MultipleNamesNotAllowed', '"widgets" is already in use')]);
    expect(assessHealth(rejected).message).toBe('CRD names have not been accepted: "widgets" is already in use');
  });
});
