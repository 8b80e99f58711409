// Concurrent callers asking the same question at the same moment share one answer: the jobs
// of a batch running at once in one worker resolve a branch, find a commit, render an app or
// read the registry once instead of once each. Only calls in flight are shared; a later call
// asks again (a branch moves), and a failure is not remembered.

export class SingleFlight<T> {
  readonly #inFlight = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    let pending = this.#inFlight.get(key);
    if (!pending) {
      pending = work().finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    return pending;
  }
}
