// npm run bench:bundles — synthesizes the stack with real bundling (local esbuild, no Docker)
// into a temporary folder and prints what each function ships and the kubectl layer's size.
// Prints figures; asserts nothing. BENCH_KEEP=1 keeps the cloud assembly.
import { mkdtempSync, readdirSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { App } from 'aws-cdk-lib';
import { DriftlessStack } from '../infra/stack.ts';

const outdir = mkdtempSync(join(tmpdir(), 'driftless-bundles-'));
const app = new App({ outdir });
const stack = new DriftlessStack(app, 'Driftless', {
  settings: { configRepoUrl: 'https://github.com/example/driftless-config', clusters: [{ name: 'dev', access: 'cluster-admin' }] },
});

const started = performance.now();
const assembly = app.synth();
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const template = assembly.getStackByName(stack.stackName).template as {
  Resources: Record<string, { Type: string; Properties: Record<string, { S3Key?: string }> }>;
};

const assetOf = (s3Key: string | undefined): string => {
  const hash = (s3Key ?? '').replace(/\.zip$/, '');
  const name = readdirSync(outdir).find((entry) => entry.startsWith(`asset.${hash}`));
  if (!name) throw new Error(`no staged asset for ${s3Key}`);
  return join(outdir, name);
};
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

console.log(`synth with bundling: ${seconds} s (${outdir})\n`);
console.log(['function'.padEnd(18), 'index.mjs (minified)'.padStart(26), 'deflated'.padStart(22), 'source map'.padStart(22)].join(''));
for (const [id, resource] of Object.entries(template.Resources)) {
  if (resource.Type !== 'AWS::Lambda::Function') continue;
  const dir = assetOf(resource.Properties.Code.S3Key);
  const code = readFileSync(join(dir, 'index.mjs'));
  const map = statSync(join(dir, 'index.mjs.map')).size;
  const name = id.replace(/^Driftless/, '').replace(/(Handler)?Function[0-9A-F]{8}$/, '');
  console.log(
    [
      name.padEnd(18),
      `${code.length} B (${kib(code.length)})`.padStart(26),
      `${deflateRawSync(code, { level: 9 }).length} B`.padStart(22),
      `${map} B`.padStart(22),
    ].join(''),
  );
}
for (const [id, resource] of Object.entries(template.Resources)) {
  if (resource.Type !== 'AWS::Lambda::LayerVersion') continue;
  const size = statSync(assetOf(resource.Properties.Content.S3Key)).size;
  console.log(`\nlayer ${id}: ${size} B (${(size / 1024 / 1024).toFixed(1)} MiB zipped; kubectl + helm)`);
}

if (!process.env.BENCH_KEEP) rmSync(outdir, { recursive: true, force: true });
