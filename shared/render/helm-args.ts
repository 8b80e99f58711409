// The `helm template` command line, built as Argo CD builds it: CRDs included unless
// skipped, value files, then inline values, then parameters, so later sources win. Every
// value rides as `--flag=value` and the two positionals come after `--`, so nothing from Git
// can become a flag of its own (shared/tools/argv.ts).
import { flagWithValue, positionalFromGit } from '../tools/argv.ts';
import { OptionLikeArgumentError } from './errors.ts';
import type { HelmParameter } from './types.ts';

export interface HelmTemplateArgs {
  releaseName: string;
  chartDir: string;
  namespace: string;
  valueFiles: string[];
  skipCrds: boolean;
  skipTests: boolean;
  kubeVersion?: string;
  apiVersions: string[];
  parameters: HelmParameter[];
}

export function helmTemplateArgs(options: HelmTemplateArgs): string[] {
  const args = ['template', flagWithValue('--namespace', options.namespace)];
  if (!options.skipCrds) args.push('--include-crds');
  if (options.skipTests) args.push('--skip-tests');
  if (options.kubeVersion) args.push(flagWithValue('--kube-version', options.kubeVersion));
  for (const apiVersion of options.apiVersions) args.push(flagWithValue('--api-versions', apiVersion));
  for (const file of options.valueFiles) args.push(flagWithValue('--values', file));
  for (const { name, value, forceString } of options.parameters) {
    args.push(flagWithValue(forceString ? '--set-string' : '--set', `${name}=${escapeSetValue(value)}`));
  }
  args.push(
    '--',
    positionalFromGit(options.releaseName, (value) => new OptionLikeArgumentError('helm release name', value)),
    positionalFromGit(options.chartDir, (value) => new OptionLikeArgumentError('chart folder', value)),
  );
  return args;
}

/**
 * helm splits --set on commas; Argo CD escapes them so a parameter is one value,
 * except `{a,b}`, which is helm's list syntax and meant to be split.
 */
export function escapeSetValue(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value;
  return value.replace(/(?<!\\),/g, '\\,');
}
