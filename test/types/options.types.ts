// Compile-time checks (run by `npm run typecheck`): wrong options must fail to compile. Each `@ts-expect-error`
// fails the typecheck if the line below it stops being an error. Nothing here runs.
import { createSecrets, memoryProvider, type Secrets } from '../../src/index.js';
import { parameterStore, secretsManager } from '../../src/providers/aws/index.js';
import { keyVault } from '../../src/providers/azure/index.js';
import { secretService } from '../../src/providers/secret-service/index.js';

declare const secrets: Secrets;
declare const ssmClient: import('@aws-sdk/client-ssm').SSMClient;
declare const kvClient: import('@azure/keyvault-secrets').SecretClient;

export function clientOptions(): void {
  // @ts-expect-error p-retry's name, not ours
  createSecrets({ providers: [memoryProvider()], retry: { minTimeout: 1 } });
  // @ts-expect-error misspelt cache option
  createSecrets({ providers: [memoryProvider()], cache: { tll: '5m' } });
  // @ts-expect-error cache is an object or false
  createSecrets({ providers: [memoryProvider()], cache: 'yes' });
  // @ts-expect-error a duration is a number or a string
  createSecrets({ providers: [memoryProvider()], retry: { deadline: { seconds: 5 } } });
  createSecrets({ providers: [memoryProvider()], retry: { retries: 1, deadline: '5s' }, cache: false });
}

export function operationOptions(): void {
  // @ts-expect-error misspelt get option
  secrets.get('memory:a', { fersh: true });
  // @ts-expect-error unknown transform
  secrets.get('memory:a', { transform: 'bogus' });
  // @ts-expect-error the signal is an AbortSignal
  secrets.get('memory:a', { signal: true });
  secrets.get('memory:a', { signal: AbortSignal.timeout(1000), retry: { retries: 0 } });
  // @ts-expect-error tags are a string map
  secrets.set('memory:a', 'v', { tags: { n: 1 } });
  // @ts-expect-error unknown set option
  secrets.set('memory:a', 'v', { contenType: 'text/plain' });
  // provider-specific set options type-check once their provider is imported
  secrets.set('aws-ssm:/a', 'v', { type: 'String', tier: 'Advanced' });
  // @ts-expect-error not a Parameter Store type
  secrets.set('aws-ssm:/a', 'v', { type: 'Bogus' });
  secrets.set('azure-kv:a', 'v', { expiresOn: new Date('2050-01-01') });
  // @ts-expect-error a Date, not a string
  secrets.set('azure-kv:a', 'v', { expiresOn: '2050-01-01' });
  // @ts-expect-error the trigger is an Observable
  secrets.watch('memory:a', { trigger: 'x' });
  // @ts-expect-error unknown list option
  secrets.list('memory:', { recursiv: true });
}

export function providerOptions(): void {
  // @ts-expect-error an injected client excludes the connection settings
  parameterStore({ client: ssmClient, region: 'eu-west-1' });
  parameterStore({ client: ssmClient });
  // @ts-expect-error unknown probe
  secretsManager({ probe: 'bogus' });
  // @ts-expect-error an injected client excludes vaultUrl
  keyVault({ client: kvClient, vaultUrl: 'https://v.vault.azure.net' });
  // @ts-expect-error Key Vault needs a vaultUrl or a client
  keyVault({ scheme: 'azure-kv' });
  // @ts-expect-error the watch interval is pollInterval everywhere
  keyVault({ vaultUrl: 'https://v.vault.azure.net', watchInterval: '1m' });
  // @ts-expect-error misspelt Secret Service option
  secretService({ alowPlain: true });
  // @ts-expect-error the memory latency is a duration or a function
  memoryProvider({ latency: true });
}

export function providerOperations(): void {
  const kv = secrets.provider<import('../../src/providers/azure/index.js').KeyVaultProvider>('azure-kv');
  kv.purge('azure-kv:a');
  // @ts-expect-error the undo of a delete is `recover` everywhere
  kv.beginRecover('azure-kv:a');
  // @ts-expect-error a blob is restored by restoreBackup
  kv.restore(new Uint8Array());
  const ssm = secrets.provider<import('../../src/providers/aws/index.js').ParameterStoreProvider>('aws-ssm');
  ssm.versions('aws-ssm:/a');
  // @ts-expect-error history is versions
  ssm.history('aws-ssm:/a');
}
