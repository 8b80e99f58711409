// Safe reads from an object's JSON. Live objects are trusted to be well formed, but a
// health check must never throw on a field a controller has not written yet.
import type { KubeObject } from '../object.ts';

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function spec(object: KubeObject): Record<string, unknown> {
  return record(object.spec);
}

export function status(object: KubeObject): Record<string, unknown> {
  return record(object.status);
}

export function numberAt(source: Record<string, unknown>, key: string, fallback: number): number {
  const value = source[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function stringAt(source: Record<string, unknown>, key: string): string | undefined {
  const value = source[key];
  return typeof value === 'string' ? value : undefined;
}

export function listAt(source: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const value = source[key];
  return Array.isArray(value) ? value.map(record) : [];
}

export function conditionsOf(object: KubeObject): Condition[] {
  return listAt(status(object), 'conditions').flatMap((raw) => {
    const type = stringAt(raw, 'type');
    const conditionStatus = stringAt(raw, 'status');
    if (type === undefined || conditionStatus === undefined) return [];
    return [{ type, status: conditionStatus, reason: stringAt(raw, 'reason'), message: stringAt(raw, 'message') }];
  });
}

export function conditionOf(object: KubeObject, type: string): Condition | undefined {
  return conditionsOf(object).find((condition) => condition.type === type);
}

export function generationOf(object: KubeObject): number {
  return typeof object.metadata.generation === 'number' ? object.metadata.generation : 0;
}

/** The observedGeneration the controller reported, or undefined if it never wrote one. */
export function observedGenerationOf(object: KubeObject): number | undefined {
  const value = status(object).observedGeneration;
  return typeof value === 'number' ? value : undefined;
}
