// The registry's Cluster document for the sandbox cluster, which test kubeconfigs name `sandbox`:
// the first document of most test registries. A module of its own, so unit tests that build a
// registry need not load the pipeline.
export const SANDBOX_CLUSTER = 'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: sandbox }\nspec:\n  kubeconfig: { context: sandbox }\n';
