// A team's own identity on its clusters: per project and cluster an IAM role that only the
// worker may assume (trust: this account, on condition aws:PrincipalArn is the worker's role),
// and on the stack's own clusters an EKS access entry confining that role to the project's
// namespaces. The worker may sts:AssumeRole exactly these roles. The Project in Git names the
// role for the cluster (`spec.roles`, README "Project roles"), and its apps then reach the
// cluster as the team, not with the fleet's entry.
import { Aws, CfnOutput } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { accessPolicyArn, type ClusterAccess } from './cluster-access.ts';
import type { DriftlessFunction } from './driftless-function.ts';

export interface ProjectClusterRole {
  /** An EKS cluster name declared in `clusters`. */
  readonly cluster: string;
  /**
   * An existing role (for instance one the cluster's owner made in its account); Driftless then
   * creates no role, only the access entry on its own clusters and the worker's permission to
   * assume it. Default: a role created here, its ARN an output of the stack.
   */
  readonly roleArn?: string;
  /** The namespaces the role may work in. */
  readonly namespaces: string[];
  /**
   * `admin` (default): Kubernetes' admin role in those namespaces (AmazonEKSAdminPolicy), which
   * can manage the Roles and RoleBindings apps ship; `edit` (AmazonEKSEditPolicy) cannot.
   */
  readonly access?: 'admin' | 'edit';
}

export interface ManagedProject {
  /** The Project's (or AppProject's) metadata.name. */
  readonly name: string;
  readonly roles: ProjectClusterRole[];
}

export interface ProjectAccessProps {
  readonly projects: ManagedProject[];
  /** The declared clusters: a project role names one of them, and gets an access entry on the local ones. */
  readonly clusterAccess: ClusterAccess;
}

/** One project role as bound: where its ARN comes from and whether an entry maps it. */
export interface BoundProjectRole {
  readonly project: string;
  readonly cluster: string;
  readonly roleArn: string;
  /** Created here (absent when the context named an existing role). */
  readonly role?: iam.Role;
  readonly accessEntry?: eks.CfnAccessEntry;
}

// Our kinds' name rule (shared/config/schemas.ts): a project name is a DNS-1123 label.
const PROJECT_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\-/]+$/;

export class ProjectAccess extends Construct {
  declare readonly projects: ManagedProject[];
  readonly #clusterAccess: ClusterAccess;
  #bound: BoundProjectRole[] = [];

  constructor(scope: Construct, id: string, props: ProjectAccessProps) {
    super(scope, id);
    validateProjects(props.projects, new Set(props.clusterAccess.clusters.map((cluster) => cluster.name)));
    this.projects = props.projects;
    this.#clusterAccess = props.clusterAccess;
  }

  get roles(): BoundProjectRole[] {
    return this.#bound;
  }

  /**
   * Makes the roles `fn` (the worker) may assume, each trusting `fn`'s role alone, maps each on
   * the stack's own clusters, and lets `fn` assume exactly these roles.
   */
  bind(fn: DriftlessFunction): void {
    const local = new Set(this.#clusterAccess.localClusters.map((cluster) => cluster.name));
    for (const project of this.projects) {
      for (const declared of project.roles) {
        const id = `${project.name}-${declared.cluster}`;
        const role = declared.roleArn ? undefined : this.#role(id, project.name, declared.cluster, fn);
        const roleArn = declared.roleArn ?? role!.roleArn;
        // Elsewhere (another account or region, or a cluster reached through a role) the
        // cluster's owner adds the entry for this role.
        const accessEntry = local.has(declared.cluster)
          ? new eks.CfnAccessEntry(this, `${id}-Entry`, {
              clusterName: declared.cluster,
              principalArn: roleArn,
              type: 'STANDARD',
              accessPolicies: [
                {
                  policyArn: accessPolicyArn(declared.access === 'edit' ? 'AmazonEKSEditPolicy' : 'AmazonEKSAdminPolicy'),
                  accessScope: { type: 'namespace', namespaces: declared.namespaces },
                },
              ],
            })
          : undefined;
        this.#bound.push({ project: project.name, cluster: declared.cluster, roleArn, role, accessEntry });
      }
    }
    const arns = [...new Set(this.#bound.map((bound) => bound.roleArn))];
    if (arns.length > 0) fn.allow(['sts:AssumeRole'], arns);
  }

  #role(id: string, project: string, cluster: string, fn: DriftlessFunction): iam.Role {
    // The account as principal with aws:PrincipalArn, not the role itself: a trust policy naming a
    // role breaks for good when that role is replaced, this one follows the ARN.
    const role = new iam.Role(this, id, {
      description: `Driftless: apps of project ${project} on cluster ${cluster} (assumed by the sync worker only)`,
      assumedBy: new iam.AccountPrincipal(Aws.ACCOUNT_ID).withConditions({ ArnEquals: { 'aws:PrincipalArn': fn.role.roleArn } }),
    });
    // No permissions policy: an EKS token is a presigned GetCallerIdentity, which needs none;
    // the access entry is all the role may do.
    new CfnOutput(this, `${id}-RoleArn`, {
      value: role.roleArn,
      description: `roleArn for project ${project} on cluster ${cluster} (spec.roles of the Project in Git)`,
    });
    return role;
  }
}

function validateProjects(projects: ManagedProject[], clusters: Set<string>): void {
  const seen = new Set<string>();
  projects.forEach((project, index) => {
    const where = `projects[${index}]`;
    if (!PROJECT_NAME.test(project.name ?? '') || project.name.length > 63) {
      throw new Error(`${where}.name "${project.name}" is not a project name (lower-case letters, digits, "-" and ".", up to 63).`);
    }
    if (seen.has(project.name)) throw new Error(`${where}: project "${project.name}" is declared twice.`);
    seen.add(project.name);
    if (!Array.isArray(project.roles) || project.roles.length === 0) throw new Error(`${where}.roles: list at least one { cluster, namespaces }.`);
    const roleClusters = new Set<string>();
    project.roles.forEach((role, roleIndex) => {
      const at = `${where}.roles[${roleIndex}]`;
      if (!clusters.has(role.cluster)) {
        throw new Error(`${at}.cluster "${role.cluster}" is not declared in clusters (declared: ${[...clusters].join(', ') || 'none'}).`);
      }
      if (roleClusters.has(role.cluster)) throw new Error(`${at}: project "${project.name}" has two roles on cluster "${role.cluster}".`);
      roleClusters.add(role.cluster);
      if (role.roleArn !== undefined && !ROLE_ARN.test(role.roleArn)) throw new Error(`${at}.roleArn "${role.roleArn}" is not an IAM role ARN.`);
      // A team's identity is confined to namespaces: cluster-wide access stays the fleet's.
      if (!Array.isArray(role.namespaces) || role.namespaces.length === 0 || role.namespaces.some((namespace) => !namespace)) {
        throw new Error(`${at}.namespaces: list at least one namespace.`);
      }
      if (role.access !== undefined && role.access !== 'admin' && role.access !== 'edit') {
        throw new Error(`${at}.access must be "admin" or "edit", got "${String(role.access)}".`);
      }
    });
  });
}
