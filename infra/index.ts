// The public surface for other CDK apps: `new Driftless(this, 'Driftless', { ... })`.
export { buildApp } from './app.ts';
export { Driftless, type DriftlessProps, type HandlerEntries } from './driftless.ts';
export { DriftlessStack, type DriftlessStackProps } from './stack.ts';
export { readDriftlessContext, type DriftlessContext, type VpcContext } from './context.ts';
export { CostBudget, COMPONENT_TAG, type CostBudgetProps } from './constructs/budget.ts';
export { ClusterAccess, accessPolicyArn, resolveAccess, type AccessScope, type ManagedCluster, type ResolvedAccess } from './constructs/cluster-access.ts';
export { DriftScanner, rateExpression, type DriftScannerProps } from './constructs/drift-scanner.ts';
export { DriftlessFunction, METRICS_NAMESPACE, SERVICE_NAME, type DriftlessFunctionProps } from './constructs/driftless-function.ts';
export { EventsBus, type EventsBusProps } from './constructs/events-bus.ts';
export { GithubConnection, type ConfigRepository, type GithubConnectionProps } from './constructs/github-connection.ts';
export { Monitoring, driftlessMetric, type MonitoringProps } from './constructs/monitoring.ts';
export { WorkerNetwork, type WorkerNetworkProps } from './constructs/network.ts';
export { RenderCache, type RenderCacheProps } from './constructs/render-cache.ts';
export { SopsKeys, SOPS_AGE_SECRET_NAME, type SopsKeysProps } from './constructs/sops-keys.ts';
export { StateStore, type StateStoreProps } from './constructs/state-store.ts';
export { SyncPipeline, type SyncPipelineProps } from './constructs/sync-pipeline.ts';
export { bindTableKeys, FUNCTION_TABLE_KEYS, TABLE_KEYS, type TableKeyGrant } from './constructs/table-keys.ts';
export { WebhookApi, type WebhookApiProps } from './constructs/webhook-api.ts';
