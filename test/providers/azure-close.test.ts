// Closing a Key Vault provider closes its keep-alive connections, seen from the network side: a TCP tunnel in
// front of the emulator counts the client's open connections.

import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';
import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { startKeyVaultEmulator } from '../../src/emulators/key-vault/index.js';
import { createSecrets } from '../../src/index.js';
import { keyVault } from '../../src/providers/azure/index.js';

/** A TCP pass-through to `port` that knows how many client connections are open. */
async function tunnel(port: number) {
  const open = new Set<Socket>();
  let closed: (() => void) | undefined;
  const server: Server = createServer((client) => {
    open.add(client);
    const upstream = connect(port, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      if (open.delete(client) && open.size === 0) closed?.();
    };
    client.on('close', drop).on('error', drop);
    upstream.on('close', drop).on('error', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get open() {
      return open.size;
    },
    /** Resolves once no client connection is open, or after `ms` (then some still are). */
    allClosed(ms: number): Promise<void> {
      if (open.size === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        closed = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('close() closes the SDK client’s keep-alive connections', async (t) => {
  const kv = await startKeyVaultEmulator();
  t.teardown(() => kv.stop());
  const tcp = await tunnel(Number(new URL(kv.vaultUrl).port));
  t.teardown(() => tcp.stop());
  for (let i = 0; i < 8; i++) kv.store.setSecret(`s${i}`, 'v');
  const provider = keyVault({
    vaultUrl: `https://127.0.0.1:${tcp.port}`,
    credential: kv.credential,
    clientOptions: kv.clientOptions(),
  });
  const secrets = createSecrets({ providers: [provider], cache: false });
  const names = Array.from({ length: 8 }, (_, i) => `azure-kv:s${i}`);
  const read = await firstValueFrom(secrets.getMany(names));
  t.true(read.every((r) => r.ok));
  t.true(tcp.open >= 2, `reads in parallel opened several connections (${tcp.open})`);
  await secrets.close();
  // The emulator would close idle sockets after its keep-alive timeout (5 s): well before that, they are gone.
  await tcp.allClosed(1000);
  t.is(tcp.open, 0);
});

test('close() while a watch sweep is in flight completes every watch', async (t) => {
  const kv = await startKeyVaultEmulator();
  t.teardown(() => kv.stop());
  for (let i = 0; i < 3; i++) kv.store.setSecret(`w${i}`, 'v');
  const provider = keyVault({ vaultUrl: kv.vaultUrl, credential: kv.credential, clientOptions: kv.clientOptions() });
  const secrets = createSecrets({ providers: [provider], cache: false });
  const seen = Array.from({ length: 3 }, () => ({ values: 0, error: undefined as unknown, completed: false }));
  const firstValues = Promise.all(
    seen.map(
      (s, i) =>
        new Promise<void>((resolve) => {
          secrets.watch(`azure-kv:w${i}`, { interval: 50 }).subscribe({
            next: () => {
              s.values += 1;
              resolve();
            },
            error: (error: unknown) => {
              s.error = error;
            },
            complete: () => {
              s.completed = true;
            },
          });
        }),
    ),
  );
  await firstValues;
  const hung = kv.faults.schedule({ kind: 'hang' }, { route: 'GET /secrets' });
  await hung.consumed; // the next sweep is in flight, and never answered
  await secrets.close();
  t.deepEqual(seen, [
    { values: 1, error: undefined, completed: true },
    { values: 1, error: undefined, completed: true },
    { values: 1, error: undefined, completed: true },
  ]);
});
