// Errors of the Kubernetes layer. API errors keep the server's Status (reason, code) so
// callers can tell "not found" from "conflict" without parsing messages.
import type { BadInputMark } from '../errors/bad-input.ts';

export class KubeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KubeError';
  }
}

export interface ApiStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: Array<{ type?: string; message?: string; field?: string }> };
}

/** The API server answered with an error Status. */
export class KubeApiError extends KubeError {
  readonly code: number;
  readonly reason: string;
  readonly status: ApiStatus;
  constructor(code: number, status: ApiStatus, context: string) {
    super(`${context}: ${status.message ?? `HTTP ${code}`}${status.reason ? ` (${status.reason})` : ''}`);
    this.name = 'KubeApiError';
    this.code = code;
    this.reason = status.reason ?? 'Unknown';
    this.status = status;
  }
}

/** The cluster could not be reached or the connection broke. */
export class KubeConnectionError extends KubeError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KubeConnectionError';
  }
}

/** The kubeconfig or connection settings are unusable: the user's to fix. */
export class KubeConfigError extends KubeError implements BadInputMark {
  readonly badInput: boolean = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KubeConfigError';
  }
}

/** A kind the cluster does not serve. */
export class UnknownKindError extends KubeError {
  constructor(apiVersion: string, kind: string) {
    super(`no matches for kind "${kind}" in version "${apiVersion}": the cluster does not serve it (is its CRD installed?)`);
    this.name = 'UnknownKindError';
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof KubeApiError && error.code === 404;
}

/** The cluster cannot be described or is not ready to take requests. */
export class EksClusterError extends KubeConfigError {
  // Not ACTIVE yet, or DescribeCluster throttled: transient, so retried rather than refused.
  override readonly badInput = false;
  readonly clusterName: string;
  readonly region: string;
  constructor(clusterName: string, region: string, reason: string, options?: ErrorOptions) {
    super(`EKS cluster "${clusterName}" in ${region}: ${reason}`, options);
    this.name = 'EksClusterError';
    this.clusterName = clusterName;
    this.region = region;
  }
}

/** Credentials (or the role to assume with them) are unusable or STS refused them. */
export class EksAuthError extends KubeConfigError {
  // Our role and STS, not the user's manifests: retried, and alarms when it keeps failing.
  override readonly badInput = false;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EksAuthError';
  }
}
