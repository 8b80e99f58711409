// The stack's settings from CDK context (cdk.json "context" or `-c key=value`), checked up
// front so a typo fails the synth with the key's name instead of a broken deployment.
import type { Node } from 'constructs';
import { z } from 'zod';
import type { ManagedCluster } from './constructs/cluster-access.ts';
import type { ManagedProject } from './constructs/project-access.ts';
import { KMS_KEY_ARN, KMS_KEY_ARN_RULE } from './constructs/sops-keys.ts';
import { notificationsContextSchema, type NotificationDestination } from './constructs/notifications.ts';

export interface DriftlessContext {
  /** ARN or name of an existing secret with the GitHub credentials; absent: the stack creates `driftless/github`. */
  readonly githubSecretArn?: string;
  /** ARN or name of an existing secret with the webhook's HMAC key; absent: the stack creates `driftless/webhook`. */
  readonly webhookSecretArn?: string;
  readonly configRepoUrl: string;
  readonly configRepoBranch?: string;
  readonly configDir?: string;
  readonly clusters: ManagedCluster[];
  /** Projects with their own IAM role per cluster, confined to their namespaces (README "Project roles"). */
  readonly projects?: ManagedProject[];
  /** KMS key ARNs the worker may kms:Decrypt SOPS data keys with (README "SOPS keys"). */
  readonly sopsKmsKeys?: string[];
  /** Creates `driftless/sops-age` for the worker's age identities. */
  readonly sopsAge?: boolean;
  readonly driftScheduleMinutes?: number;
  readonly logRetentionDays?: number;
  readonly alarmTopicArn?: string;
  /** Subscribed by e-mail to the alarm topic (the created one, or alarmTopicArn's). */
  readonly alarmEmail?: string;
  readonly maxConcurrency?: number;
  /** Reserved concurrency of the webhook function. */
  readonly webhookConcurrency?: number;
  /** A monthly AWS Budget in US dollars on Driftless's tagged costs; tells alarmEmail and the alarm topic. */
  readonly monthlyBudgetUsd?: number;
  /** Worker memory in MB, 128 to 10240. */
  readonly workerMemory?: number;
  /** Jobs per worker invocation, 1 to 10; default 1. */
  readonly workerBatchSize?: number;
  /** `retain` (default) or `destroy`: what deleting the stack does to the table and the bucket. */
  readonly removalPolicy?: 'retain' | 'destroy';
  /** Extra environment for every function. */
  readonly functionEnvironment?: Record<string, string>;
  /** Architecture of the webhook and the drift scan (the worker is always x86_64). */
  readonly architecture?: 'arm64' | 'x86_64';
  /** Creates a customer managed KMS key for the table, bucket, queues and alarm topic. */
  readonly customerManagedKey?: boolean;
  /** ARN of an existing KMS key to use instead (not with customerManagedKey). */
  readonly encryptionKeyArn?: string;
  /** The worker in a VPC, for private clusters (README "Private clusters"). */
  readonly vpc?: VpcContext;
  /** The web dashboard in AWS: CloudFront, an HTTP API and sign-in (README "Dashboard in AWS"). `true` for the defaults. */
  readonly dashboard?: DashboardContext;
  /** Slack and webhook destinations for Notification events (README "Notifications"). */
  readonly notifications?: { readonly destinations: NotificationDestination[] };
}

export interface DashboardContext {
  /** The organisation's identity provider instead of a Cognito user pool. */
  readonly oidc?: DashboardOidcContext;
  /** Cognito hosted UI prefix (`<prefix>.auth.<region>.amazoncognito.com`). Default `<stack name>-<account>`. */
  readonly domainPrefix?: string;
  /** Cognito groups to create (they arrive in `cognito:groups`, for RBAC `g` lines). */
  readonly groups?: string[];
  /** A domain of yours for the dashboard, with its ACM certificate in us-east-1 (both or neither). */
  readonly domainName?: string;
  readonly certificateArn?: string;
  /** A built UI to deploy as it is. Default: built at synth with `npm run build:dashboard`. */
  readonly assetsDir?: string;
  /** Steady requests per second the API accepts (default 50) and its burst (default 100). */
  readonly rateLimit?: number;
  readonly burstLimit?: number;
}

export interface DashboardOidcContext {
  /** The IdP's issuer URL, exactly as its tokens' `iss` claim says it. */
  readonly issuer: string;
  /** The `aud` value(s) the API accepts. */
  readonly audience: string | string[];
  /** The SPA's client id at the IdP. Default: the (first) audience. */
  readonly clientId?: string;
  /** The claim holding the user's groups. Default `groups`. */
  readonly groupsClaim?: string;
  /** Default `openid profile email`. */
  readonly scopes?: string[];
}

export interface VpcContext {
  readonly vpcId: string;
  /** The worker's subnets, private, each with its AZ and route table (gateway endpoints route through it). */
  readonly subnets: Array<{ subnetId: string; availabilityZone: string; routeTableId: string }>;
  /** Default: a security group created for the worker. */
  readonly securityGroupIds?: string[];
  readonly createEndpoints?: boolean;
  readonly clusterSecurityGroupIds?: string[];
  readonly httpsProxy?: string;
}

const scope = z.discriminatedUnion('type', [
  z.object({ type: z.literal('cluster') }).strict(),
  z.object({ type: z.literal('namespace'), namespaces: z.array(z.string().min(1)).min(1) }).strict(),
]);

