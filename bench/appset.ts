// npm run bench:appset — ApplicationSet generation at the size the issue names: a matrix of
// a list generator (1,000 elements) and a clusters generator (10 registered Clusters), 10,000
// Applications with ten template strings each, once with fasttemplate and once with
// goTemplate (Go text/template + Sprig through helm, shared/appset/go-template.ts). For each:
// the cold run (the first in this process: module loading, helm's first start) and the p50 of
// the warm runs after it, the helm processes started, and for goTemplate where the time goes
// (the batch's renderGoTemplates call, the helm process inside it, the rest: generators and
// building the Applications). Peak RSS of this process, and of helm (measured by running
// helm under /usr/bin/time through a wrapper named by DRIFTLESS_HELM_PATH, when that exists).
// The goal is under 1 s. Prints figures; asserts nothing. BENCH_RUNS (default 5)
// warm runs per syntax; BENCH_ELEMENTS and BENCH_CLUSTERS change the size.
import { spawn } from 'node:child_process';
import { access, chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRegistryFile } from '../shared/config/documents.ts';
import { reporter } from '../shared/config/problems.ts';
import type { ClusterSpec } from '../shared/config/types.ts';
import { validateApplicationSet } from '../shared/appset/schema.ts';
import { generateApplications } from '../shared/appset/generate.ts';
import { goTemplateRuns, renderGoTemplates } from '../shared/appset/go-template.ts';
import type { RenderGoTemplates } from '../shared/appset/render-strings.ts';
import type { GitFiles } from '../shared/appset/git-files.ts';
import type { ApplicationSetSpec } from '../shared/appset/types.ts';
import { helmPath } from '../shared/tools/binaries.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ELEMENTS = Number(process.env.BENCH_ELEMENTS ?? 1000);
const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 10);
const TIME = '/usr/bin/time';
const CHILD_FLAG = '--measured-child';

const noGit: GitFiles = {
  directories: () => Promise.reject(new Error('the benchmark reads no Git repository')),
  files: () => Promise.reject(new Error('the benchmark reads no Git repository')),
};

function setYaml(goTemplate: boolean): string {
  // Ten template strings per Application, the shape of a platform team's set.
  const v = (name: string): string => (goTemplate ? `{{ .${name} }}` : `{{${name}}}`);
  const elements = Array.from({ length: ELEMENTS }, (_, i) => `          - { app: app-${i}, team: team-${i % 7}, chart: web }`).join('\n');
  return [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: ApplicationSet',
    'metadata:',
    `  name: bench-${goTemplate ? 'go' : 'fast'}`,
    'spec:',
    ...(goTemplate ? ['  goTemplate: true', '  goTemplateOptions: ["missingkey=error"]'] : []),
    '  generators:',
    '    - matrix:',
    '        generators:',
    '          - list:',
    '              elements:',
    elements.replace(/^ {10}/gm, '                '),
    '          - clusters: {}',
    '  template:',
    '    metadata:',
    `      name: '${v('app')}-${v('name')}'`,
    '      labels:',
    `        team: '${v('team')}'`,
    `        env: '${goTemplate ? '{{ index .metadata.labels "env" }}' : '{{metadata.labels.env}}'}'`,
    '      annotations:',
    `        example.com/chart: '${v('chart')}'`,
    '    spec:',
    `      project: '${v('team')}'`,
    '      source:',
    '        repoURL: https://github.com/acme/platform.git',
    `        targetRevision: '${goTemplate ? '{{ .metadata.labels.env | default "main" }}' : 'HEAD'}'`,
    `        path: 'apps/${v('app')}'`,
    '      destination:',
    `        server: '${v('server')}'`,
    `        namespace: '${v('app')}'`,
    '',
  ].join('\n');
}

function setFrom(yaml: string): ApplicationSetSpec {
  const parsed = parseRegistryFile('driftless/bench-appset.yaml', yaml);
  const problems: unknown[] = [];
  const set = validateApplicationSet(parsed.documents[0], reporter(parsed.documents[0], problems as never));
  if (!set) throw new Error(`the benchmark's ApplicationSet is not valid: ${JSON.stringify(problems)}`);
  return set;
}

function clusters(): ClusterSpec[] {
  const envs = ['dev', 'staging', 'prod'];
  return Array.from({ length: CLUSTERS }, (_, i) => ({
    name: `cluster-${i}`,
    server: `https://cluster-${i}.example.com`,
    labels: { env: envs[i % envs.length], region: `r${i % 4}` },
    kubeconfig: { context: `cluster-${i}` },
    definedIn: { file: `driftless/clusters/cluster-${i}.yaml`, line: 1 },
  }));
}

