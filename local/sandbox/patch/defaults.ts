// Server-side defaulting as a Kubernetes 1.34 API server does it, for the fields that
// otherwise show up as differences between what was applied and what is live. Defaults
// fill what is missing and never change what is there (the namespace name label is the
// one exception, as in Kubernetes: it always equals the name).

import { groupOf, type KubeObject } from '../../../shared/kube/object.ts';
import { defaultApiService, defaultValidatingAdmissionPolicy, defaultValidatingAdmissionPolicyBinding, defaultWebhooks } from './defaults-admission.ts';
import { defaultPod, defaultPodSpec } from './defaults-pod.ts';
import { defaultService } from './defaults-service.ts';
import { mapAt, mapsIn, setDefault } from './defaults-util.ts';
import { clone, isMap, type JsonMap } from './values.ts';

type Defaulter = (object: KubeObject) => void;

/** A defaulter for a kind whose defaults live in `spec`. */
function withSpec(defaulter: (object: KubeObject, spec: JsonMap) => void): Defaulter {
  return (object) => defaulter(object, mapAt(object, 'spec'));
}

const DEFAULTERS: Record<string, Defaulter> = {
  'apps/Deployment': withSpec((_object, spec) => {
    setDefault(spec, 'replicas', 1);
    const strategy = mapAt(spec, 'strategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rollingUpdate = mapAt(strategy, 'rollingUpdate');
      setDefault(rollingUpdate, 'maxUnavailable', '25%');
      setDefault(rollingUpdate, 'maxSurge', '25%');
    }
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
    defaultTemplate(spec);
  }),
  'apps/StatefulSet': withSpec((_object, spec) => {
    setDefault(spec, 'replicas', 1);
    setDefault(spec, 'podManagementPolicy', 'OrderedReady');
    const strategy = mapAt(spec, 'updateStrategy');
    // As in Kubernetes, an explicit RollingUpdate without rollingUpdate gets no partition.
    if (strategy.type === undefined) {
      strategy.type = 'RollingUpdate';
      mapAt(strategy, 'rollingUpdate');
    }
    if (strategy.type === 'RollingUpdate' && isMap(strategy.rollingUpdate)) setDefault(strategy.rollingUpdate, 'partition', 0);
    setDefault(spec, 'revisionHistoryLimit', 10);
    const retention = mapAt(spec, 'persistentVolumeClaimRetentionPolicy');
    setDefault(retention, 'whenDeleted', 'Retain');
    setDefault(retention, 'whenScaled', 'Retain');
    for (const claim of mapsIn(spec.volumeClaimTemplates)) setDefault(mapAt(claim, 'spec'), 'volumeMode', 'Filesystem');
    defaultTemplate(spec);
  }),
  'apps/DaemonSet': withSpec((_object, spec) => {
    const strategy = mapAt(spec, 'updateStrategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rollingUpdate = mapAt(strategy, 'rollingUpdate');
      setDefault(rollingUpdate, 'maxUnavailable', 1);
      setDefault(rollingUpdate, 'maxSurge', 0);
    }
    setDefault(spec, 'revisionHistoryLimit', 10);
    defaultTemplate(spec);
  }),
  'apps/ReplicaSet': withSpec((_object, spec) => {
    setDefault(spec, 'replicas', 1);
    defaultTemplate(spec);
  }),
  '/ReplicationController': withSpec((_object, spec) => {
    setDefault(spec, 'replicas', 1);
    defaultTemplate(spec);
  }),
  'batch/Job': withSpec((object, spec) => {
    defaultJobSpec(spec);
    // Kubernetes labels a Job with its template's labels when it has none of its own.
    const templateLabels = isMap(spec.template) && isMap(spec.template.metadata) ? spec.template.metadata.labels : undefined;
    if (isMap(templateLabels) && Object.keys(object.metadata.labels ?? {}).length === 0) {
      object.metadata.labels = { ...(templateLabels as Record<string, string>) };
    }
  }),
  'batch/CronJob': withSpec((_object, spec) => {
    setDefault(spec, 'concurrencyPolicy', 'Allow');
    setDefault(spec, 'suspend', false);
    setDefault(spec, 'successfulJobsHistoryLimit', 3);
    setDefault(spec, 'failedJobsHistoryLimit', 1);
    // Job defaults are set on Job objects, not on a CronJob's template: only its pod spec.
    defaultTemplate(mapAt(mapAt(spec, 'jobTemplate'), 'spec'), { defaultRestartPolicy: false });
  }),
  '/Pod': withSpec((_object, spec) => defaultPod(spec)),
  '/PodTemplate': (object) => {
    if (isMap(object.template)) defaultPodSpec(mapAt(object.template, 'spec'), { defaultRestartPolicy: true });
  },
  '/Service': withSpec((object, spec) => defaultService(spec, object.metadata.namespace ?? 'default', object.metadata.name ?? '')),
  '/PersistentVolumeClaim': withSpec((_object, spec) => setDefault(spec, 'volumeMode', 'Filesystem')),
  '/Namespace': withSpec((object, spec) => {
    setDefault(spec, 'finalizers', ['kubernetes']);
    if (object.metadata.name) {
      object.metadata.labels = { ...object.metadata.labels, 'kubernetes.io/metadata.name': object.metadata.name };
    }
  }),
  'networking.k8s.io/NetworkPolicy': withSpec((_object, spec) => {
    const egress = mapsIn(spec.egress);
    setDefault(spec, 'policyTypes', egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
    for (const rule of [...mapsIn(spec.ingress), ...egress]) {
      for (const port of mapsIn(rule.ports)) setDefault(port, 'protocol', 'TCP');
    }
  }),
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': (object) => defaultWebhooks(object as JsonMap, false),
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': (object) => defaultWebhooks(object as JsonMap, true),
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy': withSpec((_object, spec) => defaultValidatingAdmissionPolicy(spec)),
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding': withSpec((_object, spec) => defaultValidatingAdmissionPolicyBinding(spec)),
  'apiregistration.k8s.io/APIService': withSpec((_object, spec) => defaultApiService(spec)),
  '/Secret': (object) => {
    setDefault(object, 'type', 'Opaque');
    if (isMap(object.stringData)) {
      const data: JsonMap = isMap(object.data) ? { ...object.data } : {};
      for (const [key, value] of Object.entries(object.stringData)) {
        data[key] = Buffer.from(String(value), 'utf8').toString('base64');
      }
      object.data = data;
    }
    delete object.stringData;
  },
};

export function applyDefaults(object: KubeObject): KubeObject {
  const result = clone(object);
  result.metadata = isMap(result.metadata) ? result.metadata : {};
  DEFAULTERS[`${groupOf(result.apiVersion ?? '')}/${result.kind}`]?.(result);
  return result;
}

function defaultJobSpec(spec: JsonMap): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', spec.backoffLimitPerIndex === undefined ? 6 : 2147483647);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'podReplacementPolicy', spec.podFailurePolicy === undefined ? 'TerminatingOrFailed' : 'Failed');
  defaultTemplate(spec, { defaultRestartPolicy: false });
}

function defaultTemplate(spec: JsonMap, options = { defaultRestartPolicy: true }): void {
  defaultPodSpec(mapAt(mapAt(spec, 'template'), 'spec'), options);
}
