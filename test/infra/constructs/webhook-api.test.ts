import { describe, expect, it } from 'vitest';
import { functionProps, logicalIdOf, synthStack } from '../support.ts';

describe('WebhookApi', () => {
  const { template } = synthStack();
  const fn = logicalIdOf(template, 'AWS::Lambda::Function', 'WebhookHandler');

  it('exposes the webhook function through a Function URL without IAM auth (GitHub signs with HMAC)', () => {
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [fn, 'Arn'] } });
  });

  it('lets the public invoke the function only through its URL, not with a direct Invoke call', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).map((p) => p.Properties);
    expect(permissions).toEqual([
      expect.objectContaining({ Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }),
      expect.objectContaining({ Action: 'lambda:InvokeFunction', Principal: '*', InvokedViaFunctionUrl: true }),
    ]);
  });

  it('outputs the URL to paste into GitHub', () => {
    const url = logicalIdOf(template, 'AWS::Lambda::Url', 'WebhookHandler');
    const outputs = Object.values(template.findOutputs('*', { Value: { 'Fn::GetAtt': [url, 'FunctionUrl'] } }));
    expect(outputs).toHaveLength(1);
    expect(outputs[0].Description).toMatch(/application\/json, push events/);
  });

  it("gives up within GitHub's 10 second delivery timeout", () => {
    expect(functionProps(template, 'WebhookHandler').Timeout).toBe(10);
  });

  it('reserves concurrency, 10 unless told, so a flood of requests to the public URL is bounded', () => {
    expect(functionProps(template, 'WebhookHandler').ReservedConcurrentExecutions).toBe(10);
    expect(functionProps(synthStack({ webhookConcurrency: 3 }).template, 'WebhookHandler').ReservedConcurrentExecutions).toBe(3);
    // The worker is bounded by its event source's maxConcurrency instead, the drift scan by its schedule.
    expect(functionProps(template, 'SyncWorker').ReservedConcurrentExecutions).toBeUndefined();
    expect(() => synthStack({ webhookConcurrency: 0 })).toThrow(/reservedConcurrency must be an integer from 1 to 1000/);
  });
});
