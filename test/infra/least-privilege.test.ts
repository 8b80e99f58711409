// Each function may do exactly what its job needs, on exactly the resources it uses, and no
// identity policy anywhere in the stack holds a wildcard AWS does not force on us.
import { beforeAll, describe, expect, it } from 'vitest';
import { iamStatements, permissionsOf, synthStack, type IamStatement } from './support.ts';

interface Allowed {
  actions: string[];
  resource: RegExp;
  why: string;
}

// The only wildcards AWS leaves no way around. Each entry says why.
const ALLOWED_WILDCARDS: Allowed[] = [
  {
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
    resource: /^\*$/,
    why: 'X-Ray trace submission has no resource-level permissions; AWS requires Resource "*".',
  },
  {
    actions: ['cloudwatch:DescribeAlarms'],
    resource: /^\*$/,
    why: 'CloudWatch returns composite alarms only to a DescribeAlarms permission on "*" (DescribeAlarms, CloudWatch API reference); rollout gates name alarms from Git.',
  },
  {
    actions: ['s3:GetObject', 's3:PutObject'],
    resource: /^<DriftlessRenderCacheBucket\w+\.Arn>\/\*$/,
    why: 'Object keys are derived from commits at run time; the wildcard stays inside the one render bucket.',
  },
];

/** Wildcards in the statements that the allow-list does not explain. */
function unexplainedWildcards(statements: IamStatement[]): string[] {
  const problems: string[] = [];
  for (const statement of statements.filter((s) => s.effect === 'Allow')) {
    for (const action of statement.actions) {
      if (action.includes('*')) problems.push(`${statement.source}: action ${action}`);
    }
    for (const resource of statement.resources.filter((r) => r.includes('*'))) {
      const explained = ALLOWED_WILDCARDS.some(
        (allowed) => allowed.resource.test(resource) && statement.actions.every((action) => allowed.actions.includes(action)),
      );
      if (!explained) problems.push(`${statement.source}: resource ${resource} for ${statement.actions.join(', ')}`);
    }
  }
  return problems;
}

function label(resource: string): string {
  const rules: Array<[RegExp, (match: RegExpMatchArray) => string]> = [
    [/^\*$/, () => '*'],
    [/^<DriftlessStateTable\w+\.Arn>$/, () => 'table'],
    [/^<DriftlessSyncJobs\w+\.Arn>$/, () => 'jobs queue'],
    [/^<DriftlessDriftScanScheduleDeadLetterQueue\w+\.Arn>$/, () => 'schedule DLQ'],
    [/^<DriftlessRenderCacheBucket\w+\.Arn>$/, () => 'bucket'],
    [/^<DriftlessRenderCacheBucket\w+\.Arn>\/\*$/, () => 'bucket objects'],
    [/^<DriftlessEventsBus\w+\.Arn>$/, () => 'bus'],
    [/^<GitHubSecret\w+>$/, () => 'github secret'],
    [/^<WebhookSecret\w+>$/, () => 'webhook secret'],
    [/^<DriftlessChartCredentialsSecret\w+>$/, () => 'chart secret'],
    [/^<Driftless(\w+?)Logs[0-9A-F]{8}\.Arn>$/, (m) => `log group ${m[1]}`],
    [/^arn:<AWS::Partition>:eks:<AWS::Region>:<AWS::AccountId>:cluster\/(.+)$/, (m) => `cluster ${m[1]}`],
    [/^<DriftlessDriftScanHandlerLive[0-9A-F]{8}>$/, () => 'drift-scan live alias'],
  ];
  for (const [pattern, name] of rules) {
    const match = resource.match(pattern);
    if (match) return name(match);
  }
  return resource;
}

