// Once before any test file runs: the dashboard's build (local/dashboard-assets.ts), which several
// files serve at once. Built here, no file finds it stale and swaps the folder under another.
// And one temporary folder for the whole run (TMPDIR, which os.tmpdir() and every child process
// read), removed at the end: test files make git repositories, sandboxes' state and CDK's
// cdk.out (a copy of the 60 MB kubectl layer per synth) under it, and a file that does not clean
// up after itself must not fill the machine's disk run after run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dashboardAssets } from '../local/dashboard-assets.ts';

export default async function setup(): Promise<() => void> {
  const runTmp = mkdtempSync(join(tmpdir(), 'driftless-test-run-'));
  process.env.TMPDIR = runTmp;
  await dashboardAssets();
  return () => rmSync(runTmp, { recursive: true, force: true });
}
