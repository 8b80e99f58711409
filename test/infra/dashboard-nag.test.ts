// cdk-nag AwsSolutions over the app with the dashboard: no unacknowledged finding for either
// sign-in, with or without a domain of one's own, and every acknowledgement where it applies
// with its reason. Read as test/infra/nag.test.ts reads it: validation-report.json and metadata.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations, type Environment } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { readDriftlessContext, type DashboardContext, type DriftlessContext } from '../../infra/context.ts';
import { builtAssets, DASHBOARD_ENTRIES, tempDir } from './dashboard-support.ts';
import { BASE_SETTINGS } from './support.ts';

interface NagResult {
  thrown: Error | undefined;
  findings: string[];
  acknowledgements: Array<{ path: string; id: string; reason: string }>;
}

function synthWithNag(dashboard: Partial<DashboardContext>, settings: Partial<DriftlessContext> = {}, env?: Environment): NagResult {
  const outdir = tempDir('driftless-dashboard-nag-');
  const app = new App({
    outdir,
    context: { 'aws:cdk:bundling-stacks': [], ...BASE_SETTINGS, ...settings, dashboard: { assetsDir: builtAssets(), ...dashboard } },
  });
  buildApp(app, { settings: readDriftlessContext(app.node), entries: DASHBOARD_ENTRIES, ...(env ? { env } : {}) });
  let thrown: Error | undefined;
  try {
    app.synth();
  } catch (error) {
    thrown = error as Error;
  }
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: Array<{ violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }> }>;
  };
  const findings = report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((violation) => violation.violatingConstructs.map((construct) => `${violation.ruleName} ${construct.constructPath}`)),
  );
  const acknowledgements = app.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id, reason }))),
    );
  return { thrown, findings, acknowledgements };
}

const dashboardAcknowledgements = (result: NagResult) =>
  result.acknowledgements.filter(({ path }) => path.startsWith('Driftless/Dashboard') || path.startsWith('Driftless/Custom::CDKBucketDeployment'));

describe('cdk-nag AwsSolutions with the dashboard', () => {
  it('reports nothing unacknowledged with the Cognito user pool and groups', () => {
    const result = synthWithNag({ groups: ['platform-admins'] });
    expect(result.findings).toEqual([]);
    expect(result.thrown).toBeUndefined();
  });

  it("reports nothing unacknowledged with the organisation's IdP, a domain of its own, a customer managed key and destroy", () => {
    const result = synthWithNag(
      {
        oidc: { issuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0', audience: '11111111-1111-1111-1111-111111111111' },
        domainName: 'gitops.acme.example',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
      { customerManagedKey: true, removalPolicy: 'destroy' },
    );
    expect(result.findings).toEqual([]);
    expect(result.thrown).toBeUndefined();
    // With a certificate of its own the distribution enforces TLS 1.2: nothing to acknowledge there.
    expect(dashboardAcknowledgements(result).map(({ id }) => id)).not.toContain('Annotation::AwsSolutions-CFR4');
    expect(dashboardAcknowledgements(result).map(({ id }) => id)).not.toContain('Annotation::AwsSolutions-COG8');
  });

  it('reports nothing unacknowledged for a stack with its account and region (the asset bucket then has a literal name)', () => {
    const result = synthWithNag({}, {}, { account: '123456789012', region: 'eu-west-1' });
    expect(result.findings).toEqual([]);
    expect(result.thrown).toBeUndefined();
  });

  it('acknowledges only these rules, each where it applies, each with a reason', () => {
    const acknowledged = dashboardAcknowledgements(synthWithNag({}));
    for (const { id, reason } of acknowledged) expect(reason.trim().length, id).toBeGreaterThan(30);
    const shown = acknowledged
      .map(({ path, id }) => `${path.replace(/CDKBucketDeployment\w+/, 'CDKBucketDeployment*')} ${id.replace(/[0-9A-F]{8}\.Arn/, '*.Arn')}`)
      .sort();
    expect(shown).toEqual([
      'Driftless/Custom::CDKBucketDeployment* Annotation::AwsSolutions-L1',
      'Driftless/Dashboard/Api/Handler/Role Annotation::AwsSolutions-IAM5[Resource::*]',
      'Driftless/Dashboard/Api/Handler/Role Annotation::AwsSolutions-IAM5[Resource::<DriftlessRenderCacheBucket*.Arn>/renders/*]',
      'Driftless/Dashboard/SignIn/UserPool Annotation::AwsSolutions-COG8',
      'Driftless/Dashboard/Site/AccessLogs Annotation::AwsSolutions-S1',
      'Driftless/Dashboard/Site/Assets Annotation::AwsSolutions-S1',
      'Driftless/Dashboard/Site/DeploymentRole Annotation::AwsSolutions-IAM5[Action::s3:Abort*]',
      'Driftless/Dashboard/Site/DeploymentRole Annotation::AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      'Driftless/Dashboard/Site/DeploymentRole Annotation::AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'Driftless/Dashboard/Site/DeploymentRole Annotation::AwsSolutions-IAM5[Action::s3:GetObject*]',
      'Driftless/Dashboard/Site/DeploymentRole Annotation::AwsSolutions-IAM5[Action::s3:List*]',
      'Driftless/Dashboard/Site/DeploymentRole Annotation::AwsSolutions-IAM5[Resource::*]',
      'Driftless/Dashboard/Site/DeploymentRole Annotation::AwsSolutions-IAM5[Resource::<DashboardSiteAssets*.Arn>/*]',
      'Driftless/Dashboard/Site/DeploymentRole Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      'Driftless/Dashboard/Site/Distribution Annotation::AwsSolutions-CFR1',
      'Driftless/Dashboard/Site/Distribution Annotation::AwsSolutions-CFR2',
      'Driftless/Dashboard/Site/Distribution Annotation::AwsSolutions-CFR4',
    ]);
  });
});
