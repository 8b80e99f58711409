// Answers to "is commit A in the history of commit B": a commit's ancestors never change, so
// an answer, once had, holds for the life of the process. A push's jobs all ask the same
// question (the new commit against the applied one): the repository is asked once per worker,
// and jobs asking at the same moment share that one question. "Cannot tell" (undefined: a
// commit not known yet) is not kept.
import { SingleFlight } from '../runtime/single-flight.ts';

// A container handles the push jobs of many targets on the same commits: one question each.
const MAX_KNOWN = 1000;

export class AncestryAnswers {
  readonly #known = new Map<string, boolean>();
  readonly #asking = new SingleFlight<boolean | undefined>();

  async answer(key: string, ask: () => Promise<boolean | undefined>): Promise<boolean | undefined> {
    const known = this.#known.get(key);
    if (known !== undefined) return known;
    const answer = await this.#asking.run(key, ask);
    if (answer !== undefined && !this.#known.has(key)) {
      // Oldest first out: Map keeps insertion order.
      if (this.#known.size >= MAX_KNOWN) this.#known.delete(this.#known.keys().next().value as string);
      this.#known.set(key, answer);
    }
    return answer;
  }
}
