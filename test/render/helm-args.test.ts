import { describe, expect, it } from 'vitest';
import { escapeSetValue, helmTemplateArgs } from '../../shared/render/helm-args.ts';

describe('helm template arguments', () => {
  it('escapes commas in parameter values so helm keeps one value, but not in {list} syntax', () => {
    expect(escapeSetValue('a,b')).toBe('a\\,b');
    expect(escapeSetValue('a\\,b')).toBe('a\\,b');
    expect(escapeSetValue('{a,b}')).toBe('{a,b}');
  });

  it('includes CRDs unless skipped and orders value sources so parameters win', () => {
    const args = helmTemplateArgs({
      releaseName: 'r',
      chartDir: '/c',
      namespace: 'ns',
      valueFiles: ['/v1.yaml', '/inline.yaml'],
      skipCrds: false,
      skipTests: true,
      kubeVersion: '1.31.0',
      apiVersions: ['a/v1', 'b/v1'],
      parameters: [
        { name: 'x', value: '1' },
        { name: 'y', value: 'true', forceString: true },
      ],
    });
    // Values joined to their flags and positionals after `--`: nothing from Git can become a flag.
    expect(args).toEqual([
      'template',
      '--namespace=ns',
      '--include-crds',
      '--skip-tests',
      '--kube-version=1.31.0',
      '--api-versions=a/v1',
      '--api-versions=b/v1',
      '--values=/v1.yaml',
      '--values=/inline.yaml',
      '--set=x=1',
      '--set-string=y=true',
      '--',
      'r',
      '/c',
    ]);
  });
});
