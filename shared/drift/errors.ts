// Errors of drift detection. A scan that cannot run leaves the recorded state as it was; the
// next schedule scans again.

export class DriftError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DriftError';
  }
}

/** The render a target was last synced from is no longer in the render cache (expired). */
export class RenderMissingError extends DriftError {
  readonly renderKey: string | undefined;
  constructor(renderKey: string | undefined) {
    super(renderKey ? `the last applied render (${renderKey}) is no longer in the render cache` : 'the target has no recorded render');
    this.name = 'RenderMissingError';
    this.renderKey = renderKey;
  }
}
