// The CloudWatch alarms a RollingSync step's gate waits on, behind a small interface: in AWS one
// DescribeAlarms call for the step's names (metric and composite alarms); in local mode (no AWS)
// a JSON file named by ROLLOUT_ALARMS_FILE, `{"api-5xx": "OK" | "ALARM" | "INSUFFICIENT_DATA"}`,
// read on every check so a person can flip an alarm while a rollout waits. A name the answer
// lacks is an alarm that does not exist (the gate halts, saying so).
import { readFile } from 'node:fs/promises';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { AlarmState } from './decide.ts';

export interface AlarmReader {
  /** The state of each alarm CloudWatch knows, by name. */
  states(names: readonly string[]): Promise<Map<string, AlarmState>>;
}

const STATES: ReadonlySet<string> = new Set(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
/** DescribeAlarms takes at most 100 names a call. */
const NAMES_PER_CALL = 100;

export function cloudWatchAlarms(client: Pick<CloudWatchClient, 'send'> = new CloudWatchClient({})): AlarmReader {
  return {
    async states(names) {
      const found = new Map<string, AlarmState>();
      for (let start = 0; start < names.length; start += NAMES_PER_CALL) {
        let nextToken: string | undefined;
        do {
          const answer = await client.send(
            new DescribeAlarmsCommand({
              AlarmNames: names.slice(start, start + NAMES_PER_CALL),
              AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
              NextToken: nextToken,
            }),
          );
          for (const alarm of [...(answer.MetricAlarms ?? []), ...(answer.CompositeAlarms ?? [])]) {
            if (alarm.AlarmName && alarm.StateValue && STATES.has(alarm.StateValue)) found.set(alarm.AlarmName, alarm.StateValue as AlarmState);
          }
          nextToken = answer.NextToken;
        } while (nextToken);
      }
      return found;
    },
  };
}

export function fileAlarms(path: string): AlarmReader {
  return {
    async states(names) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(path, 'utf8'));
      } catch (error) {
        throw new Error(`ROLLOUT_ALARMS_FILE ${path}: ${(error as Error).message}`, { cause: error });
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error(`ROLLOUT_ALARMS_FILE ${path}: must be a JSON object of alarm names to OK, ALARM or INSUFFICIENT_DATA`);
      const found = new Map<string, AlarmState>();
      for (const name of names) {
        const value = Object.hasOwn(parsed, name) ? (parsed as Record<string, unknown>)[name] : undefined;
        if (value === undefined) continue;
        if (typeof value !== 'string' || !STATES.has(value))
          throw new Error(`ROLLOUT_ALARMS_FILE ${path}: alarm ${name} is ${JSON.stringify(value)}, not OK, ALARM or INSUFFICIENT_DATA`);
        found.set(name, value as AlarmState);
      }
      return found;
    },
  };
}

/** ROLLOUT_ALARMS_FILE when set (local mode), else CloudWatch in the function's region. */
export function alarmReaderFor(env: Record<string, string | undefined>): AlarmReader {
  const file = env.ROLLOUT_ALARMS_FILE;
  return file ? fileAlarms(file) : cloudWatchAlarms();
}
