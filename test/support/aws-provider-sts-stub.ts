// A tiny STS (AssumeRole, AWS Query protocol) for assume-role tests, and a recording proxy in front of the AWS
// emulator that notes which access key signed each request.
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
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

/** A proxy that forwards to `target` and records the access key of each request's SigV4 `Credential=`. */
export interface SigningRecorder {
  readonly endpoint: string;
  readonly accessKeys: string[];
  stop(): Promise<void>;
}

/** Starts a {@link SigningRecorder} in front of `target` (the emulator's endpoint). */
export async function startSigningRecorder(target: string): Promise<SigningRecorder> {
  const accessKeys: string[] = [];
  const to = new URL(target);
  const server = createServer((req, res) => {
    const key = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
    if (key) accessKeys.push(key);
    const upstream = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  const endpoint = await listen(server);
  return {
    endpoint,
    accessKeys,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
