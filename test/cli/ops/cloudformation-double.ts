// A CloudFormation endpoint speaking the query protocol, for DescribeStacks only: stacks by
// name with their outputs, ValidationError for the others, and the requests it received.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CloudFormationDouble {
  url: string;
  stacks: Map<string, Record<string, string>>;
  requests: Array<{ headers: IncomingHttpHeaders; form: URLSearchParams }>;
  close(): Promise<void>;
}

export async function startCloudFormation(): Promise<CloudFormationDouble> {
  const stacks = new Map<string, Record<string, string>>();
  const requests: CloudFormationDouble['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      requests.push({ headers: req.headers, form });
      const name = form.get('StackName') ?? '';
      const outputs = stacks.get(name);
      res.setHeader('content-type', 'text/xml');
      if (form.get('Action') !== 'DescribeStacks' || !String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256')) {
        res.statusCode = 403;
        return void res.end('<ErrorResponse><Error><Code>IncompleteSignature</Code><Message>unsigned</Message></Error></ErrorResponse>');
      }
      if (!outputs) {
        res.statusCode = 400;
        return void res.end(
          `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${name} does not exist</Message></Error><RequestId>r</RequestId></ErrorResponse>`,
        );
      }
      const members = Object.entries(outputs)
        .map(
          ([key, value]) =>
            `<member><OutputKey>${key}</OutputKey><OutputValue>${value.replace(/&/g, '&amp;')}</OutputValue><Description>d</Description></member>`,
        )
        .join('');
      res.end(
        `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>${name}</StackName><Parameters><member><ParameterKey>p</ParameterKey><ParameterValue>v</ParameterValue></member></Parameters><Outputs>${members}</Outputs><Tags><member><Key>k</Key><Value>v</Value></member></Tags></member></Stacks></DescribeStacksResult></DescribeStacksResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stacks,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
