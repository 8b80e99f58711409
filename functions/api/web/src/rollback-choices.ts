// The revisions a rollback may go to, as `driftless rollback` allows: ones a sync of this
// target recorded as Synced, newest first, each once, never the one it runs now.
import type { TargetDetail } from '../../../../shared/api/contract.ts';

export function rollbackChoices(target: Pick<TargetDetail, 'revision' | 'history'>): string[] {
  const seen = new Set<string>(target.revision ? [target.revision] : []);
  const choices: string[] = [];
  for (const entry of target.history) {
    if (entry.status !== 'Synced' || seen.has(entry.revision)) continue;
    seen.add(entry.revision);
    choices.push(entry.revision);
  }
  return choices;
}
