// The SOPS keys of this process (shared/secrets/environment.ts reads them from its
// environment), built once per container: the Lambda and local mode need no wiring of their
// own, and tests pass WorkerDependencies.sopsKeys instead.
import { sopsKeyRingFromEnv } from '../secrets/environment.ts';
import type { SopsKeyRing } from '../secrets/keys/key-ring.ts';

let keys: SopsKeyRing | undefined;

export function processSopsKeys(): SopsKeyRing {
  keys ??= sopsKeyRingFromEnv(process.env);
  return keys;
}
