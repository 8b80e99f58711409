// RollingSync step selection and maxUpdate as Argo CD's Progressive Syncs documentation states
// them: an app belongs to the first step whose matchExpressions ALL match its labels (In: one of
// the values; NotIn: none of them); an app no step selects is left out; maxUpdate is a count or a
// percentage rounded down "but floored at 1 Application for >0%", 0 updates none, and absent is
// 100% of the step.
import { describe, expect, it } from 'vitest';
import type { RollingSyncStep } from '../../shared/appset/types.ts';
import { describeStep, maxUpdateOf, stepOf } from '../../shared/rollout/steps.ts';

const steps: RollingSyncStep[] = [
  { matchExpressions: [{ key: 'envLabel', operator: 'In', values: ['env-dev'] }] },
  { matchExpressions: [{ key: 'envLabel', operator: 'In', values: ['env-qa'] }], maxUpdate: 0 },
  { matchExpressions: [{ key: 'envLabel', operator: 'In', values: ['env-prod'] }], maxUpdate: '10%' },
];

describe('RollingSync step of an app', () => {
  it.each([
    [{ envLabel: 'env-dev' }, 0],
    [{ envLabel: 'env-qa' }, 1],
    [{ envLabel: 'env-prod', region: 'eu' }, 2],
    [{ envLabel: 'env-staging' }, undefined],
    [{}, undefined],
  ])('labels %o → step %s', (labels, expected) => {
    expect(stepOf(labels, steps)).toBe(expected);
  });

  it('take the first step that selects the app, when two would', () => {
    const overlapping: RollingSyncStep[] = [
      {
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod'] },
          { key: 'region', operator: 'In', values: ['us'] },
        ],
      },
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] },
    ];
    expect(stepOf({ env: 'prod', region: 'us' }, overlapping)).toBe(0);
    expect(stepOf({ env: 'prod', region: 'eu' }, overlapping)).toBe(1);
  });

  it('need every expression of a step (AND), and NotIn wins over In', () => {
    const step: RollingSyncStep = {
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'staging'] },
        { key: 'region', operator: 'NotIn', values: ['eu'] },
      ],
    };
    expect(stepOf({ env: 'prod', region: 'us' }, [step])).toBe(0);
    expect(stepOf({ env: 'staging', region: 'eu' }, [step])).toBeUndefined();
    expect(stepOf({ env: 'dev', region: 'us' }, [step])).toBeUndefined();
    // Argo CD selects on labels the app has: one without the key is not selected, NotIn or not.
    expect(stepOf({ env: 'prod' }, [step])).toBeUndefined();
  });
});

describe('maxUpdate', () => {
  it.each([
    [undefined, 7, 7],
    [2, 7, 2],
    [10, 3, 10],
    [0, 5, 0],
    ['10%', 20, 2],
    ['10%', 5, 1],
    ['25%', 9, 2],
    ['100%', 4, 4],
    ['0%', 4, 0],
    ['3', 10, 3],
  ] as const)('maxUpdate %s of %i apps → %i at once', (maxUpdate, count, expected) => {
    expect(maxUpdateOf({ maxUpdate }, count)).toBe(expected);
  });
});

it('describe a step as it selects', () => {
  expect(describeStep(steps[0])).toBe('envLabel In [env-dev]');
});
