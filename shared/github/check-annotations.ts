// Annotations of a check run: one per object that failed, on the manifest file and line render
// found it at, so GitHub shows the failure beside the YAML in the commit and the pull request.
// GitHub takes at most 50 per request and appends those of each update to the run's list.
import type { ObjectChange } from '../sync/changeset.ts';
import { cut, MAX_MESSAGE, oneLine } from './check-summary.ts';

/** GitHub: "The Checks API limits the number of annotations to a maximum of 50 per API request." */
export const MAX_ANNOTATIONS_PER_REQUEST = 50;
/** Requests spent on annotations of one run at most; the summary's table names the rest. */
export const MAX_ANNOTATION_REQUESTS = 5;

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'failure';
  title: string;
  message: string;
}

/**
 * The failed objects that come from a file of the commit's own repository: a chart's templates
 * or another source's files are not in it, and GitHub refuses an annotation on a path the
 * commit lacks. Tool output (Helm, Kustomize) has no line of its own: the file's first line.
 */
export function failureAnnotations(objects: ObjectChange[]): CheckAnnotation[] {
  const annotations: CheckAnnotation[] = [];
  for (const object of objects) {
    if (object.action !== 'failed' || !object.source || object.source.origin !== undefined) continue;
    const line = object.source.line ?? 1;
    annotations.push({
      path: object.source.file,
      start_line: line,
      end_line: line,
      annotation_level: 'failure',
      title: cut(`${object.object} failed`, 255),
      message: cut(oneLine(object.message ?? 'failed'), MAX_MESSAGE),
    });
  }
  return annotations.slice(0, MAX_ANNOTATIONS_PER_REQUEST * MAX_ANNOTATION_REQUESTS);
}

/** Requests' worth of annotations: at most 50 each, in order. */
export function annotationBatches<T>(annotations: T[], size = MAX_ANNOTATIONS_PER_REQUEST): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < annotations.length; start += size) batches.push(annotations.slice(start, start + size));
  return batches;
}
