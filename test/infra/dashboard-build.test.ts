// The UI is built at synth, as CDK bundles a function: `npm run build:dashboard` (the UI's own
// build) runs, its folder becomes the deployed asset, and a failed build stops the synth with
// what to do. Real npm and the real Vite build; a stack holding only the site, so nothing else
// is bundled.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildDashboardInto, DashboardSite } from '../../infra/constructs/dashboard-site.ts';
import { tempDir } from './dashboard-support.ts';
import type { Cfn } from './support.ts';

/** A package whose build:dashboard script is `script`, for the failure paths. */
function packageWith(script: string): string {
  const dir = tempDir('driftless-dashboard-pkg-');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'stand-in', private: true, scripts: { 'build:dashboard': script } }));
  return dir;
}

describe('dashboard build at synth', () => {
  it('deploys what `npm run build:dashboard` builds when no assetsDir is given', { timeout: 120_000 }, () => {
    const outdir = tempDir('driftless-dashboard-build-');
    const app = new App({ outdir });
    const stack = new Stack(app, 'Site');
    new DashboardSite(stack, 'Site', { apiDomainName: 'abc123.execute-api.eu-west-1.amazonaws.com' }).deploy({ issuer: 'https://issuer.example.com' });
    const deployment = Object.values(Template.fromStack(stack).findResources('Custom::CDKBucketDeployment'))[0] as Cfn;
    const [assets] = deployment.Properties.SourceObjectKeys as string[];
    const staged = join(outdir, `asset.${assets.replace(/\.zip$/, '')}`);
    const html = readFileSync(join(staged, 'index.html'), 'utf8');
    // Vite's output: the page loads its hashed module script from assets/.
    expect(html).toMatch(/<script type="module"[^>]*src="[^"]*assets\/[^"]+\.js"/);
    expect(readdirSync(join(staged, 'assets')).some((file) => file.endsWith('.js'))).toBe(true);
  });

  it('stops with the command and a way out when the build fails', () => {
    const failing = packageWith('node -e "process.exit(3)"');
    expect(() => buildDashboardInto(tempDir('driftless-out-'), { cwd: failing })).toThrow(
      /`npm run build:dashboard` in .* failed \(exit 3\); fix the UI build, or set dashboard\.assetsDir/,
    );
  });

  it('stops when the build leaves no index.html', () => {
    const empty = tempDir('driftless-built-');
    mkdirSync(join(empty, 'assets'));
    expect(() => buildDashboardInto(tempDir('driftless-out-'), { cwd: packageWith('node -e ""'), builtDir: empty })).toThrow(
      /left no index\.html in .*; set dashboard\.assetsDir/,
    );
  });
});
