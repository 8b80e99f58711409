// Secrets Manager's GetSecretValue at the protocol level (JSON 1.1, `X-Amz-Target:
// secretsmanager.GetSecretValue`), for the real SDK client: Secrets Manager is the one AWS
// service here with no local emulator. Counts reads, so a test can see the cache at work.
import { createServer } from 'node:http';
import { closeServer, listenLocally, readBody } from '../../support/http.ts';

export interface SecretsManagerDouble {
  endpoint: string;
  reads: number;
  set(secretId: string, value: string): void;
  close(): Promise<void>;
}

export async function startSecretsManagerDouble(): Promise<SecretsManagerDouble> {
  const secrets = new Map<string, string>();
  const double = { reads: 0 } as SecretsManagerDouble;
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const target = req.headers['x-amz-target'];
      const { SecretId } = JSON.parse(body || '{}') as { SecretId?: string };
      const json = (status: number, answer: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(answer));
      };
      if (target !== 'secretsmanager.GetSecretValue') return json(400, { __type: 'InvalidAction', message: `unsupported ${String(target)}` });
      const value = SecretId === undefined ? undefined : secrets.get(SecretId);
      if (value === undefined) return json(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
      double.reads++;
      json(200, { ARN: SecretId, Name: SecretId, SecretString: value, VersionId: 'v1', VersionStages: ['AWSCURRENT'], CreatedDate: 0 });
    });
  });
  const port = await listenLocally(server);
  return Object.assign(double, {
    endpoint: `http://127.0.0.1:${port}`,
    set: (secretId: string, value: string) => void secrets.set(secretId, value),
    close: () => closeServer(server),
  });
}