const cluster = z
  .object({
    name: z.string().min(1),
    region: z.string().min(1).optional(),
    account: z
      .string()
      .regex(/^\d{12}$/, 'a 12-digit AWS account id')
      .optional(),
    roleArn: z.string().startsWith('arn:').optional(),
    // One of these says what Driftless may do on the cluster (ClusterAccess checks which).
    namespaces: z.array(z.string().min(1)).min(1).optional(),
    access: z.literal('cluster-admin').optional(),
    kubernetesGroups: z.array(z.string().min(1)).min(1).optional(),
    accessScope: scope.optional(),
  })
  .strict();

// ProjectAccess checks what needs the cluster list (the cluster is declared, one role per cluster).
const project = z
  .object({
    name: z.string().min(1),
    roles: z
      .array(
        z
          .object({
            cluster: z.string().min(1),
            roleArn: z.string().startsWith('arn:').optional(),
            namespaces: z.array(z.string().min(1)).min(1),
            access: z.enum(['admin', 'edit']).optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

// `-c` values arrive as strings, cdk.json values as JSON: accept both.
const json = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }, schema);

const securityGroupId = z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'a security group id (sg-...)');

const vpc = z
  .object({
    vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'a VPC id (vpc-...)'),
    subnets: z
      .array(
        z
          .object({
            subnetId: z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'a subnet id (subnet-...)'),
            availabilityZone: z.string().min(1),
            routeTableId: z.string().regex(/^rtb-[0-9a-f]{8,17}$/, 'a route table id (rtb-...)'),
          })
          .strict(),
      )
      .min(1),
    securityGroupIds: z.array(securityGroupId).min(1).optional(),
    createEndpoints: z.boolean().optional(),
    clusterSecurityGroupIds: z.array(securityGroupId).optional(),
    httpsProxy: z.string().url().optional(),
  })
  .strict();

// A Cognito domain prefix: lowercase letters, digits and hyphens, and none of the words Cognito reserves.
const domainPrefix = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'lowercase letters, digits and hyphens, up to 63')
  .refine((prefix) => !/aws|amazon|cognito/.test(prefix), 'may not contain "aws", "amazon" or "cognito"');

const dashboard = z
  .object({
    oidc: z
      .object({
        issuer: z.string().url().startsWith('https://', 'an https URL'),
        audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
        clientId: z.string().min(1).optional(),
        groupsClaim: z.string().min(1).optional(),
        scopes: z.array(z.string().regex(/^\S+$/, 'a scope without spaces')).min(1).optional(),
      })
      .strict()
      .optional(),
    domainPrefix: domainPrefix.optional(),
    groups: z.array(z.string().regex(/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u, 'a Cognito group name (no spaces, up to 128)')).optional(),
    domainName: z
      .string()
      .regex(/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, 'a lowercase domain name')
      .optional(),
    certificateArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/,
        'an ACM certificate ARN in us-east-1 (CloudFront takes its certificates from there)',
      )
      .optional(),
    assetsDir: z.string().min(1).optional(),
    rateLimit: z.number().int().positive().optional(),
    burstLimit: z.number().int().positive().optional(),
  })
  .strict()
  .refine((value) => (value.domainName === undefined) === (value.certificateArn === undefined), {
    message: 'domainName and certificateArn go together (the certificate must cover the domain)',
    path: ['certificateArn'],
  })
  .refine((value) => !(value.oidc && (value.domainPrefix || value.groups)), {
    message: 'domainPrefix and groups configure the Cognito user pool, which is not created with oidc',
    path: ['oidc'],
  });

// `true` is the defaults; `false` (or absent) is no dashboard. Turned into the object (or
// nothing) before the check, so a mistake inside the object is reported by its own key.
const dashboardSetting = json(z.preprocess((value) => (value === true ? {} : value === false ? undefined : value), dashboard.optional()));

const optionalString = z.string().min(1).optional();
const positiveInt = json(z.number().int().positive()).optional();

const schema = z.object({
  githubSecretArn: optionalString,
  webhookSecretArn: optionalString,
  configRepoUrl: z.string().url().startsWith('https://'),
  configRepoBranch: optionalString,
  configDir: optionalString,
  clusters: json(z.array(cluster)),
  projects: json(z.array(project)).optional(),
  sopsKmsKeys: json(z.array(z.string().regex(KMS_KEY_ARN, KMS_KEY_ARN_RULE))).optional(),
  sopsAge: json(z.boolean()).optional(),
  driftScheduleMinutes: positiveInt,
  logRetentionDays: positiveInt,
  alarmTopicArn: z.string().startsWith('arn:').optional(),
  alarmEmail: z.string().email().optional(),
  maxConcurrency: positiveInt,
  webhookConcurrency: positiveInt,
  monthlyBudgetUsd: json(z.number().positive()).optional(),
  vpc: json(vpc).optional(),
  workerMemory: json(z.number().int().min(128).max(10240)).optional(),
  workerBatchSize: json(z.number().int().min(1).max(10)).optional(),
  removalPolicy: z.enum(['retain', 'destroy']).optional(),
  functionEnvironment: json(z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'an environment variable name'), z.string())).optional(),
  architecture: z.enum(['arm64', 'x86_64']).optional(),
  customerManagedKey: json(z.boolean()).optional(),
  encryptionKeyArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/, 'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)')
    .optional(),
  dashboard: dashboardSetting.optional(),
  notifications: json(notificationsContextSchema).optional(),
});

const KEYS = Object.keys(schema.shape) as Array<keyof z.infer<typeof schema>>;

export function readDriftlessContext(node: Node): DriftlessContext {
  const raw: Record<string, unknown> = {};
  for (const key of KEYS) {
    const value: unknown = node.tryGetContext(key);
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`Driftless context is invalid (set it in cdk.json "context" or with -c key=value):\n${problems.join('\n')}`);
  }
  return parsed.data as DriftlessContext;
}
