// A project's secrets rules in the registry: our Project's spec.decryption.sops and
// spec.plainSecrets, an AppProject's driftless.io/sops-* and driftless.io/plain-secrets
// annotations (Argo CD's API server would prune unknown spec fields), malformed keys refused at
// their line, so a typo is a registry problem rather than a Secret that never decrypts.
import { expect, it } from 'vitest';
import { problemsOf, registryOf } from '../config/registry-files.ts';

const RECIPIENT = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const FP = 'FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4';

it("reads our Project's decryption and plainSecrets", () => {
  const [project] = registryOf({
    'driftless/team.yaml': `apiVersion: driftless.io/v1alpha1\nkind: Project\nmetadata: {name: team}\nspec:\n  decryption: {sops: {kmsKeys: [${ARN}], ageRecipients: [${RECIPIENT}], pgpFingerprints: [${FP}]}}\n  plainSecrets: deny\n`,
  }).projects;
  expect(project).toMatchObject({ decryption: { sops: { kmsKeys: [ARN], ageRecipients: [RECIPIENT], pgpFingerprints: [FP] } }, plainSecrets: 'deny' });
});

it("reads an AppProject's annotations as the same rules, and a project without them allows no decryption", () => {
  const { projects } = registryOf({
    'driftless/team.yaml': `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: team
  annotations:
    driftless.io/sops-kms-keys: "${ARN}"
    driftless.io/sops-age-recipients: "${RECIPIENT}, ${RECIPIENT.replace('ql3', 'ql4')}"
    driftless.io/plain-secrets: deny
spec: {sourceRepos: ['*'], destinations: [{server: '*', namespace: '*'}]}
---
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: other}
spec: {sourceRepos: ['*']}
`,
  });
  expect(projects[0]).toMatchObject({
    decryption: { sops: { kmsKeys: [ARN], ageRecipients: [RECIPIENT, RECIPIENT.replace('ql3', 'ql4')] } },
    plainSecrets: 'deny',
  });
  expect(projects[1]).not.toHaveProperty('decryption');
  expect(projects[1]).not.toHaveProperty('plainSecrets');
});

it('refuses malformed keys and rules at their line', () => {
  const problems = problemsOf({
    'driftless/team.yaml': `apiVersion: driftless.io/v1alpha1\nkind: Project\nmetadata: {name: team}\nspec:\n  decryption: {sops: {kmsKeys: [alias/sops]}}\n  plainSecrets: allow\n`,
    'driftless/argo.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: argo\n  annotations: {driftless.io/sops-pgp-fingerprints: A27381B4}\nspec: {}\n`,
  });
  expect(problems).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^driftless\/team\.yaml:5: Project\/team: spec\.decryption\.sops\.kmsKeys\[0\]: is not a KMS key ARN/),
      expect.stringMatching(/^driftless\/team\.yaml:6: Project\/team: spec\.plainSecrets: /),
      expect.stringMatching(
        /^driftless\/argo\.yaml:\d+: AppProject\/argo: metadata\.annotations\.driftless\.io\/sops-pgp-fingerprints: "A27381B4" is not a PGP fingerprint/,
      ),
    ]),
  );
  expect(problems).toHaveLength(3);
});
