// Runs the pipeline's worker one receive at a time, as Lambda's event source mapping would,
// while everything the handlers print goes into `logged` instead of the terminal: the security
// tests search what was said (logs, statuses, events) for what must never be in it.
import type { Pipeline } from './pipeline.ts';

/**
 * Hands receives to the worker until the queue gives nothing or `rounds` receives were made;
 * returns each message seen as `kind#ApproximateReceiveCount`, in order.
 */
export async function drainCapturing(pipeline: Pipeline, logged: string[], rounds: number): Promise<string[]> {
  const receives: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  const capture = (chunk: string | Uint8Array) => (logged.push(String(chunk)), true);
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  try {
    for (let round = 0; round < rounds; round++) {
      const received = await pipeline.workOnce(2);
      if (!received) break;
      for (const record of received.event.Records)
        receives.push(`${(JSON.parse(record.body) as { kind: string }).kind}#${record.attributes.ApproximateReceiveCount}`);
    }
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
  return receives;
}
