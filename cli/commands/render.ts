// `driftless render PATH`: print what a sync would apply, as multi-document YAML.
import { stringify } from 'yaml';
import { render } from '../../shared/render/render.ts';
import { isBadInput } from '../../shared/errors/bad-input.ts';
import { appFlags, renderRequestFrom } from '../app-flags.ts';
import type { Command } from '../main.ts';
import { parseFlags } from '../options.ts';

const help = `Usage: driftless render PATH [--name APP] [--namespace NS] [--helm-values F ...] [--set k=v ...] [--release-name R] [--recurse]

Renders the app in the folder PATH (or -f PATH, as sync and diff take it: plain YAML/JSON,
Kustomize or Helm, detected as Argo CD does) and prints the objects as multi-document YAML,
each preceded by a comment naming its source file within the repository. PATH is rendered as
part of its git work tree (or on its own outside git): Helm value files and Kustomize bases
may come from anywhere in that repository, and no symlink in it may point out of it.
Exit 0 on success, 2 when the manifests cannot be rendered.
`;

export const renderCommand: Command = {
  async run(args) {
    const { values, positionals } = parseFlags(args, appFlags, true);
    if (values.help) {
      process.stdout.write(help);
      return 0;
    }
    const request = await renderRequestFrom(positionals, values, false);
    try {
      const result = await render(request);
      const documents = result.objects.map(({ object, source }) => `# Source: ${source.file}${source.line ? `:${source.line}` : ''}\n${stringify(object)}`);
      process.stdout.write(documents.map((document) => `---\n${document}`).join(''));
      return 0;
    } catch (error) {
      // A helm or kubectl that cannot be started is ours, not the manifests': not exit 2.
      if (isBadInput(error)) {
        process.stderr.write(`driftless render: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
  },
};