interface Run {
  ms: number;
  apps: number;
  helmRuns: number;
  renderMs: number;
}

async function generate(set: ApplicationSetSpec, fleet: ClusterSpec[]): Promise<Run> {
  let renderMs = 0;
  const timedRender: RenderGoTemplates = async (requests, options) => {
    const started = performance.now();
    try {
      return await renderGoTemplates(requests, options);
    } finally {
      renderMs += performance.now() - started;
    }
  };
  const helmBefore = goTemplateRuns();
  const started = performance.now();
  const apps = await generateApplications(set, { clusters: fleet, git: noGit, renderGoTemplates: timedRender });
  return { ms: performance.now() - started, apps: apps.length, helmRuns: goTemplateRuns() - helmBefore, renderMs };
}

function p50(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * A helm that records its own wall time and peak RSS, one line per process, when /usr/bin/time
 * exists: a wrapper script named by DRIFTLESS_HELM_PATH. Where helm lives is found once per
 * process, so the benchmark runs in a child started with the variable set.
 */
async function measuredHelm(dir: string): Promise<{ wrapper: string; log: string } | undefined> {
  try {
    await access(TIME, constants.X_OK);
  } catch {
    return undefined;
  }
  const log = join(dir, 'helm-times.log');
  const wrapper = join(dir, 'helm');
  const real = await helmPath();
  await writeFile(wrapper, `#!/bin/sh\nexec ${TIME} -a -o '${log}' -f '%e %M' '${real}' "$@"\n`);
  await chmod(wrapper, 0o755);
  return { wrapper, log };
}

async function helmTimes(log: string | undefined): Promise<Array<{ seconds: number; rssKb: number }>> {
  if (!log) return [];
  const text = await readFile(log, 'utf8').catch(() => '');
  await writeFile(log, '');
  return text
    .split('\n')
    .map((line) => line.trim().split(' ').map(Number))
    .filter((parts) => parts.length === 2 && parts.every(Number.isFinite))
    .map(([seconds, rssKb]) => ({ seconds, rssKb }));
}

const ms = (value: number): string => `${Math.round(value)} ms`;

async function main(): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'driftless-bench-appset-'));
  try {
    const measured = await measuredHelm(scratch);
    if (!measured) return await bench(undefined);
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), CHILD_FLAG], {
      stdio: 'inherit',
      env: { ...process.env, DRIFTLESS_HELM_PATH: measured.wrapper, BENCH_HELM_LOG: measured.log },
    });
    const code = await new Promise<number>((resolve) => child.on('exit', (exitCode) => resolve(exitCode ?? 1)));
    process.exitCode = code;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function bench(log: string | undefined): Promise<void> {
  {
    const fleet = clusters();
    console.log(
      `ApplicationSet generation: matrix(list ${ELEMENTS} elements × clusters ${CLUSTERS}) = ${ELEMENTS * CLUSTERS} Applications, 10 template strings each`,
    );
    console.log(`${RUNS} warm runs per syntax after one cold run; goal < 1 s\n`);
    for (const goTemplate of [false, true]) {
      const set = setFrom(setYaml(goTemplate));
      const runs: Run[] = [];
      const helm: Array<Array<{ seconds: number; rssKb: number }>> = [];
      for (let i = 0; i <= RUNS; i += 1) {
        runs.push(await generate(set, fleet));
        helm.push(await helmTimes(log));
      }
      const [cold, ...warm] = runs;
      const name = goTemplate ? 'goTemplate  ' : 'fasttemplate';
      const warmP50 = p50(warm.map((run) => run.ms));
      console.log(
        `${name}  cold ${ms(cold.ms)}  warm p50 ${ms(warmP50)}  (${warm.map((run) => ms(run.ms)).join(', ')})  apps ${cold.apps}  helm processes per run ${cold.helmRuns}`,
      );
      if (goTemplate) {
        const renderP50 = p50(warm.map((run) => run.renderMs));
        const helmSeconds = helm.slice(1).map((processes) => processes.reduce((sum, process) => sum + process.seconds, 0));
        const helmRss = Math.max(0, ...helm.flat().map((process) => process.rssKb));
        console.log(
          `              where the warm time goes (p50): renderGoTemplates ${ms(renderP50)}` +
            (log ? ` (of which the helm process ${ms(p50(helmSeconds) * 1000)}, peak RSS ${Math.round(helmRss / 1024)} MiB)` : '') +
            `, generators and building the Applications ${ms(warmP50 - renderP50)}`,
        );
      }
    }
    console.log(`\npeak RSS of the benchmark's node process: ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
  }
}

if (process.argv[2] === CHILD_FLAG) await bench(process.env.BENCH_HELM_LOG);
else await main();
