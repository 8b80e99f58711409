// The workflow that deploys Driftless (.github/workflows/deploy.yml) is checked on every
// `npm test`: valid for GitHub Actions' own parser, AWS reached through OIDC only, staging
// proven before production, production behind an approval.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';

const PATH = new URL('../../.github/workflows/deploy.yml', import.meta.url);
const TEXT = readFileSync(PATH, 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  environment?: string | { name: string };
  permissions?: Record<string, string> | string;
  env?: Record<string, unknown>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string> | string;
  env?: Record<string, unknown>;
  jobs: Record<string, Job>;
}
const workflow = parse(TEXT) as Workflow;

// GitHub's own workflow parser and schema (@actions/workflow-parser, the one behind the Actions
// language service).
const needs = (job: Job): string[] => (job.needs === undefined ? [] : ([] as string[]).concat(job.needs));
const environmentOf = (job: Job): string | undefined => (typeof job.environment === 'string' ? job.environment : job.environment?.name);
const awsSteps = (job: Job) => job.steps.filter((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
const runs = (job: Job) => job.steps.map((step) => step.run ?? '').join('\n');

describe('the deploy workflow', () => {
  it('is a valid workflow for GitHub Actions', async () => {
    const result = parseWorkflow({ name: 'deploy.yml', content: TEXT }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((error) => error.message)).toEqual([]);
    expect(result.value).toBeDefined();
    const template = await convertWorkflowTemplate(result.context, result.value!);
    expect((template.errors ?? []).map((error) => error.Message)).toEqual([]);
    // The check is real: a misspelt key and a wrong permission value are refused.
    const broken = parseWorkflow(
      { name: 'broken.yml', content: 'on: push\njobs:\n  a:\n    runs-on: x\n    permissions:\n      id-token: wirte\n    stepz: []\n' },
      new NoOperationTraceWriter(),
    );
    expect(broken.context.errors.getErrors()).toHaveLength(2);
  });

  it('gives GITHUB_TOKEN read-only contents by default, and id-token: write exactly to the jobs that assume an AWS role', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const assumes = awsSteps(job).length > 0;
      const permissions = typeof job.permissions === 'object' ? job.permissions : {};
      expect(permissions['id-token'] === 'write', name).toBe(assumes);
      // Nothing here writes to the repository.
      expect(
        Object.entries(permissions).filter(([scope, level]) => level === 'write' && scope !== 'id-token'),
        name,
      ).toEqual([]);
      expect(job.permissions === 'write-all', name).toBe(false);
    }
  });

  it('holds no long-lived AWS keys: every AWS login is OIDC with role-to-assume', () => {
    for (const [name, job] of Object.entries(workflow.jobs)) {
      for (const step of awsSteps(job)) {
        expect(Object.keys(step.with ?? {}).sort(), name).toEqual(['aws-region', 'role-session-name', 'role-to-assume']);
        expect(String(step.with?.['role-to-assume']), name).toMatch(/^\$\{\{ vars\.\w+ \}\}$/);
      }
    }
    // Not in inputs, env or anywhere else in the file, nor any secret with AWS in its name.
    expect(TEXT).not.toMatch(/aws-access-key-id|aws-secret-access-key|aws-session-token|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/i);
    expect(TEXT).not.toMatch(/secrets\.\w*AWS\w*/i);
    expect(TEXT).not.toMatch(/AKIA[0-9A-Z]{16}/);
  });

  it('tests, then synthesizes with cdk-nag, diffs, deploys and proves staging with a signed test webhook', () => {
    const { test, staging } = workflow.jobs;
    expect(runs(test)).toMatch(/npm ci[\s\S]*npm test/);
    expect(needs(staging)).toEqual(['test']);
    expect(environmentOf(staging)).toBe('staging');
    expect(runs(staging)).toMatch(
      /npx cdk synth[\s\S]*npx cdk diff[\s\S]*npx cdk deploy[^\n]*--outputs-file cdk-outputs\.json[\s\S]*node infra\/bin\/test-webhook\.ts --outputs cdk-outputs\.json/,
    );
    // The wait reads commit statuses with the job's token.
    const smoke = staging.steps.find((step) => step.run?.includes('test-webhook.ts'));
    expect(smoke?.env?.GITHUB_TOKEN).toBe('${{ github.token }}');
    expect((staging.permissions as Record<string, string>).statuses).toBe('read');
  });

  it('deploys production only after staging, through an environment whose reviewers approve it', () => {
    const { production } = workflow.jobs;
    expect(needs(production)).toEqual(['staging']);
    expect(environmentOf(production)).toBe('production');
    expect(runs(production)).toMatch(/npx cdk diff[\s\S]*npx cdk deploy/);
  });

  it('never runs two deployments at once, nor cancels one half done', () => {
    expect((workflow as unknown as { concurrency: unknown }).concurrency).toEqual({ group: 'deploy-driftless', 'cancel-in-progress': false });
  });
});
