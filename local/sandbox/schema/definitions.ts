// The sandbox's own copy of the Kubernetes schema facts that server-side apply and strategic
// merge patch act on: which lists are associative and by which keys, which structs and maps
// are atomic, and which key fields have defaults. It is written by hand from the API types of
// kubernetes/kubernetes (no npm package ships a recent OpenAPI document, and the machine has no
// other network), never from the engine's table in shared/kube/list-keys.ts: it is the oracle
// that table is tested against.
//
// Sources, as read (staging/src/k8s.io/...; the files are not all from one release):
//   core/v1 types.go                       api @ 001a778fa11f78082f945366a80e46d518b21309 (~1.29)
//   meta/v1 types.go                       apimachinery @ 007b1173faf533318108a04b3fdc227173aa4cb1
//   apps/v1 types.go                       api @ 0122c43a017029d0572474da5a6382e1463f9710 (~1.33)
//   batch/v1 types.go                      api @ 025f2834a128798cef30018a5e6a6ae82b5ad885
//   autoscaling/v2 types.go                api @ 00c836b44ad0da07fe0aae2e6eff56f1cf13ad72
//   networking/v1 types.go                 api @ 00737ac5f2dc2b61c4b18406f488db007ad8caf6
//   policy/v1 types.go                     api @ 083e3f3e0db4c37bf3fb4e6715a9d8d035cab428
//   rbac/v1 types.go                       api @ 046d201c45cebd19eb1fc4612426761c64802825
//   apiextensions/v1 types.go              apiextensions-apiserver @ 61c7fad92cb749def0714b9ede24f86b16c6918e
//   admissionregistration/v1 types.go      api (1.30+, with ValidatingAdmissionPolicy)
//   apiregistration/v1 types.go            kube-aggregator
//
// Each field carries the OpenAPI extensions its Go tags produce, under their own names:
// `+listType` → listType, `+listMapKey` → listMapKeys, `patchStrategy` → patchStrategy,
// `patchMergeKey` → patchMergeKey, `+mapType` / `+structType` → mapType, `+default` → default.
// `type` names the definition of the field's value (of a list's elements). A list or struct
// that is not named here has neither tag: Kubernetes treats such a list as atomic and such a
// struct as granular, and so does the sandbox (./lookup.ts derives the rest).

export interface FieldSchema {
  /** The definition of the value, or of each element of a list. */
  type?: string;
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: readonly string[];
  /** `merge`, `merge,retainKeys`, `retainKeys` or `replace`. */
  patchStrategy?: string;
  patchMergeKey?: string;
  /** On a map or struct field: `atomic` (owned and replaced whole) or `granular`. */
  mapType?: 'atomic' | 'granular';
  default?: unknown;
}

export interface Definition {
  /** `+structType=atomic`: the struct is one value for server-side apply. */
  mapType?: 'atomic';
  fields?: Readonly<Record<string, FieldSchema>>;
}

const METADATA: FieldSchema = { type: 'meta.v1.ObjectMeta' };
const ATOMIC: Definition = { mapType: 'atomic' };
const atomicList: FieldSchema = { listType: 'atomic' };
/** `+patchMergeKey=type +patchStrategy=merge +listType=map +listMapKey=type`, on most status conditions. */
const conditions = (type?: string): FieldSchema => ({ type, patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] });
const statusWithConditions: Definition = { fields: { conditions: conditions() } };

