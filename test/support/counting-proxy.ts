// An HTTP proxy in front of an AWS endpoint that counts the calls passing through by `X-Amz-Target`: what the
// interop tests use to see which calls a provider made against a server that keeps no statistics (moto).
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  /** Forgets the counts. */
  reset(): void;
  /** Stops the proxy. */
  stop(): Promise<void>;
}

/** Starts a proxy on a free port of 127.0.0.1 that forwards every request to `target` (`http://host:port`). */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  let calls: string[] = [];
  const server = createServer((incoming, outgoing) => {
    calls.push(String(incoming.headers['x-amz-target'] ?? `${incoming.method} ${incoming.url}`));
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
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    count: (name) => calls.filter((call) => call === name).length,
    get total() {
      return calls.length;
    },
    get calls() {
      return [...calls];
    },
    reset() {
      calls = [];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
