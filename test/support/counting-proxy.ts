// An HTTP proxy in front of an AWS endpoint that counts the calls passing through: what the interop tests use to
// see which calls a provider made against a server that keeps no statistics (moto), and which key signed them.
import { createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request that passed through the proxy. */
export interface ProxiedCall {
  /**
   * The operation: `X-Amz-Target` for the JSON protocol (`'AmazonSSM.GetParameters'`), `service.Action` for the
   * Query protocol (`'sts.AssumeRole'`, service from the SigV4 credential scope), else `'METHOD /path'`.
   */
  readonly target: string;
  /** The access key id of the SigV4 `Credential=` of the Authorization header, when signed. */
  readonly accessKeyId?: string;
  /** The `X-Amz-Security-Token` header: present when temporary (STS) credentials signed the call. */
  readonly securityToken?: string;
}

/** A running counting proxy. */
export interface CountingProxy {
  /** `http://127.0.0.1:PORT`: give this to the client under test instead of the real endpoint. */
  readonly endpoint: string;
  /** Calls of one operation (`'AmazonSSM.GetParameters'`, `'secretsmanager.ListSecrets'`) since the last reset. */
  count(target: string): number;
  /** Every call since the last reset. */
  readonly total: number;
  /** The targets called since the last reset, in order. */
  readonly calls: readonly string[];
  /** The calls since the last reset, in order, with the credentials that signed them. */
  readonly requests: readonly ProxiedCall[];
  /** Forgets the counts. */
  reset(): void;
  /** Stops the proxy. */
  stop(): Promise<void>;
}

/** `Credential=AKID/20260101/us-east-1/ssm/aws4_request` → its access key and service. */
function credentialScope(incoming: IncomingMessage): { accessKeyId?: string | undefined; service?: string } {
  const match = /Credential=([^/,\s]+)\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(incoming.headers.authorization ?? ''));
  return match ? { accessKeyId: match[1], service: match[2] ?? 'unknown' } : {};
}

function describeCall(incoming: IncomingMessage, body: Buffer): ProxiedCall {
  const { accessKeyId, service } = credentialScope(incoming);
  const token = incoming.headers['x-amz-security-token'];
  let target = incoming.headers['x-amz-target'] as string | undefined;
  if (
    target === undefined &&
    String(incoming.headers['content-type']).startsWith('application/x-www-form-urlencoded')
  ) {
    const action = new URLSearchParams(body.toString('utf8')).get('Action');
    if (action) target = `${service ?? 'unknown'}.${action}`;
  }
  return {
    target: target ?? `${incoming.method} ${incoming.url}`,
    ...(accessKeyId === undefined ? {} : { accessKeyId }),
    ...(typeof token === 'string' ? { securityToken: token } : {}),
  };
}

/**
 * Starts a proxy on a free port of 127.0.0.1 that forwards every request to `target` (`http://host:port`). Request
 * bodies are read whole before forwarding (the interop tests send small ones), so Query-protocol calls get a name.
 */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  let requests: ProxiedCall[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push(describeCall(incoming, body));
      const forwarded = request(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', () => outgoing.destroy());
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    count: (name) => requests.filter((call) => call.target === name).length,
    get total() {
      return requests.length;
    },
    get calls() {
      return requests.map((call) => call.target);
    },
    get requests() {
      return [...requests];
    },
    reset() {
      requests = [];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
