// What `sync` and `diff` both do first: connect to the cluster, then render the app (a Helm
// chart with the cluster's version and API versions, so its Capabilities match the target)
// and decrypt its SOPS documents.
import { join } from 'node:path';
import type { KubeClient } from '../shared/kube/client.ts';
import { connectKubeconfig } from '../shared/kube/connect.ts';
import { Discovery } from '../shared/kube/discovery.ts';
import { detectSourceType } from '../shared/render/detect.ts';
import { useParseCache } from '../shared/render/parse.ts';
import { render } from '../shared/render/render.ts';
import type { RenderedObject, RenderRequest } from '../shared/render/types.ts';
import { isSopsDocument } from '../shared/secrets/sops/metadata.ts';
import { diskParseCache } from './parse-cache.ts';

export interface Prepared {
  client: KubeClient;
  discovery: Discovery;
  objects: RenderedObject[];
}

/** `connecting`: a connection the caller started already (see connectEarly), else one is made here. */
export async function prepare(request: RenderRequest, cluster: { kubeconfig?: string; context?: string }, connecting?: Promise<KubeClient>): Promise<Prepared> {
  const client = await (connecting ?? connectKubeconfig(cluster));
  const discovery = new Discovery(client);
  // The core group, which nearly every app uses, asked while the render runs: the connection
  // and its TLS handshake overlap the render's work instead of following it. A failure here is
  // not cached; whoever needs the group asks again and sees it.
  discovery.lookup('v1', 'Namespace').catch(() => undefined);
  // The same files parsed run after run: their parse kept on disk (parse-cache.ts).
  useParseCache(diskParseCache());
  try {
    // Only a Helm chart reads the cluster's Capabilities: the other sources need no requests.
    const helm = (await detectSourceType(join(request.root, request.path), request)) === 'helm';
    const result = await render({ ...request, cluster: helm ? await discovery.capabilities() : undefined });
    if (!result.objects.some(({ object }) => isSopsDocument(object))) return { client, discovery, objects: result.objects };
    // SOPS documents decrypted as the worker does, with the keys this user holds (SOPS_AGE_KEY_FILE,
    // GNUPGHOME, AWS credentials for KMS): there is no project on a laptop to narrow them. Imported
    // only when there is one: the key libraries (age, OpenPGP, the AWS SDK) cost a CLI run dearly.
    const [{ decryptRendered }, { sopsKeyRingFromEnv }] = await Promise.all([
      import('../shared/secrets/decrypt-rendered.ts'),
      import('../shared/secrets/environment.ts'),
    ]);
    const opened = await decryptRendered(result.objects, { keys: sopsKeyRingFromEnv(process.env), destinationNamespace: request.destinationNamespace });
    return { client, discovery, objects: opened.objects };
  } catch (error) {
    // The early discovery request must not keep the process alive (an unreachable server) after a render error.
    client.close();
    throw error;
  }
}

/**
 * The kubeconfig read (and a plugin run) while the caller does other work, such as asking git
 * for the work tree. Its failure is seen when prepare awaits it, not as an unhandled rejection.
 */
export function connectEarly(cluster: { kubeconfig?: string; context?: string }): Promise<KubeClient> {
  const connecting = connectKubeconfig(cluster);
  connecting.catch(() => undefined);
  return connecting;
}
