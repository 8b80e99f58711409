import { describe, expect, it } from 'vitest';
import { annotationBatches, failureAnnotations } from '../../shared/github/check-annotations.ts';
import type { ObjectChange } from '../../shared/sync/changeset.ts';

function change(name: string, fields: Partial<ObjectChange>): ObjectChange {
  return { object: `Deployment/shop/${name}`, apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name, action: 'created', ...fields };
}

describe('failure annotations', () => {
  it('puts one on the file and line of each failed object, and none on the others', () => {
    const annotations = failureAnnotations([
      change('ok', { source: { file: 'apps/web/ok.yaml', document: 1, line: 1 } }),
      change('web', { action: 'failed', message: 'spec.replicas: Invalid value: -1\nmore', source: { file: 'apps/web/deploy.yaml', document: 2, line: 14 } }),
    ]);
    expect(annotations).toEqual([
      {
        path: 'apps/web/deploy.yaml',
        start_line: 14,
        end_line: 14,
        annotation_level: 'failure',
        title: 'Deployment/shop/web failed',
        message: 'spec.replicas: Invalid value: -1',
      },
    ]);
  });

  it('uses the first line of a file whose lines render does not know (tool output)', () => {
    const [annotation] = failureAnnotations([
      change('web', { action: 'failed', message: 'x', source: { file: 'charts/web/templates/deploy.yaml', document: 1 } }),
    ]);
    expect(annotation).toMatchObject({ path: 'charts/web/templates/deploy.yaml', start_line: 1, end_line: 1 });
  });

  it('leaves out objects from a chart or another source: their files are not in the commit', () => {
    const annotations = failureAnnotations([
      change('web', { action: 'failed', source: { file: 'templates/deploy.yaml', document: 1, origin: 'chart web 1.2.0 from https://charts.example.com' } }),
      change('db', { action: 'failed' }),
    ]);
    expect(annotations).toEqual([]);
  });

  it('batches by GitHub’s 50 per request, in order', () => {
    const objects = Array.from({ length: 120 }, (_, i) =>
      change(`w${i}`, { action: 'failed', message: 'm', source: { file: 'a.yaml', document: i + 1, line: i + 1 } }),
    );
    const batches = annotationBatches(failureAnnotations(objects));
    expect(batches.map((batch) => batch.length)).toEqual([50, 50, 20]);
    expect(batches.flat().map((annotation) => annotation.start_line)).toEqual(objects.map((_, i) => i + 1));
  });
});
