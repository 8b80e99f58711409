// Calls in flight share one answer; settled calls are forgotten, failures included.
import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../shared/runtime/single-flight.ts';

describe('SingleFlight', () => {
  it('runs the work once for concurrent callers of one key, separately for another key', async () => {
    const flight = new SingleFlight<string>();
    let runs = 0;
    const work = (answer: string) => async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return answer;
    };
    expect(await Promise.all([flight.run('a', work('one')), flight.run('a', work('two')), flight.run('b', work('three'))])).toEqual(['one', 'one', 'three']);
    expect(runs).toBe(2);
  });

  it('asks again once the call settled, after a failure too', async () => {
    const flight = new SingleFlight<number>();
    await expect(flight.run('k', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await flight.run('k', async () => 1)).toBe(1);
    expect(await flight.run('k', async () => 2)).toBe(2);
  });
});