const TABLE_READ_WRITE = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
const on = (actions: string[], resource: string): Record<string, string[]> => Object.fromEntries(actions.map((action) => [action, [resource]]));
// The webhook reads the webhook secret; the worker and the drift scan the GitHub credentials.
const basics = (logGroup: string, secret = 'github secret'): Record<string, string[]> => ({
  ...on(['logs:CreateLogStream', 'logs:PutLogEvents'], `log group ${logGroup}`),
  ...on(['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], '*'),
  ...on(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], secret),
  ...on(TABLE_READ_WRITE, 'table'),
  ...on(['sqs:SendMessage'], 'jobs queue'),
});

describe('least privilege', () => {
  let statements: IamStatement[];
  beforeAll(() => {
    statements = iamStatements(synthStack().template.toJSON() as never);
  });

  it('has no wildcard action and no wildcard resource except where AWS requires one', () => {
    expect(statements.length).toBeGreaterThan(10);
    expect(unexplainedWildcards(statements)).toEqual([]);
  });

  it('finds the wildcards it is meant to catch', () => {
    const bad = (actions: string[], resources: string[]): IamStatement => ({ source: 'P', roles: [], effect: 'Allow', actions, resources });
    expect(
      unexplainedWildcards([
        bad(['s3:*'], ['arn:aws:s3:::b/*']),
        bad(['sqs:SendMessage'], ['*']),
        bad(['xray:PutTraceSegments', 'eks:DescribeCluster'], ['*']),
        bad(['s3:DeleteObject'], ['<DriftlessRenderCacheBucketAB12CD34.Arn>/*']),
        // Reading alarms on "*" is explained; changing one there is not.
        bad(['cloudwatch:DescribeAlarms', 'cloudwatch:SetAlarmState'], ['*']),
      ]),
    ).toHaveLength(6);
  });

  it('gives the webhook the table, the send side of the queue and the webhook secret, nothing more', () => {
    expect(permissionsOf(statements, 'WebhookHandlerRole', label)).toEqual(basics('WebhookHandler', 'webhook secret'));
  });

  it('lets exactly the webhook read the webhook secret, exactly the worker and the drift scan the GitHub credentials, and the worker alone the chart credentials', () => {
    const readers = (secret: string) =>
      statements
        .filter(
          (statement) =>
            statement.effect === 'Allow' &&
            statement.actions.includes('secretsmanager:GetSecretValue') &&
            statement.resources.some((resource) => label(resource) === secret),
        )
        .flatMap((statement) => statement.roles.map((role) => role.replace(/^<Driftless(\w+?)Role[0-9A-F]{8}>$/, '$1')))
        .sort();
    expect(readers('webhook secret')).toEqual(['WebhookHandler']);
    expect(readers('github secret')).toEqual(['DriftScanHandler', 'SyncWorker']);
    // Only the worker pulls charts.
    expect(readers('chart secret')).toEqual(['SyncWorker']);
  });

  it('gives the worker everything a sync touches, DescribeCluster on the managed clusters only, and the alarm states rollout gates wait on', () => {
    expect(permissionsOf(statements, 'SyncWorkerRole', label)).toEqual({
      ...basics('SyncWorker'),
      // The GitHub credentials and the chart repositories' (sorted by label).
      'secretsmanager:GetSecretValue': ['chart secret', 'github secret'],
      'secretsmanager:DescribeSecret': ['chart secret', 'github secret'],
      ...on(['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], 'jobs queue'),
      ...on(['s3:ListBucket'], 'bucket'),
      ...on(['s3:GetObject', 's3:PutObject'], 'bucket objects'),
      ...on(['events:PutEvents'], 'bus'),
      ...on(['eks:DescribeCluster'], 'cluster dev'),
      // A RollingSync step's gate: the states of the alarms it names (composite alarms need "*").
      ...on(['cloudwatch:DescribeAlarms'], '*'),
    });
  });

  it('lets exactly the worker read alarm states, and no function change an alarm', () => {
    const cloudwatch = statements.filter((statement) => statement.effect === 'Allow' && statement.actions.some((action) => action.startsWith('cloudwatch:')));
    expect(cloudwatch.flatMap((statement) => statement.actions)).toEqual(['cloudwatch:DescribeAlarms']);
    expect(cloudwatch.flatMap((statement) => statement.roles)).toEqual([expect.stringContaining('SyncWorkerRole')]);
  });

  it('gives the drift scan only what planning needs: the table, the send side of the queue and the secret', () => {
    // The workers run the scans; the planner reaches no cluster, no render and no event bus.
    // Scan: listing every target (plan-scans) is a Scan, which no key condition can narrow.
    // Its schedule DLQ is also the on-failure destination of its asynchronous runs, which Lambda
    // sends with the function's role: SendMessage, as Lambda's destinations need, nothing else.
    expect(permissionsOf(statements, 'DriftScanHandlerRole', label)).toEqual({
      ...basics('DriftScanHandler'),
      ...on(['dynamodb:Scan'], 'table'),
      'sqs:SendMessage': ['jobs queue', 'schedule DLQ'],
    });
  });

  it('lets the scheduler invoke the drift-scan function and put an undeliverable run in its DLQ, nothing else', () => {
    expect(permissionsOf(statements, 'DriftScanSchedulerRole', label)).toEqual({
      ...on(['lambda:InvokeFunction'], 'drift-scan live alias'),
      ...on(['sqs:SendMessage'], 'schedule DLQ'),
    });
  });

  it('attaches no managed policy to any role (AWSLambdaBasicExecutionRole would open every log group)', () => {
    const roles = Object.values(synthStack().template.findResources('AWS::IAM::Role'));
    expect(roles.length).toBe(4);
    for (const role of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('allows sts:AssumeRole on the declared roles only, and only to the worker, the one function that reaches clusters', () => {
    const roleArn = 'arn:aws:iam::210987654321:role/driftless-deployer';
    const withRole = iamStatements(
      synthStack({
        clusters: [
          { name: 'dev', namespaces: ['apps'] },
          { name: 'prod', account: '210987654321', region: 'eu-west-1', roleArn },
        ],
      }).template.toJSON() as never,
    );
    const assumed = withRole.filter((statement) => statement.actions.includes('sts:AssumeRole'));
    expect(assumed.map((statement) => statement.resources)).toEqual([[roleArn]]);
    expect(assumed.flatMap((statement) => statement.roles)).toEqual([expect.stringContaining('SyncWorkerRole')]);
    const described = withRole.filter((statement) => statement.actions.includes('eks:DescribeCluster'));
    expect(described.flatMap((statement) => statement.roles)).toEqual([expect.stringContaining('SyncWorkerRole')]);
  });

  it('asks for no sts:AssumeRole when no cluster declares a role', () => {
    expect(statements.filter((statement) => statement.actions.includes('sts:AssumeRole'))).toEqual([]);
  });
});
