// The outputs of a deployed Driftless stack: one CloudFormation DescribeStacks call with the
// SDK's default credential and region chains, errors turned into what to do.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { BackendError, NoCredentialsError, StackNotFoundError } from './errors.ts';

export interface StackOutputsRequest {
  stack: string;
  /** Default: the SDK's region chain (AWS_REGION, the profile's region). */
  region?: string;
  env: Record<string, string | undefined>;
}

export interface StackOutputs {
  region: string;
  outputs: Record<string, string>;
}

const CREDENTIAL_ERRORS = /ExpiredToken|InvalidClientTokenId|SignatureDoesNotMatch|UnrecognizedClient|CredentialsProviderError|Could not load credentials/;

export async function describeStackOutputs(request: StackOutputsRequest): Promise<StackOutputs> {
  const client = new CloudFormationClient({
    ...(request.region ? { region: request.region } : {}),
    ...(request.env.AWS_ENDPOINT_URL_CLOUDFORMATION ? { endpoint: request.env.AWS_ENDPOINT_URL_CLOUDFORMATION } : {}),
    maxAttempts: 2,
  });
  let region = request.region ?? '';
  try {
    try {
      region = await client.config.region();
    } catch (error) {
      throw new BackendError("no AWS region: set AWS_REGION (or the profile's region) or pass --region", { cause: error });
    }
    const answer = await client.send(new DescribeStacksCommand({ StackName: request.stack }), { abortSignal: AbortSignal.timeout(15_000) });
    const outputs: Record<string, string> = {};
    for (const output of answer.Stacks?.[0]?.Outputs ?? []) {
      if (output.OutputKey && output.OutputValue !== undefined) outputs[output.OutputKey] = output.OutputValue;
    }
    return { region, outputs };
  } catch (error) {
    if (error instanceof BackendError) throw error;
    const { name, message } = error as Error;
    if (name === 'ValidationError' && /does not exist/.test(message)) throw new StackNotFoundError(request.stack, region);
    if (CREDENTIAL_ERRORS.test(`${name} ${message}`)) throw new NoCredentialsError(`${name}: ${message.split('\n')[0]}`, { cause: error });
    throw new BackendError(`CloudFormation DescribeStacks ${request.stack} in ${region} failed: ${name}: ${message.split('\n')[0]}`, { cause: error });
  } finally {
    client.destroy();
  }
}
