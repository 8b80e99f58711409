// A rendered object that a Deny binding refuses is the user's to fix (the manifests, the
// policy or its parameters), so it carries the one bad-input mark: the worker records
// "cannot sync", posts a failure and does not retry, and the CLI exits 2.
import type { BadInputMark } from '../errors/bad-input.ts';
import { describeVerdict, type PolicyVerdict } from './evaluate.ts';

/** Objects of one sync that a Deny binding refuses; nothing of that sync was applied. */
export class PolicyDeniedError extends Error implements BadInputMark {
  readonly badInput: boolean = true;
  readonly verdicts: PolicyVerdict[];
  constructor(verdicts: PolicyVerdict[], options?: ErrorOptions) {
    // The first line is the summary a commit status shows; each refusal follows, one a line.
    const objects = [...new Set(verdicts.map((verdict) => verdict.object))];
    const plural = objects.length === 1 ? 'object' : 'objects';
    super(
      [
        `admission policy denied ${objects.length} ${plural}; nothing was applied: ${verdicts.map((verdict) => `${verdict.object}: ${verdict.message}`).join('; ')}`,
        ...verdicts.map(
          (verdict) =>
            `${verdict.object}: ${describeVerdict(verdict, 'Deny')} (policy ${verdict.definedIn.policy}, binding ${verdict.definedIn.binding}${verdict.param ? `, params ${verdict.param}` : ''})`,
        ),
      ].join('\n'),
      options,
    );
    this.name = 'PolicyDeniedError';
    this.verdicts = verdicts;
  }
}
