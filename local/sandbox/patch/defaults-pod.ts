// Defaults the API server gives every pod spec (Pods and the templates of workloads),
// mirroring k8s.io/kubernetes/pkg/apis/core/v1/defaults.go for the fields that show up
// in a diff between what was applied and what is live.

import { isMap, type JsonMap } from './values.ts';
import { mapsIn, setDefault } from './defaults-util.ts';

export interface PodSpecOptions {
  /** Jobs must choose Never or OnFailure themselves, so theirs is never defaulted. */
  defaultRestartPolicy: boolean;
}

export function defaultPodSpec(spec: JsonMap, options: PodSpecOptions): void {
  if (options.defaultRestartPolicy) setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'securityContext', {});
  for (const field of ['containers', 'initContainers', 'ephemeralContainers']) {
    for (const container of mapsIn(spec[field])) defaultContainer(container);
  }
  for (const volume of mapsIn(spec.volumes)) defaultVolume(volume);
}

/** Pods themselves get a little more than templates. */
export function defaultPod(spec: JsonMap): void {
  defaultPodSpec(spec, { defaultRestartPolicy: true });
  setDefault(spec, 'enableServiceLinks', true);
  for (const field of ['containers', 'initContainers']) {
    for (const container of mapsIn(spec[field])) {
      const resources = container.resources;
      if (isMap(resources) && isMap(resources.limits) && resources.requests === undefined) resources.requests = { ...resources.limits };
    }
  }
}

function defaultContainer(container: JsonMap): void {
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  setDefault(container, 'imagePullPolicy', pullPolicyFor(container.image));
  setDefault(container, 'resources', {});
  for (const port of mapsIn(container.ports)) setDefault(port, 'protocol', 'TCP');
  for (const env of mapsIn(container.env)) {
    const fieldRef = isMap(env.valueFrom) ? env.valueFrom.fieldRef : undefined;
    if (isMap(fieldRef)) setDefault(fieldRef, 'apiVersion', 'v1');
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    if (isMap(container[probe])) defaultProbe(container[probe]);
  }
  if (isMap(container.lifecycle)) {
    for (const hook of [container.lifecycle.postStart, container.lifecycle.preStop]) {
      if (isMap(hook) && isMap(hook.httpGet)) setDefault(hook.httpGet, 'scheme', 'HTTP');
    }
  }
}

function defaultProbe(probe: JsonMap): void {
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  if (isMap(probe.httpGet)) setDefault(probe.httpGet, 'scheme', 'HTTP');
}

function defaultVolume(volume: JsonMap): void {
  for (const source of ['configMap', 'secret', 'projected', 'downwardAPI']) {
    if (isMap(volume[source])) setDefault(volume[source], 'defaultMode', 420);
  }
}

// The kubelet pulls `latest` every time, so the server defaults it (and an untagged image,
// which means latest) to Always; a tag or a digest pins the image, so IfNotPresent.
export function pullPolicyFor(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  const tag = colon === -1 ? 'latest' : lastSegment.slice(colon + 1);
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}
