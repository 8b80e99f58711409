// The environment of every child process that reads a repository's content (helm, kubectl's
// kustomize, git): built from nothing rather than trimmed from ours, so no credential of the
// worker (AWS keys of the Lambda role, GITHUB_TOKEN, SSH agents) is ever inherited, and git —
// run by us or by kustomize — reads no system or user config, prompts for nothing, runs no
// repository hook or filter program, and may use no transport at all (not even file://,
// which would clone any repository on the worker's disk).
import { join } from 'node:path';

/** Settings forced on every git a child runs, as GIT_CONFIG_COUNT entries (git ≥ 2.31). */
const GIT_SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ['core.hooksPath', '/dev/null'],
  ['core.fsmonitor', 'false'],
  ['protocol.allow', 'never'],
  ['protocol.file.allow', 'never'],
  ['credential.helper', ''],
];

/**
 * Git's part of a child environment. `home` must be an empty private folder; `extra` adds
 * settings after ours (git reads the last value of a key), e.g. emptied filter drivers.
 */
export function gitEnv(home: string, extra: ReadonlyArray<readonly [string, string]> = []): Record<string, string> {
  const settings = [...GIT_SETTINGS, ...extra];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '/bin/false',
    SSH_ASKPASS: '/bin/false',
    // An empty list allows no protocol at all (git splits it into one empty name).
    GIT_ALLOW_PROTOCOL: '',
    GIT_CONFIG_COUNT: String(settings.length),
  };
  settings.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return env;
}

/**
 * The environment of a helm or kubectl run in `scratch`, a private folder: git's part, and
 * helm's homes, plugins and kubeconfig all inside `scratch`, so neither reads the worker's own.
 */
export function toolEnv(scratch: string): Record<string, string> {
  const helm = join(scratch, 'helm');
  return {
    ...gitEnv(join(scratch, 'home')),
    TMPDIR: scratch,
    HELM_CACHE_HOME: join(helm, 'cache'),
    HELM_CONFIG_HOME: join(helm, 'config'),
    HELM_DATA_HOME: join(helm, 'data'),
    HELM_PLUGINS: join(helm, 'plugins'),
    KUBECONFIG: join(scratch, 'no-kubeconfig'),
  };
}
