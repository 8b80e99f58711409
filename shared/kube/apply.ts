// Server-side apply of one wave: the exact rendered JSON on the wire, field manager
// `driftless`, force; objects already in their desired state are not written at all, and
// objects another app owns are never written (a forced apply would take them over).
//
// An object may be replaced instead (Argo CD's Replace=true, which takes precedence over
// server-side apply there too): created with a POST when absent, else a PUT of the whole
// object, which drops every field it does not set, whoever set it. As in gitops-engine, a
// CRD or Namespace is updated at the version read, so a concurrent change fails rather than
// being overwritten; other kinds are replaced unconditionally, as `kubectl replace` does.
import pLimit from 'p-limit';
import type { KubeClient } from './client.ts';
import { compareObjects, type IgnoreDifference } from './compare.ts';
import { resourcePath, type Discovery, type ResourceInfo } from './discovery.ts';
import { KubeApiError } from './errors.ts';
import { groupOf, type KubeObject } from './object.ts';
import { parseTrackingId, TRACKING_ANNOTATION } from './tracking.ts';

export const FIELD_MANAGER = 'driftless';

/** Argo CD's annotation tracking (`<app>:<group>/<kind>:<namespace>/<name>`, as ours is spelled). */
export const ARGO_TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id';

export type ApplyAction = 'created' | 'configured' | 'unchanged' | 'failed';

export interface ApplyRequest {
  desired: KubeObject;
  /** The live object before the sync, if any (from readLive). */
  live?: KubeObject;
  /** True when Git's version of this object is the one last applied (same fingerprint). */
  unchangedInGit: boolean;
  /** Replace (PUT, or POST when absent) instead of server-side apply. */
  replace?: boolean;
  /**
   * How the API server treats unknown or duplicate fields: Strict refuses them (kubectl's
   * default, so Argo CD's), Ignore drops them (Argo CD's Validate=false). Absent: the
   * server's default (Warn).
   */
  fieldValidation?: 'Strict' | 'Ignore';
  /** Rules whose fields do not count when deciding the object is up to date (ApplyOutOfSyncOnly). */
  ignoreDifferences?: readonly IgnoreDifference[];
}

export interface ApplyOutcome {
  desired: KubeObject;
  action: ApplyAction;
  /** The object as the server stored it (or the live one when unchanged). */
  live?: KubeObject;
  error?: string;
  durationMs: number;
}

export interface ApplyOptions {
  dryRun?: boolean;
  concurrency?: number;
}

/** True when applying `desired` would change nothing: Git did not change it and the cluster did not drift. */
export function isUpToDate(request: ApplyRequest): boolean {
  return (
    request.unchangedInGit &&
    request.live !== undefined &&
    compareObjects(request.desired, request.live, { ignoreDifferences: request.ignoreDifferences }).length === 0
  );
}

export async function applyWave(client: KubeClient, discovery: Discovery, requests: ApplyRequest[], options: ApplyOptions = {}): Promise<ApplyOutcome[]> {
  const limit = pLimit(options.concurrency ?? 16);
  return Promise.all(requests.map((request) => limit(() => applyOne(client, discovery, request, options))));
}

async function applyOne(client: KubeClient, discovery: Discovery, request: ApplyRequest, options: ApplyOptions): Promise<ApplyOutcome> {
  const started = performance.now();
  const { desired, live } = request;
  const done = (action: ApplyAction, result?: KubeObject, error?: string): ApplyOutcome => ({
    desired,
    action,
    live: result,
    error,
    durationMs: Math.round(performance.now() - started),
  });
  const owner = live && foreignOwner(desired, live);
  if (owner) return done('failed', undefined, owner);
  if (isUpToDate(request)) return done('unchanged', live);
  try {
    const info = await discovery.resolve(desired.apiVersion, desired.kind);
    const query = {
      fieldManager: FIELD_MANAGER,
      ...(request.fieldValidation ? { fieldValidation: request.fieldValidation } : {}),
      ...(options.dryRun ? { dryRun: 'All' } : {}),
    };
    const result = request.replace
      ? await replace(client, info, request, query)
      : await client.request<KubeObject>({
          method: 'PATCH',
          path: resourcePath(info, desired.metadata.namespace, desired.metadata.name),
          query: { ...query, force: 'true' },
          // JSON is YAML: the body is exactly the rendered object, nothing re-serialised by a model.
          body: JSON.stringify(desired),
          contentType: 'application/apply-patch+yaml',
        });
    // The server may find nothing to change (Git changed, but to what the cluster already had).
    const changed = !live || result.metadata.resourceVersion !== live.metadata.resourceVersion;
    return done(!live ? 'created' : changed ? 'configured' : 'unchanged', result);
  } catch (error) {
    const message = error instanceof KubeApiError ? (error.status.message ?? error.message) : (error as Error).message;
    return done('failed', undefined, message);
  }
}

async function replace(client: KubeClient, info: ResourceInfo, request: ApplyRequest, query: Record<string, string>): Promise<KubeObject> {
  const { desired, live } = request;
  if (!live) return client.request<KubeObject>({ method: 'POST', path: resourcePath(info, desired.metadata.namespace), query, body: JSON.stringify(desired) });
  const atVersion =
    (groupOf(desired.apiVersion) === 'apiextensions.k8s.io' && desired.kind === 'CustomResourceDefinition') ||
    (desired.apiVersion === 'v1' && desired.kind === 'Namespace');
  const body = atVersion ? { ...desired, metadata: { ...desired.metadata, resourceVersion: live.metadata.resourceVersion } } : desired;
  return client.request<KubeObject>({
    method: 'PUT',
    path: resourcePath(info, desired.metadata.namespace, desired.metadata.name),
    query,
    body: JSON.stringify(body),
  });
}

/**
 * Why `live` is another app's and must not be written by `desired`'s, or undefined when it is
 * free or ours. The owner is the app in the live object's tracking id, ours or Argo CD's; our
 * app is the one `desired` is tracked for. An object with neither annotation is adopted, as
 * Argo CD adopts it. A tracking id we cannot read is not proof the object is free.
 */
export function foreignOwner(desired: KubeObject, live: KubeObject): string | undefined {
  const ours = trackedApp(desired.metadata.annotations?.[TRACKING_ANNOTATION]);
  const annotations = live.metadata.annotations ?? {};
  for (const [annotation, tool] of [
    [TRACKING_ANNOTATION, 'app'],
    [ARGO_TRACKING_ANNOTATION, 'Argo CD app'],
  ] as const) {
    const value = annotations[annotation];
    if (value === undefined) continue;
    const owner = trackedApp(value);
    if (owner === undefined)
      return `its ${annotation} annotation ${JSON.stringify(value)} is not a tracking id, so it may belong to another app; not taken over (remove the annotation to hand it over)`;
    if (owner !== ours) return `owned by ${tool} ${owner} (${annotation}); not taken over (remove it from that app, or remove the annotation to hand it over)`;
  }
  return undefined;
}

function trackedApp(value: string | undefined): string | undefined {
  return value === undefined ? undefined : parseTrackingId(value)?.app;
}
