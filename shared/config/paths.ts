// Repository paths as Git reports them: POSIX, relative to the root. Folder tests compare
// whole segments, so `apps/web` holds `apps/web/x` but not `apps/web2/x`.
import { posix } from 'node:path';

/** `./apps//web/` → `apps/web`, `''` or `/` → `.`; undefined when it climbs out of the repository. */
export function normaliseRepoPath(path: string): string | undefined {
  const trimmed = path.trim().replaceAll('\\', '/').replace(/^\/+/, '');
  if (trimmed === '') return '.';
  const normal = posix.normalize(trimmed).replace(/\/+$/, '');
  if (normal === '..' || normal.startsWith('../')) return undefined;
  return normal === '' ? '.' : normal;
}

/** True when `file` is `folder` itself or inside it; `.` holds everything. */
export function isUnder(file: string, folder: string): boolean {
  const normalFolder = normaliseRepoPath(folder);
  const normalFile = normaliseRepoPath(file);
  if (normalFolder === undefined || normalFile === undefined) return false;
  if (normalFolder === '.') return true;
  return normalFile === normalFolder || normalFile.startsWith(`${normalFolder}/`);
}
