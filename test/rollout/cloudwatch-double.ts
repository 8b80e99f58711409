// CloudWatch cannot run here, so the alarm gate's tests talk to this stand-in at the protocol
// level. The installed @aws-sdk/client-cloudwatch speaks AWS JSON 1.0 (its runtime config sets
// AwsJson1_0Protocol with awsQueryCompatible): POST / with `X-Amz-Target:
// GraniteServiceVersion20100801.DescribeAlarms` and a JSON body; the answer is JSON with
// `MetricAlarms` and `CompositeAlarms`. The double answers from a table of alarm states the test
// sets, records the names each call asked for, and knows no other operation.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CloudWatchDouble {
  endpoint: string;
  /** Alarm name → state; a name not here is an alarm CloudWatch does not have. */
  alarms: Map<string, 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'>;
  /** The AlarmNames of each DescribeAlarms call, in order. */
  calls: string[][];
  stop(): Promise<void>;
}

const TARGET = 'GraniteServiceVersion20100801.DescribeAlarms';

export async function startCloudWatchDouble(): Promise<CloudWatchDouble> {
  const double: CloudWatchDouble = {
    endpoint: '',
    alarms: new Map(),
    calls: [],
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };

  function handle(request: IncomingMessage, body: string, response: ServerResponse): void {
    const target = request.headers['x-amz-target'];
    if (request.method !== 'POST' || target !== TARGET || !String(request.headers['content-type']).startsWith('application/x-amz-json-1.0')) {
      return reply(response, 400, { __type: 'com.amazonaws.cloudwatch#InvalidAction', message: `unsupported request ${request.method} ${String(target)}` });
    }
    const input = JSON.parse(body) as { AlarmNames?: string[]; AlarmTypes?: string[] };
    const names = input.AlarmNames ?? [];
    if (names.length > 100) return reply(response, 400, { __type: 'com.amazonaws.cloudwatch#InvalidParameterValue', message: 'at most 100 AlarmNames' });
    double.calls.push(names);
    const metricAlarms = names
      .filter((name) => double.alarms.has(name))
      .map((name) => ({
        AlarmName: name,
        AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`,
        StateValue: double.alarms.get(name),
        StateReason: 'set by the test',
      }));
    const types = input.AlarmTypes ?? ['MetricAlarm'];
    return reply(response, 200, { MetricAlarms: types.includes('MetricAlarm') ? metricAlarms : [], CompositeAlarms: [] });
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  double.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return double;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': 'test' });
  response.end(JSON.stringify(body));
}
