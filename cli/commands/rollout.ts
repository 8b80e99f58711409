// `driftless rollout status [SET] | promote SET | abort SET`: where each ApplicationSet's
// RollingSync rollout stands, skip the gate one waits at, or stop one. The operations are the
// dashboard API's too (shared/operations/rollout.ts); this file only parses and prints.
import { userInfo } from 'node:os';
import { abortRollout, promoteRollout, rolloutStatus, type RolloutStepView, type RolloutView } from '../../shared/operations/rollout.ts';
import type { RolloutState } from '../../shared/rollout/types.ts';
import type { Command } from '../main.ts';
import { UsageError } from '../errors.ts';
import { BACKEND_HELP, jsonOutput, onBackend } from '../ops/command.ts';
import { EXIT } from '../ops/errors.ts';
import { backendFlags } from '../ops/flags.ts';
import { age, oneLine, palette, printJson, shortSha, statusColour, table, type Palette } from '../ops/output.ts';
import { parseFlags } from '../options.ts';

const help = `Usage: driftless rollout status [SET] [--output json]
       driftless rollout promote SET [--output json]
       driftless rollout abort SET [--output json]

The rollouts of ApplicationSets with a RollingSync strategy: one commit synced step by step,
each step done when all its apps are Synced and Healthy at that commit, with a gate (soak
time, CloudWatch alarms) before the next.

  status [SET]   every set's rollout: commit, step k of n, status (running, waiting at a
                 gate, halted, done, aborted), the gate or the reason, age. With SET, also
                 each step's counts and the current step's targets.
  promote SET    skip the gate the rollout waits at: the next step starts now. Refused (exit
                 2) when the rollout is not at a gate, saying what it is doing.
  abort SET      start no more steps; what is syncing finishes, the pending targets' commit
                 statuses say who aborted it. A newer commit starts a new rollout.

Exit 0 ok; 1 when a rollout shown is halted (a failed or Degraded app, or an alarm); 2 bad
input or a set that is not there (the known ones are named).
${BACKEND_HELP}`;

type Verb = 'status' | 'promote' | 'abort';

export const rolloutCommand: Command = {
  async run(args) {
    const { values, positionals } = parseFlags(args, backendFlags, true);
    if (values.help) {
      process.stdout.write(help);
      return 0;
    }
    const [verb, set, ...extra] = positionals;
    if (verb !== 'status' && verb !== 'promote' && verb !== 'abort')
      throw new UsageError(verb === undefined ? 'expected status, promote or abort' : `unknown rollout command "${verb}": expected status, promote or abort`);
    if (extra.length > 0) throw new UsageError(`expected at most one SET, got ${extra.length + 1}`);
    if (verb !== 'status' && set === undefined) throw new UsageError(`rollout ${verb} needs a SET`);
    const json = jsonOutput(values);
    return onBackend(`rollout ${verb}`, values, (backend) => (verb === 'status' ? status(backend, set, json) : change(backend, verb, set!, json)));
  },
};

async function status(backend: Parameters<typeof rolloutStatus>[0], set: string | undefined, json: boolean): Promise<number> {
  const views = await rolloutStatus(backend, set);
  if (json) printJson(set === undefined ? views : views[0]);
  else process.stdout.write(set === undefined ? formatRollouts(views, palette()) : formatRollout(views[0], palette()));
  return views.some((view) => view.state?.status === 'halted') ? EXIT.failed : EXIT.ok;
}

async function change(backend: Parameters<typeof promoteRollout>[0], verb: Exclude<Verb, 'status'>, set: string, json: boolean): Promise<number> {
  const by = cliUser();
  const state = verb === 'promote' ? await promoteRollout(backend, set, by) : await abortRollout(backend, set, by);
  if (json) printJson(state);
  else if (verb === 'promote')
    process.stdout.write(`Promoted ${set}: the gate of ${stepOf(state)} is skipped; the next step starts (rollout of ${shortSha(state.id)}).\n`);
  else process.stdout.write(`Aborted ${set}: no more steps of the rollout of ${shortSha(state.id)} start (it was at ${stepOf(state)}).\n`);
  return EXIT.ok;
}

/** Who asked, for the rollout's messages: the local user, as the CLI names itself elsewhere. */
function cliUser(): string {
  let name = process.env.USER;
  try {
    name ??= userInfo().username;
  } catch {
    // No passwd entry (a container): the CLI is still who asked.
  }
  return `${name ?? 'someone'} (driftless CLI)`;
}

function stepOf(state: RolloutState): string {
  return `step ${Math.min(state.step + 1, state.steps)} of ${state.steps}`;
}

