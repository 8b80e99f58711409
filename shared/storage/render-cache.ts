// The rendered objects of one commit of one source, stored once and read by every cluster's
// sync and by the drift scan (which compares the live objects with the last applied render).
import type { RenderedObject } from '../render/types.ts';
import type { RenderKeyInput } from './render-key.ts';

export interface RenderCache {
  /** Stable for the same inputs, whatever the order of keys in `sourceOptions`. */
  renderKey(input: RenderKeyInput): string;
  get(key: string): Promise<RenderedObject[] | undefined>;
  /** Writes only when nothing is stored under `key` yet; returns whether it wrote. */
  put(key: string, objects: RenderedObject[]): Promise<boolean>;
}