// core/v1 Container; EphemeralContainerCommon "is a copy of all fields in Container".
const CONTAINER_FIELDS: Readonly<Record<string, FieldSchema>> = {
  command: atomicList,
  args: atomicList,
  ports: { type: 'core.v1.ContainerPort', patchStrategy: 'merge', patchMergeKey: 'containerPort', listType: 'map', listMapKeys: ['containerPort', 'protocol'] },
  envFrom: atomicList,
  env: { type: 'core.v1.EnvVar', patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  resources: { type: 'core.v1.ResourceRequirements' },
  resizePolicy: atomicList,
  volumeMounts: { patchStrategy: 'merge', patchMergeKey: 'mountPath', listType: 'map', listMapKeys: ['mountPath'] },
  volumeDevices: { patchStrategy: 'merge', patchMergeKey: 'devicePath', listType: 'map', listMapKeys: ['devicePath'] },
};

const podTemplated = (spec: Record<string, FieldSchema>): Definition => ({
  fields: { selector: { type: 'meta.v1.LabelSelector' }, template: { type: 'core.v1.PodTemplateSpec' }, ...spec },
});

export const DEFINITIONS: Readonly<Record<string, Definition>> = {
  // meta/v1 types.go
  'meta.v1.ObjectMeta': {
    fields: {
      ownerReferences: { type: 'meta.v1.OwnerReference', patchStrategy: 'merge', patchMergeKey: 'uid', listType: 'map', listMapKeys: ['uid'] },
      finalizers: { patchStrategy: 'merge', listType: 'set' },
      managedFields: atomicList,
    },
  },
  'meta.v1.OwnerReference': ATOMIC,
  'meta.v1.LabelSelector': ATOMIC,

  // core/v1 types.go: Pod and what it holds
  'core.v1.Pod': { fields: { metadata: METADATA, spec: { type: 'core.v1.PodSpec' }, status: { type: 'core.v1.PodStatus' } } },
  'core.v1.PodTemplateSpec': { fields: { metadata: METADATA, spec: { type: 'core.v1.PodSpec' } } },
  'core.v1.PodTemplate': { fields: { metadata: METADATA, template: { type: 'core.v1.PodTemplateSpec' } } },
  'core.v1.PodSpec': {
    fields: {
      volumes: { type: 'core.v1.Volume', patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      initContainers: { type: 'core.v1.Container', patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      containers: { type: 'core.v1.Container', patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      ephemeralContainers: { type: 'core.v1.EphemeralContainer', patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      nodeSelector: { mapType: 'atomic' },
      imagePullSecrets: { type: 'core.v1.LocalObjectReference', patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      affinity: { type: 'core.v1.Affinity' },
      tolerations: atomicList,
      hostAliases: { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'map', listMapKeys: ['ip'] },
      readinessGates: atomicList,
      topologySpreadConstraints: {
        type: 'core.v1.TopologySpreadConstraint',
        patchStrategy: 'merge',
        patchMergeKey: 'topologyKey',
        listType: 'map',
        listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
      },
      schedulingGates: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      resourceClaims: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    },
  },
  'core.v1.Container': { fields: CONTAINER_FIELDS },
  'core.v1.EphemeralContainer': { fields: CONTAINER_FIELDS },
  'core.v1.ContainerPort': { fields: { protocol: { default: 'TCP' } } },
  'core.v1.EnvVar': { fields: { valueFrom: { type: 'core.v1.EnvVarSource' } } },
  'core.v1.EnvVarSource': {
    fields: {
      fieldRef: { type: 'core.v1.ObjectFieldSelector' },
      resourceFieldRef: { type: 'core.v1.ResourceFieldSelector' },
      configMapKeyRef: { type: 'core.v1.ConfigMapKeySelector' },
      secretKeyRef: { type: 'core.v1.SecretKeySelector' },
    },
  },
  'core.v1.ObjectFieldSelector': ATOMIC,
  'core.v1.ResourceFieldSelector': ATOMIC,
  'core.v1.ConfigMapKeySelector': ATOMIC,
  'core.v1.SecretKeySelector': ATOMIC,
  'core.v1.ResourceRequirements': { fields: { claims: { listType: 'map', listMapKeys: ['name'] } } },
  // Volume inlines VolumeSource; only the sources holding atomic references or templates are listed.
  'core.v1.Volume': {
    fields: {
      ephemeral: { type: 'core.v1.EphemeralVolumeSource' },
      csi: { type: 'core.v1.CSIVolumeSource' },
      rbd: { type: 'core.v1.SecretRefSource' },
      cinder: { type: 'core.v1.SecretRefSource' },
      cephfs: { type: 'core.v1.SecretRefSource' },
    },
  },
  // RBDVolumeSource, CinderVolumeSource and CephFSVolumeSource: `secretRef *LocalObjectReference`.
  'core.v1.SecretRefSource': { fields: { secretRef: { type: 'core.v1.LocalObjectReference' } } },
  'core.v1.CSIVolumeSource': { fields: { nodePublishSecretRef: { type: 'core.v1.LocalObjectReference' } } },
  'core.v1.EphemeralVolumeSource': { fields: { volumeClaimTemplate: { type: 'core.v1.PersistentVolumeClaimTemplate' } } },
  'core.v1.PersistentVolumeClaimTemplate': { fields: { metadata: METADATA, spec: { type: 'core.v1.PersistentVolumeClaimSpec' } } },
  'core.v1.LocalObjectReference': ATOMIC,
  'core.v1.ObjectReference': ATOMIC,
  'core.v1.TypedLocalObjectReference': ATOMIC,
  'core.v1.Affinity': { fields: { nodeAffinity: { type: 'core.v1.NodeAffinity' } } },
  'core.v1.NodeAffinity': {
    fields: { requiredDuringSchedulingIgnoredDuringExecution: { type: 'core.v1.NodeSelector' }, preferredDuringSchedulingIgnoredDuringExecution: atomicList },
  },
  'core.v1.NodeSelector': ATOMIC,
  'core.v1.TopologySpreadConstraint': { fields: { labelSelector: { type: 'meta.v1.LabelSelector' }, matchLabelKeys: atomicList } },
  'core.v1.PodStatus': {
    fields: {
      conditions: conditions(),
      // Merged by strategic merge patch, yet atomic for server-side apply.
      hostIPs: { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'atomic' },
      podIPs: { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'map', listMapKeys: ['ip'] },
      initContainerStatuses: atomicList,
      containerStatuses: atomicList,
      ephemeralContainerStatuses: atomicList,
      resourceClaimStatuses: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    },
  },

  // core/v1 types.go: the other kinds
  'core.v1.ConfigMap': { fields: { metadata: METADATA } },
  'core.v1.Secret': { fields: { metadata: METADATA } },
  'core.v1.Event': { fields: { metadata: METADATA, involvedObject: { type: 'core.v1.ObjectReference' }, related: { type: 'core.v1.ObjectReference' } } },
  'core.v1.Namespace': { fields: { metadata: METADATA, spec: { type: 'core.v1.NamespaceSpec' }, status: { type: 'core.v1.NamespaceStatus' } } },
  'core.v1.NamespaceSpec': { fields: { finalizers: atomicList } },
  'core.v1.NamespaceStatus': statusWithConditions,
  'core.v1.Service': { fields: { metadata: METADATA, spec: { type: 'core.v1.ServiceSpec' }, status: { type: 'core.v1.ServiceStatus' } } },
  'core.v1.ServiceSpec': {
    fields: {
      ports: { type: 'core.v1.ServicePort', patchStrategy: 'merge', patchMergeKey: 'port', listType: 'map', listMapKeys: ['port', 'protocol'] },
      selector: { mapType: 'atomic' },
      clusterIPs: atomicList,
      externalIPs: atomicList,
      loadBalancerSourceRanges: atomicList,
      ipFamilies: atomicList,
    },
  },
  'core.v1.ServicePort': { fields: { protocol: { default: 'TCP' } } },
  'core.v1.ServiceStatus': { fields: { loadBalancer: { type: 'core.v1.LoadBalancerStatus' }, conditions: conditions() } },
  'core.v1.LoadBalancerStatus': { fields: { ingress: atomicList } },
  'core.v1.ServiceAccount': {
    fields: {
      metadata: METADATA,
      secrets: { type: 'core.v1.ObjectReference', patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      // Unlike a pod's, a service account's imagePullSecrets are atomic.
      imagePullSecrets: atomicList,
    },
  },
  'core.v1.Endpoints': { fields: { metadata: METADATA, subsets: atomicList } },
  'core.v1.PersistentVolumeClaim': {
    fields: { metadata: METADATA, spec: { type: 'core.v1.PersistentVolumeClaimSpec' }, status: { type: 'core.v1.PersistentVolumeClaimStatus' } },
  },
  'core.v1.PersistentVolumeClaimSpec': {
    fields: { accessModes: atomicList, selector: { type: 'meta.v1.LabelSelector' }, dataSource: { type: 'core.v1.TypedLocalObjectReference' } },
  },
  'core.v1.PersistentVolumeClaimStatus': { fields: { accessModes: atomicList, conditions: conditions() } },
  'core.v1.PersistentVolume': { fields: { metadata: METADATA, spec: { type: 'core.v1.PersistentVolumeSpec' } } },
  'core.v1.PersistentVolumeSpec': {
    fields: {
      accessModes: atomicList,
      // `+structType=granular` overrides ObjectReference's atomic here.
      claimRef: { type: 'core.v1.ObjectReference', mapType: 'granular' },
      mountOptions: atomicList,
      nodeAffinity: { type: 'core.v1.VolumeNodeAffinity' },
    },
  },
  'core.v1.VolumeNodeAffinity': { fields: { required: { type: 'core.v1.NodeSelector' } } },
  'core.v1.Node': { fields: { metadata: METADATA, spec: { type: 'core.v1.NodeSpec' }, status: { type: 'core.v1.NodeStatus' } } },
  'core.v1.NodeSpec': { fields: { podCIDRs: { patchStrategy: 'merge', listType: 'set' }, taints: atomicList } },
  'core.v1.NodeStatus': {
    fields: {
      conditions: conditions(),
      addresses: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
      images: atomicList,
      volumesInUse: atomicList,
      volumesAttached: atomicList,
    },
  },
  'core.v1.ReplicationController': {
    fields: { metadata: METADATA, spec: { type: 'core.v1.ReplicationControllerSpec' }, status: { type: 'core.v1.ReplicationControllerStatus' } },
  },
  'core.v1.ReplicationControllerSpec': { fields: { selector: { mapType: 'atomic' }, template: { type: 'core.v1.PodTemplateSpec' } } },
  'core.v1.ReplicationControllerStatus': statusWithConditions,
  'core.v1.LimitRange': { fields: { metadata: METADATA, spec: { type: 'core.v1.LimitRangeSpec' } } },
  'core.v1.LimitRangeSpec': { fields: { limits: atomicList } },
  'core.v1.ResourceQuota': { fields: { metadata: METADATA, spec: { type: 'core.v1.ResourceQuotaSpec' } } },
  'core.v1.ResourceQuotaSpec': { fields: { scopes: atomicList, scopeSelector: { type: 'core.v1.ScopeSelector' } } },
  'core.v1.ScopeSelector': ATOMIC,

  // apps/v1 types.go
  'apps.v1.Deployment': { fields: { metadata: METADATA, spec: { type: 'apps.v1.DeploymentSpec' }, status: { type: 'apps.v1.DeploymentStatus' } } },
  'apps.v1.DeploymentSpec': podTemplated({ strategy: { patchStrategy: 'retainKeys' } }),
  'apps.v1.DeploymentStatus': statusWithConditions,
  'apps.v1.StatefulSet': { fields: { metadata: METADATA, spec: { type: 'apps.v1.StatefulSetSpec' }, status: { type: 'apps.v1.StatefulSetStatus' } } },
  'apps.v1.StatefulSetSpec': podTemplated({ volumeClaimTemplates: atomicList }),
  'apps.v1.StatefulSetStatus': statusWithConditions,
  'apps.v1.DaemonSet': { fields: { metadata: METADATA, spec: { type: 'apps.v1.DaemonSetSpec' }, status: { type: 'apps.v1.DaemonSetStatus' } } },
  'apps.v1.DaemonSetSpec': podTemplated({}),
  'apps.v1.DaemonSetStatus': statusWithConditions,
  'apps.v1.ReplicaSet': { fields: { metadata: METADATA, spec: { type: 'apps.v1.ReplicaSetSpec' }, status: { type: 'apps.v1.ReplicaSetStatus' } } },
  'apps.v1.ReplicaSetSpec': podTemplated({}),
  'apps.v1.ReplicaSetStatus': statusWithConditions,

  // batch/v1 types.go
  'batch.v1.Job': { fields: { metadata: METADATA, spec: { type: 'batch.v1.JobSpec' }, status: { type: 'batch.v1.JobStatus' } } },
  'batch.v1.JobSpec': podTemplated({ podFailurePolicy: { type: 'batch.v1.PodFailurePolicy' } }),
  'batch.v1.PodFailurePolicy': { fields: { rules: atomicList } },
  'batch.v1.JobStatus': {
    fields: {
      // Merged by strategic merge patch, yet atomic for server-side apply.
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'atomic' },
      uncountedTerminatedPods: { type: 'batch.v1.UncountedTerminatedPods' },
    },
  },
  'batch.v1.UncountedTerminatedPods': { fields: { succeeded: { listType: 'set' }, failed: { listType: 'set' } } },
  'batch.v1.CronJob': { fields: { metadata: METADATA, spec: { type: 'batch.v1.CronJobSpec' }, status: { type: 'batch.v1.CronJobStatus' } } },
  'batch.v1.CronJobSpec': { fields: { jobTemplate: { type: 'batch.v1.JobTemplateSpec' } } },
  'batch.v1.JobTemplateSpec': { fields: { metadata: METADATA, spec: { type: 'batch.v1.JobSpec' } } },
  'batch.v1.CronJobStatus': { fields: { active: atomicList } },

  // autoscaling/v2 types.go
  'autoscaling.v2.HorizontalPodAutoscaler': {
    fields: {
      metadata: METADATA,
      spec: { type: 'autoscaling.v2.HorizontalPodAutoscalerSpec' },
      status: { type: 'autoscaling.v2.HorizontalPodAutoscalerStatus' },
    },
  },
  'autoscaling.v2.HorizontalPodAutoscalerSpec': { fields: { metrics: atomicList, behavior: { type: 'autoscaling.v2.HorizontalPodAutoscalerBehavior' } } },
  'autoscaling.v2.HorizontalPodAutoscalerBehavior': {
    fields: { scaleUp: { type: 'autoscaling.v2.HPAScalingRules' }, scaleDown: { type: 'autoscaling.v2.HPAScalingRules' } },
  },
  'autoscaling.v2.HPAScalingRules': { fields: { policies: atomicList } },
  'autoscaling.v2.HorizontalPodAutoscalerStatus': { fields: { currentMetrics: atomicList, conditions: conditions() } },

  // networking/v1 types.go
  'networking.v1.NetworkPolicy': { fields: { metadata: METADATA, spec: { type: 'networking.v1.NetworkPolicySpec' } } },
  'networking.v1.NetworkPolicySpec': {
    fields: { podSelector: { type: 'meta.v1.LabelSelector' }, ingress: atomicList, egress: atomicList, policyTypes: atomicList },
  },
  'networking.v1.Ingress': { fields: { metadata: METADATA, spec: { type: 'networking.v1.IngressSpec' }, status: { type: 'networking.v1.IngressStatus' } } },
  'networking.v1.IngressSpec': { fields: { defaultBackend: { type: 'networking.v1.IngressBackend' }, tls: atomicList, rules: atomicList } },
  'networking.v1.IngressBackend': {
    fields: { service: { type: 'networking.v1.IngressServiceBackend' }, resource: { type: 'core.v1.TypedLocalObjectReference' } },
  },
  'networking.v1.IngressServiceBackend': { fields: { port: { type: 'networking.v1.ServiceBackendPort' } } },
  'networking.v1.ServiceBackendPort': ATOMIC,
  'networking.v1.IngressStatus': { fields: { loadBalancer: { type: 'networking.v1.IngressLoadBalancerStatus' } } },
  'networking.v1.IngressLoadBalancerStatus': { fields: { ingress: atomicList } },
  'networking.v1.IngressClass': { fields: { metadata: METADATA } },

  // policy/v1 types.go
  'policy.v1.PodDisruptionBudget': {
    fields: { metadata: METADATA, spec: { type: 'policy.v1.PodDisruptionBudgetSpec' }, status: { type: 'policy.v1.PodDisruptionBudgetStatus' } },
  },
  'policy.v1.PodDisruptionBudgetSpec': { fields: { selector: { type: 'meta.v1.LabelSelector', patchStrategy: 'replace' } } },
  'policy.v1.PodDisruptionBudgetStatus': statusWithConditions,

  // rbac/v1 types.go: rules and subjects carry no list tags (atomic)
  'rbac.v1.Role': { fields: { metadata: METADATA } },
  'rbac.v1.ClusterRole': { fields: { metadata: METADATA } },
  'rbac.v1.RoleBinding': { fields: { metadata: METADATA, roleRef: { type: 'rbac.v1.RoleRef' } } },
  'rbac.v1.ClusterRoleBinding': { fields: { metadata: METADATA, roleRef: { type: 'rbac.v1.RoleRef' } } },
  'rbac.v1.RoleRef': ATOMIC,

  // apiextensions/v1 types.go
  'apiextensions.v1.CustomResourceDefinition': {
    fields: {
      metadata: METADATA,
      spec: { type: 'apiextensions.v1.CustomResourceDefinitionSpec' },
      status: { type: 'apiextensions.v1.CustomResourceDefinitionStatus' },
    },
  },
  'apiextensions.v1.CustomResourceDefinitionSpec': { fields: { versions: atomicList, names: { type: 'apiextensions.v1.CustomResourceDefinitionNames' } } },
  'apiextensions.v1.CustomResourceDefinitionNames': { fields: { shortNames: atomicList, categories: atomicList } },
  // A map by type for server-side apply, with no patch merge key.
  'apiextensions.v1.CustomResourceDefinitionStatus': { fields: { conditions: { listType: 'map', listMapKeys: ['type'] }, storedVersions: atomicList } },

  // admissionregistration/v1 types.go
  'admissionregistration.v1.MutatingWebhookConfiguration': {
    fields: {
      metadata: METADATA,
      webhooks: { type: 'admissionregistration.v1.Webhook', patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    },
  },
  'admissionregistration.v1.ValidatingWebhookConfiguration': {
    fields: {
      metadata: METADATA,
      webhooks: { type: 'admissionregistration.v1.Webhook', patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    },
  },
  // MutatingWebhook and ValidatingWebhook share these fields.
  'admissionregistration.v1.Webhook': {
    fields: {
      rules: atomicList,
      namespaceSelector: { type: 'meta.v1.LabelSelector' },
      objectSelector: { type: 'meta.v1.LabelSelector' },
      admissionReviewVersions: atomicList,
      matchConditions: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    },
  },
  'admissionregistration.v1.ValidatingAdmissionPolicy': {
    fields: {
      metadata: METADATA,
      spec: { type: 'admissionregistration.v1.ValidatingAdmissionPolicySpec' },
      status: { type: 'admissionregistration.v1.ValidatingAdmissionPolicyStatus' },
    },
  },
  'admissionregistration.v1.ValidatingAdmissionPolicySpec': {
    fields: {
      matchConstraints: { type: 'admissionregistration.v1.MatchResources' },
      validations: atomicList,
      auditAnnotations: atomicList,
      matchConditions: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      variables: atomicList,
    },
  },
  // `+structType=atomic`: a policy's match constraints are one value.
  'admissionregistration.v1.MatchResources': ATOMIC,
  'admissionregistration.v1.ValidatingAdmissionPolicyStatus': { fields: { conditions: { listType: 'map', listMapKeys: ['type'] } } },
  'admissionregistration.v1.ValidatingAdmissionPolicyBinding': {
    fields: { metadata: METADATA, spec: { type: 'admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec' } },
  },
  'admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec': {
    fields: { matchResources: { type: 'admissionregistration.v1.MatchResources' }, validationActions: { listType: 'set' } },
  },

  // kube-aggregator apiregistration/v1 types.go
  'apiregistration.v1.APIService': { fields: { metadata: METADATA, status: { type: 'apiregistration.v1.APIServiceStatus' } } },
  'apiregistration.v1.APIServiceStatus': { fields: { conditions: conditions() } },
};

/** The definition at the root of an object of each built-in kind. */
export const KINDS: Readonly<Record<string, string>> = {
  Pod: 'core.v1.Pod',
  PodTemplate: 'core.v1.PodTemplate',
  ConfigMap: 'core.v1.ConfigMap',
  Secret: 'core.v1.Secret',
  Event: 'core.v1.Event',
  Namespace: 'core.v1.Namespace',
  Service: 'core.v1.Service',
  ServiceAccount: 'core.v1.ServiceAccount',
  Endpoints: 'core.v1.Endpoints',
  PersistentVolumeClaim: 'core.v1.PersistentVolumeClaim',
  PersistentVolume: 'core.v1.PersistentVolume',
  Node: 'core.v1.Node',
  ReplicationController: 'core.v1.ReplicationController',
  LimitRange: 'core.v1.LimitRange',
  ResourceQuota: 'core.v1.ResourceQuota',
  Deployment: 'apps.v1.Deployment',
  StatefulSet: 'apps.v1.StatefulSet',
  DaemonSet: 'apps.v1.DaemonSet',
  ReplicaSet: 'apps.v1.ReplicaSet',
  Job: 'batch.v1.Job',
  CronJob: 'batch.v1.CronJob',
  HorizontalPodAutoscaler: 'autoscaling.v2.HorizontalPodAutoscaler',
  NetworkPolicy: 'networking.v1.NetworkPolicy',
  Ingress: 'networking.v1.Ingress',
  IngressClass: 'networking.v1.IngressClass',
  PodDisruptionBudget: 'policy.v1.PodDisruptionBudget',
  Role: 'rbac.v1.Role',
  ClusterRole: 'rbac.v1.ClusterRole',
  RoleBinding: 'rbac.v1.RoleBinding',
  ClusterRoleBinding: 'rbac.v1.ClusterRoleBinding',
  CustomResourceDefinition: 'apiextensions.v1.CustomResourceDefinition',
  MutatingWebhookConfiguration: 'admissionregistration.v1.MutatingWebhookConfiguration',
  ValidatingWebhookConfiguration: 'admissionregistration.v1.ValidatingWebhookConfiguration',
  ValidatingAdmissionPolicy: 'admissionregistration.v1.ValidatingAdmissionPolicy',
  ValidatingAdmissionPolicyBinding: 'admissionregistration.v1.ValidatingAdmissionPolicyBinding',
  APIService: 'apiregistration.v1.APIService',
};

/** Custom resources: the API server knows their metadata; the rest is the CRD's schema. */
export const CUSTOM_RESOURCE: Definition = { fields: { metadata: METADATA } };
