// The SOPS keys a process holds, from its environment, as sops itself finds them:
//   age   SOPS_AGE_KEY (identities), SOPS_AGE_KEY_FILE (else sops's keys.txt under
//         $XDG_CONFIG_HOME/sops/age/, ~/.config by default), and in AWS SOPS_AGE_KEY_SECRET_ARN:
//         a Secrets Manager secret whose string holds the identities;
//   pgp   SOPS_PGP_KEY / SOPS_PGP_KEY_FILE (armored private keys), and GnuPG's keyring
//         (GNUPGHOME, else ~/.gnupg) through gpg;
//   kms   the process's AWS credentials (the worker's role), per key region.
// Read once, on the first SOPS document: a worker that never meets one asks nothing.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KeyServiceError, SecretsError } from './errors.ts';
import { ageOpener } from './keys/age.ts';
import type { SopsKeyRing } from './keys/key-ring.ts';
import { kmsOpener } from './keys/kms.ts';
import { gnupgSecretKeys, pgpOpener } from './keys/pgp.ts';

export type SopsEnvironment = Partial<
  Record<
    'SOPS_AGE_KEY' | 'SOPS_AGE_KEY_FILE' | 'SOPS_AGE_KEY_SECRET_ARN' | 'SOPS_PGP_KEY' | 'SOPS_PGP_KEY_FILE' | 'GNUPGHOME' | 'XDG_CONFIG_HOME' | 'HOME',
    string
  >
>;

export function sopsKeyRingFromEnv(env: SopsEnvironment, clients: { secretsManager?: SecretsManagerClient } = {}): SopsKeyRing {
  return {
    age: ageOpener(async () => {
      const texts: string[] = [];
      if (env.SOPS_AGE_KEY) texts.push(env.SOPS_AGE_KEY);
      if (env.SOPS_AGE_KEY_FILE) texts.push(await readKeyFile(env.SOPS_AGE_KEY_FILE, 'SOPS_AGE_KEY_FILE'));
      else {
        const fallback = join(env.XDG_CONFIG_HOME ?? join(env.HOME ?? homedir(), '.config'), 'sops', 'age', 'keys.txt');
        if (existsSync(fallback)) texts.push(await readKeyFile(fallback, "sops's age keys.txt"));
      }
      if (env.SOPS_AGE_KEY_SECRET_ARN) texts.push(await secretString(env.SOPS_AGE_KEY_SECRET_ARN, clients.secretsManager ?? new SecretsManagerClient({})));
      return texts;
    }),
    pgp: pgpOpener(async () => {
      const armored: string[] = [];
      if (env.SOPS_PGP_KEY) armored.push(env.SOPS_PGP_KEY);
      if (env.SOPS_PGP_KEY_FILE) armored.push(await readKeyFile(env.SOPS_PGP_KEY_FILE, 'SOPS_PGP_KEY_FILE'));
      const home = env.GNUPGHOME ?? join(env.HOME ?? homedir(), '.gnupg');
      if (existsSync(home)) armored.push(...(await gnupgSecretKeys(home)));
      return armored;
    }),
    kms: kmsOpener(),
  };
}

async function readKeyFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new SecretsError(`${what} names ${path}, which cannot be read`, { cause });
  }
}

async function secretString(arn: string, client: SecretsManagerClient): Promise<string> {
  try {
    const answer = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    return answer.SecretString ?? '';
  } catch (cause) {
    throw new KeyServiceError(`the age identities in ${arn} cannot be read from Secrets Manager`, { cause });
  }
}
