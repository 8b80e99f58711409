import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { rerequestedTarget } from '../../shared/github/check-rerequest.ts';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{ name: string; examples: Array<Record<string, unknown>> }>;

/** GitHub's own `check_run` `rerequested` delivery, with what our run would carry put in. */
function rerequested(checkRun: Record<string, unknown> = {}): Record<string, unknown> {
  const example = examples.find((entry) => entry.name === 'check_run')!.examples.find((payload) => payload.action === 'rerequested')!;
  const payload = structuredClone(example) as { check_run: Record<string, unknown> };
  payload.check_run = { ...payload.check_run, ...checkRun };
  return payload;
}

const SHA = 'd6fde92930d4715a2b49857d24b940956b26d2d3';

describe('rerequestedTarget', () => {
  it('reads app, cluster and commit of one of our runs', () => {
    expect(rerequestedTarget(rerequested({ external_id: 'web@prod-eu', name: 'driftless/web@prod-eu' }))).toEqual({ app: 'web', cluster: 'prod-eu', sha: SHA });
  });

  it('ignores GitHub’s example as it is: not one of ours', () => {
    expect(rerequestedTarget(rerequested())).toBeUndefined();
  });

  it('ignores other actions', () => {
    const payload = { ...rerequested({ external_id: 'web@prod-eu', name: 'driftless/web@prod-eu' }), action: 'completed' };
    expect(rerequestedTarget(payload)).toBeUndefined();
  });

  it.each([
    ['no cluster', 'web', 'driftless/web'],
    ['two @', 'web@a@b', 'driftless/web@a@b'],
    ['an upper-case name', 'Web@prod', 'driftless/Web@prod'],
    ['a name too long', `${'a'.repeat(64)}@prod`, `driftless/${'a'.repeat(64)}@prod`],
    ['a run named otherwise', 'web@prod-eu', 'Driftless preview'],
  ])('refuses %s', (_, externalId, name) => {
    expect(rerequestedTarget(rerequested({ external_id: externalId, name }))).toBeUndefined();
  });

  it('refuses a head_sha that is not a full commit sha', () => {
    expect(rerequestedTarget(rerequested({ external_id: 'web@prod-eu', name: 'driftless/web@prod-eu', head_sha: 'main' }))).toBeUndefined();
  });

  it('answers undefined for anything that is not a payload', () => {
    expect(rerequestedTarget(undefined)).toBeUndefined();
    expect(rerequestedTarget('rerequested')).toBeUndefined();
    expect(rerequestedTarget({ action: 'rerequested', check_run: null })).toBeUndefined();
  });
});
