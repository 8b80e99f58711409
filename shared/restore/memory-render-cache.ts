// A render cache for one restore run when the backend names no render bucket: each render is
// kept only while the run lasts, so an app on several clusters still renders once.
import type { RenderedObject } from '../render/types.ts';
import type { RenderCache } from '../storage/render-cache.ts';
import { renderKey, type RenderKeyInput } from '../storage/render-key.ts';

export class MemoryRenderCache implements RenderCache {
  readonly #renders = new Map<string, RenderedObject[]>();

  renderKey(input: RenderKeyInput): string {
    return renderKey(input);
  }

  async get(key: string): Promise<RenderedObject[] | undefined> {
    return this.#renders.get(key);
  }

  async put(key: string, objects: RenderedObject[]): Promise<boolean> {
    if (this.#renders.has(key)) return false;
    this.#renders.set(key, objects);
    return true;
  }
}
