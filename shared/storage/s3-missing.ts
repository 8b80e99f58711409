// Whether an S3 call failed because the object is not there, as opposed to failing at all.

/** GetObject says NoSuchKey; HeadObject has no body to say it in, so only its 404 tells. */
export function isMissingObject(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || status === 404;
}
