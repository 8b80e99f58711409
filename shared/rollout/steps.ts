// A RollingSync strategy's steps as Argo CD reads them (docs: operator-manual/applicationset/
// Progressive-Syncs.md): an app belongs to the FIRST step whose matchExpressions all match its
// labels; `In` matches when the label's value is one of the values, `NotIn` when it is none of
// them, and an app without the label matches neither (Argo CD's selection skips it). An app no
// step selects is left out of the rollout: it must be synced by hand. `maxUpdate` bounds how many
// of a step's apps sync at once: a count, or a percentage of the step's apps rounded down but at
// least 1 when above 0%; 0 starts none (the step waits for them to be synced by hand); absent is
// all of them.
import type { ApplicationSetSpec, RollingSyncStep, StepExpression } from '../appset/types.ts';
import type { AppSpec, Registry } from '../config/types.ts';
import type { TargetRef } from '../state/types.ts';

export function matchesStep(labels: Record<string, string> | undefined, step: RollingSyncStep): boolean {
  return step.matchExpressions.every((expression) => matchesExpression(labels ?? {}, expression));
}

function matchesExpression(labels: Record<string, string>, expression: StepExpression): boolean {
  if (!Object.hasOwn(labels, expression.key)) return false;
  const listed = expression.values.includes(labels[expression.key]);
  return expression.operator === 'In' ? listed : !listed;
}

/** The 0-based step an app with these labels belongs to, or undefined when no step selects it. */
export function stepOf(labels: Record<string, string> | undefined, steps: readonly RollingSyncStep[]): number | undefined {
  const index = steps.findIndex((step) => matchesStep(labels, step));
  return index === -1 ? undefined : index;
}

/** How many of a step's `count` apps may sync at once. */
export function maxUpdateOf(step: Pick<RollingSyncStep, 'maxUpdate'>, count: number): number {
  const value = step.maxUpdate;
  if (value === undefined) return count;
  if (typeof value === 'number') return Math.max(0, Math.floor(value));
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(value.trim());
  if (!percent) {
    const number = Number(value);
    // Argo CD's IntOrString: a string that is not a percentage is read as a count.
    return Number.isFinite(number) ? Math.max(0, Math.floor(number)) : count;
  }
  const share = Number(percent[1]);
  if (share <= 0) return 0;
  return Math.max(1, Math.floor((count * share) / 100));
}

/** `env In [staging]`, `env In [prod], region NotIn [eu]`: a step in messages. */
export function describeStep(step: RollingSyncStep): string {
  return step.matchExpressions.map((expression) => `${expression.key} ${expression.operator} [${expression.values.join(', ')}]`).join(', ') || 'every app';
}

/** `step 2 of 3 (env In [staging])`. */
export function stepLabel(index: number, steps: readonly RollingSyncStep[]): string {
  const step = steps[index];
  return `step ${index + 1} of ${steps.length}${step ? ` (${describeStep(step)})` : ''}`;
}

export interface SetTarget extends TargetRef {
  /** 0-based; undefined: no step selects the app. */
  step: number | undefined;
  app: string;
  spec: AppSpec;
}

/** Every target (app × destination) of a set's apps in the registry, with its step. */
export function setTargets(registry: Registry, set: string, steps: readonly RollingSyncStep[]): SetTarget[] {
  return registry.apps
    .filter((app) => app.applicationSet === set)
    .flatMap((app) => {
      const step = stepOf(app.labels, steps);
      return app.destinations.map((destination) => ({ app: app.name, cluster: destination.cluster, step, spec: app }));
    });
}

export type RollingSet = ApplicationSetSpec & { strategy: { type: 'RollingSync'; steps: RollingSyncStep[] } };

/** The registry's sets with a RollingSync strategy, by name. */
export function rollingSets(registry: Pick<Registry, 'applicationSets'> | undefined): RollingSet[] {
  return (registry?.applicationSets ?? [])
    .filter((set): set is RollingSet => set.strategy?.type === 'RollingSync')
    .sort((a, b) => a.name.localeCompare(b.name));
}
