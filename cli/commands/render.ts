// `driftless render PATH`: print what a sync would apply, as multi-document YAML.
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { parseRegistryFiles, readRegistryFiles } from '../../shared/config/load.ts';
import { decideOffline, verdictLines } from '../../shared/policy/offline.ts';
import { EMPTY_POLICY_SET, type PolicySet } from '../../shared/policy/types.ts';
import { render } from '../../shared/render/render.ts';
import { isBadInput } from '../../shared/errors/bad-input.ts';
import { appFlags, renderRequestFrom } from '../app-flags.ts';
import type { Command } from '../main.ts';
import { parseFlags } from '../options.ts';

const help = `Usage: driftless render PATH [--name APP] [--namespace NS] [--helm-values F ...] [--set k=v ...] [--release-name R] [--recurse] [--policy DIR]

Renders the app in the folder PATH (or -f PATH, as sync and diff take it: plain YAML/JSON,
Kustomize or Helm, detected as Argo CD does) and prints the objects as multi-document YAML,
each preceded by a comment naming its source file within the repository. PATH is rendered as
part of its git work tree (or on its own outside git): Helm value files and Kustomize bases
may come from anywhere in that repository, and no symlink in it may point out of it.

--policy DIR asks the ValidatingAdmissionPolicies and bindings under DIR (YAML or JSON, with
the ConfigMaps their paramRefs name; the config repository's driftless/ folder will do) about
every object, as a sync would before writing, and prints one line per verdict on stderr:
deny, warn or audit, with object, policy, binding and message. No cluster is asked: every
object is a CREATE and a namespace is the rendered Namespace, else a bare one.
Exit 0 on success, 2 when the manifests cannot be rendered or a policy denies an object.
`;

const renderFlags = { ...appFlags, policy: { type: 'string' } } as const;

/** The user running the CLI, as policies see `request.userInfo`. */
const CLI_USER = { username: 'driftless-cli', groups: ['system:authenticated'] };

/** The policies of every registry file under `dir`, checked as a config push checks them. */
async function policiesIn(dir: string): Promise<PolicySet> {
  const root = resolve(dir);
  return parseRegistryFiles(await readRegistryFiles(root, '.')).policies ?? EMPTY_POLICY_SET;
}

export const renderCommand: Command = {
  async run(args) {
    const { values, positionals } = parseFlags(args, renderFlags, true);
    if (values.help) {
      process.stdout.write(help);
      return 0;
    }
    const request = await renderRequestFrom(positionals, values, false);
    try {
      const result = await render(request);
      const documents = result.objects.map(({ object, source }) => `# Source: ${source.file}${source.line ? `:${source.line}` : ''}\n${stringify(object)}`);
      process.stdout.write(documents.map((document) => `---\n${document}`).join(''));
      if (values.policy === undefined) return 0;
      const outcome = decideOffline(
        await policiesIn(values.policy),
        result.objects.map(({ object }) => object),
        CLI_USER,
      );
      for (const line of verdictLines(outcome)) process.stderr.write(`${line}\n`);
      process.stderr.write(
        `policies: ${result.objects.length} objects checked, ${outcome.denied.length} denied, ${outcome.warnings.length} warnings, ${outcome.audits.length} audited\n`,
      );
      return outcome.denied.length > 0 ? 2 : 0;
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
