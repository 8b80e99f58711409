// A bad release rolls back by moving an alias, not by rebuilding: every function is published
// as a version behind the alias `live`, and every trigger (the queue's event source, the
// webhook's Function URL, the drift schedule) invokes that alias, never $LATEST.
import { describe, expect, it } from 'vitest';
import { type Cfn, iamStatements, logicalIdOf, resources, synthStack } from './support.ts';

const { template } = synthStack();
const all = resources(template);
const FUNCTIONS = ['WebhookHandler', 'SyncWorker', 'DriftScanHandler'];
const aliasOf = (fragment: string) => logicalIdOf(template, 'AWS::Lambda::Alias', fragment);
const functionOf = (fragment: string) => logicalIdOf(template, 'AWS::Lambda::Function', fragment);
const only = (type: string): Cfn => {
  const found = Object.values(all).filter((resource) => resource.Type === type);
  expect(found, type).toHaveLength(1);
  return found[0].Properties;
};

describe('live aliases', () => {
  it('publishes each function as a version, kept after the next deploy, behind an alias named live', () => {
    for (const name of FUNCTIONS) {
      const alias = all[aliasOf(name)].Properties as Cfn;
      expect(alias.Name, name).toBe('live');
      expect(alias.FunctionName).toEqual({ Ref: functionOf(name) });
      const [version, attribute] = alias.FunctionVersion['Fn::GetAtt'] as [string, string];
      expect(attribute).toBe('Version');
      expect(all[version]).toMatchObject({ Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: functionOf(name) } } });
      // Rolling back means pointing live at the previous version: it must not be deleted.
      expect(all[version].DeletionPolicy, name).toBe('Retain');
    }
  });

  it('feeds sync jobs to the worker through the alias', () => {
    // `<function name>:live`, the name taken from the worker alias's ARN (its seventh field).
    const name = only('AWS::Lambda::EventSourceMapping').FunctionName['Fn::Join'][1] as Cfn[];
    expect(name).toEqual([{ 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: aliasOf('SyncWorker') }] }] }, ':live']);
  });

  it('serves the webhook URL from the alias', () => {
    expect(only('AWS::Lambda::Url')).toMatchObject({ Qualifier: 'live', TargetFunctionArn: { 'Fn::GetAtt': [functionOf('WebhookHandler'), 'Arn'] } });
  });

  it('schedules the drift scan on the alias, and its role may invoke that alias alone', () => {
    const alias = aliasOf('DriftScanHandler');
    expect(only('AWS::Scheduler::Schedule').Target.Arn).toEqual({ Ref: alias });
    const invokes = iamStatements(template.toJSON() as never).filter((statement) => statement.actions.includes('lambda:InvokeFunction'));
    expect(invokes.map((statement) => statement.resources)).toEqual([[`<${alias}>`]]);
  });

  it("retries a failed asynchronous drift-scan run never (the next tick comes) and keeps it in the schedule's DLQ", () => {
    const config = only('AWS::Lambda::EventInvokeConfig');
    expect(config).toMatchObject({
      FunctionName: { Ref: functionOf('DriftScanHandler') },
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'ScheduleDeadLetterQueue'), 'Arn'] } } },
    });
    // The alias's qualifier: the ARN's eighth field.
    expect(JSON.stringify(config.Qualifier)).toContain(aliasOf('DriftScanHandler'));
  });
});