/** The word the table shows for a rollout's status: `none` for a set no commit rolled out yet. */
export function statusWord(state: RolloutState | undefined): string {
  return state?.status ?? 'none';
}

/** The gate a rollout waits at, why it halted, or who aborted it. */
export function gateOrReason(state: RolloutState | undefined): string {
  if (!state) return '';
  if (state.status === 'aborted') return state.reason ?? (state.by ? `aborted by ${state.by}` : 'aborted');
  if (state.status === 'done') return '';
  return state.reason ?? '';
}

/** One line per set: SET, COMMIT, STEP, STATUS, GATE / REASON, AGE. */
export function formatRollouts(views: RolloutView[], p: Palette, now = Date.now()): string {
  if (views.length === 0) return 'No ApplicationSet with a RollingSync strategy in the registry.\n';
  const rows = views.map(({ set, state }) => [
    set,
    shortSha(state?.id),
    state ? stepOf(state) : '',
    colourStatus(p, statusWord(state)),
    oneLine(gateOrReason(state)),
    age(state?.startedAt, now),
  ]);
  return table(['SET', 'COMMIT', 'STEP', 'STATUS', 'GATE / REASON', 'AGE'], rows, p);
}

/** One set: its rollout, each step's counts and gate, the current step's targets. */
export function formatRollout(view: RolloutView, p: Palette, now = Date.now()): string {
  const { set, state } = view;
  const lines: string[] = [];
  if (!state) lines.push(`ApplicationSet ${set}: no rollout yet (no commit has changed its apps since it was registered).`);
  else {
    lines.push(`ApplicationSet ${set}: rollout of ${shortSha(state.id)} (${state.trigger}), started ${age(state.startedAt, now)} ago`);
    const reason = gateOrReason(state);
    lines.push(
      state.status === 'done'
        ? `Status: ${colourStatus(p, state.status)}, all ${state.steps} steps`
        : `Status: ${colourStatus(p, state.status)} at ${stepOf(state)}${reason ? `: ${reason}` : ''}`,
    );
  }
  lines.push('');
  const rows = view.steps.map((step) => [
    String(step.number),
    step.selector,
    step.maxUpdate === undefined ? '' : String(step.maxUpdate),
    String(step.targets),
    String(step.done),
    String(step.syncing),
    String(step.failed),
    String(step.pending),
    gateOf(step),
  ]);
  let text = lines.join('\n') + '\n' + table(['STEP', 'SELECTOR', 'MAX', 'TARGETS', 'DONE', 'SYNCING', 'FAILED', 'PENDING', 'GATE'], rows, p);
  if (state && view.current) {
    text += `\nStep ${Math.min(state.step + 1, state.steps)}'s targets:\n`;
    text +=
      view.current.length === 0
        ? '  none in this rollout\n'
        : table(
            ['APP', 'CLUSTER', 'REVISION', 'PHASE', 'STATUS', 'HEALTH'],
            view.current.map((target) => [
              target.app,
              target.cluster,
              shortSha(target.revision),
              colourPhase(p, target.phase),
              statusColour(p, target.syncStatus ?? ''),
              statusColour(p, target.health ?? ''),
            ]),
            p,
          );
  }
  if (view.unselected.length > 0) text += `\nIn no step (left out of rollouts, synced by hand): ${view.unselected.join(', ')}\n`;
  return text;
}

function gateOf(step: RolloutStepView): string {
  const parts: string[] = [];
  if (step.soakMs !== undefined) parts.push(`soak ${duration(step.soakMs)}`);
  if (step.alarms && step.alarms.length > 0) parts.push(`alarms ${step.alarms.join(', ')}`);
  return parts.join(', ');
}

/** 90s, 5m, 1h30m: a soak as the config files write durations. */
function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds % 60 !== 0) return `${seconds}s`;
  const hours = Math.floor(seconds / 3600);
  const minutes = (seconds % 3600) / 60;
  return `${hours > 0 ? `${hours}h` : ''}${minutes > 0 || hours === 0 ? `${minutes}m` : ''}`;
}

function colourStatus(p: Palette, status: string): string {
  if (status === 'done') return p.green(status);
  if (status === 'running' || status === 'waiting') return p.yellow(status);
  if (status === 'halted' || status === 'aborted') return p.red(status);
  return status;
}

function colourPhase(p: Palette, phase: string): string {
  if (phase === 'done') return p.green(phase);
  if (phase === 'syncing' || phase === 'pending') return p.yellow(phase);
  return p.red(phase);
}
