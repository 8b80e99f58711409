// The API's dependencies from the environment, as the worker's are: the state table, the job
// queue, the render cache, the clusters (one client per cluster, kept), and the revision
// resolver the CLI uses (GitHub's API with the stack's GitHub secret, or git for local repos).
import { RevisionResolver } from '../operations/revision.ts';
import { clusterConnector, gitHubHostOf, jobQueue, renderCache, stateStore, type Environment } from '../runtime/environment.ts';
import type { ApiDeps, ApiLogger } from './deps.ts';

export function apiDependencies(env: Environment, logger?: ApiLogger): ApiDeps {
  const connect = clusterConnector(env);
  return {
    store: stateStore(env),
    queue: jobQueue(env),
    ...(env.RENDER_BUCKET ? { renders: renderCache(env) } : {}),
    connect: (cluster) => connect(cluster),
    revisions: new RevisionResolver(env),
    gitHubHost: gitHubHostOf(env),
    // Set by the stack from the sign-in it configures (cognito:groups, or the IdP's groupsClaim).
    ...(env.DASHBOARD_GROUPS_CLAIM ? { groupClaims: [env.DASHBOARD_GROUPS_CLAIM] } : {}),
    ...(logger ? { logger } : {}),
  };
}
