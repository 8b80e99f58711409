// The alarm readers a gate uses: CloudWatch's DescribeAlarms through the real SDK client against
// a protocol-level double (one call for the step's names), and local mode's JSON file.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudWatchAlarms, fileAlarms } from '../../shared/rollout/alarms.ts';
import { startCloudWatchDouble, type CloudWatchDouble } from './cloudwatch-double.ts';

let cloudWatch: CloudWatchDouble;
let dir: string;
beforeAll(async () => {
  cloudWatch = await startCloudWatchDouble();
  dir = await mkdtemp(join(tmpdir(), 'alarms-'));
});
afterAll(async () => {
  await cloudWatch?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('CloudWatch alarms', () => {
  it('read every named alarm in one DescribeAlarms call; an alarm CloudWatch lacks is absent', async () => {
    cloudWatch.alarms.set('api-5xx', 'OK').set('latency', 'ALARM').set('queue-age', 'INSUFFICIENT_DATA');
    const client = new CloudWatchClient({ endpoint: cloudWatch.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const states = await cloudWatchAlarms(client).states(['api-5xx', 'latency', 'queue-age', 'gone']);
    expect([...states]).toEqual([
      ['api-5xx', 'OK'],
      ['latency', 'ALARM'],
      ['queue-age', 'INSUFFICIENT_DATA'],
    ]);
    expect(cloudWatch.calls).toEqual([['api-5xx', 'latency', 'queue-age', 'gone']]);
  });
});

describe('alarms from ROLLOUT_ALARMS_FILE', () => {
  it('read the states the file gives, read again on every check', async () => {
    const file = join(dir, 'alarms.json');
    await writeFile(file, JSON.stringify({ 'api-5xx': 'INSUFFICIENT_DATA', other: 'ALARM' }));
    const reader = fileAlarms(file);
    expect([...(await reader.states(['api-5xx', 'missing']))]).toEqual([['api-5xx', 'INSUFFICIENT_DATA']]);
    await writeFile(file, JSON.stringify({ 'api-5xx': 'OK' }));
    expect([...(await reader.states(['api-5xx']))]).toEqual([['api-5xx', 'OK']]);
  });

  it("refuse a state that is not one of CloudWatch's, naming the file and the alarm", async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ 'api-5xx': 'GREEN' }));
    await expect(fileAlarms(file).states(['api-5xx'])).rejects.toThrow(
      `ROLLOUT_ALARMS_FILE ${file}: alarm api-5xx is "GREEN", not OK, ALARM or INSUFFICIENT_DATA`,
    );
    await expect(fileAlarms(join(dir, 'none.json')).states(['api-5xx'])).rejects.toThrow(`ROLLOUT_ALARMS_FILE ${join(dir, 'none.json')}`);
  });
});
