// A tiny STS (AssumeRole, AWS Query protocol) for assume-role tests.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running STS stub. */
export interface StsStub {
  readonly endpoint: string;
  /** AssumeRole requests seen: their form parameters. */
  readonly calls: URLSearchParams[];
  stop(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Starts an STS stub whose AssumeRole answers credentials `ASIASTUB<n>` (n = 1, 2, …). */
export async function startStsStub(): Promise<StsStub> {
  const calls: URLSearchParams[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      calls.push(form);
      const n = calls.length;
      const expiration = new Date(Date.now() + 3600_000).toISOString();
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><Arn>${form.get('RoleArn')}/${form.get('RoleSessionName')}</Arn><AssumedRoleId>AROASTUB:${form.get('RoleSessionName')}</AssumedRoleId></AssumedRoleUser>
    <Credentials><AccessKeyId>ASIASTUB${n}</AccessKeyId><SecretAccessKey>stub-secret-${n}</SecretAccessKey><SessionToken>stub-token-${n}</SessionToken><Expiration>${expiration}</Expiration></Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>stub-${n}</RequestId></ResponseMetadata>
</AssumeRoleResponse>`);
    });
  });
  const endpoint = await listen(server);
  return {
    endpoint,
    calls,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
