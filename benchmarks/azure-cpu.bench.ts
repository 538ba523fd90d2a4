/**
 * Where a Key Vault read's CPU goes on the client: the emulator runs in a process of its own (as a vault runs on
 * another machine), so this process's CPU time is the client's alone. Each round reads the same 10 secrets at once
 * through each layer, in a random order per round (see {@link interleaved}): the raw SDK (`Promise.all` of
 * `getSecret`), the provider (`provider.get`), the facade's `get` and its `getMany` (both with `cache: false`).
 * The in-process rows of azure-reads.bench.ts are CPU-bound on loopback (client and emulator share one thread),
 * so their ratios are these CPU costs plus the emulator's.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { SecretClient } from '@azure/keyvault-secrets';
import { firstValueFrom } from 'rxjs';
import { staticTokenCredential } from '../src/emulators/key-vault/index.js';
import { createSecrets, parseSecretRef } from '../src/index.js';
import { keyVault } from '../src/providers/azure/index.js';
import { type BenchRow, fmt, interleaved } from './report.js';

const READS = 10;
const ROUNDS = 600;

/** This process's CPU time (user + system) in milliseconds. */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

async function startEmulatorProcess(): Promise<{ child: ChildProcess; vaultUrl: string; ca: string }> {
  const script = new URL('./key-vault-emulator-process.ts', import.meta.url).pathname;
  const child = fork(script, [String(READS)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [ready] = (await once(child, 'message')) as [{ vaultUrl: string; ca: string }];
  return { child, ...ready };
}

/** The CPU per read of each layer, against the raw SDK's. */
export async function keyVaultCpuPerRead(): Promise<BenchRow> {
  const { child, vaultUrl, ca } = await startEmulatorProcess();
  const clientOptions = {
    tlsOptions: { ca },
    disableChallengeResourceVerification: true,
    retryOptions: { retryDelayInMs: 10, maxRetryDelayInMs: 100 },
  };
  const credential = staticTokenCredential();
  const client = new SecretClient(vaultUrl, credential, clientOptions);
  const provider = keyVault({ vaultUrl, credential, clientOptions });
  const secrets = createSecrets({ providers: [provider], cache: false });
  const names = Array.from({ length: READS }, (_, i) => `item-${String(i).padStart(4, '0')}`);
  const refs = names.map((name) => `azure-kv:${name}`);
  const parsed = refs.map((ref) => parseSecretRef(ref));
  try {
    const times = await interleaved(
      {
        raw: () => Promise.all(names.map((name) => client.getSecret(name))),
        provider: () => Promise.all(parsed.map((ref) => provider.get(ref, { signal: new AbortController().signal }))),
        get: () => Promise.all(refs.map((ref) => firstValueFrom(secrets.get(ref)))),
        getMany: () => firstValueFrom(secrets.getMany(refs)),
      },
      ROUNDS,
      20,
      cpuMs,
    );
    // means, not medians: the kernel's CPU accounting is coarse for one round
    const perRead = (side: keyof typeof times) => (mean(times[side]) * 1000) / READS;
    const raw = perRead('raw');
    const layer = (side: keyof typeof times, label: string) =>
      `${label} ${fmt(perRead(side))} µs (+${fmt(perRead(side) - raw)} µs, +${fmt(((perRead(side) - raw) / raw) * 100)} %)`;
    return {
      suite: 'azure',
      case: `client CPU per read, emulator in its own process: ${READS} secrets read at once, mean of ${ROUNDS} rounds`,
      rxsecrets: [layer('getMany', 'getMany'), layer('get', 'secrets.get'), layer('provider', 'provider.get')].join(
        '; ',
      ),
      alternative: `raw getSecret ${fmt(raw)} µs`,
      ratio: `${fmt(raw / perRead('getMany'), 2)}× (getMany), ${fmt(raw / perRead('get'), 2)}× (get) the raw SDK's reads per CPU second`,
      note: 'CPU time of this process only (process.cpuUsage); what the in-process rows above pay on top of the emulator',
    };
  } finally {
    await secrets.close();
    child.send('stop');
    await once(child, 'exit');
  }
}
