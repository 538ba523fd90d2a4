// Shared setup for the AWS provider tests: an emulator per test file and a facade over both AWS providers.
import { filter, firstValueFrom, type Observable, take, toArray } from 'rxjs';
import { type AwsEmulator, startAwsEmulator } from '../../src/emulators/aws/index.js';
import { createSecrets, type Secrets, type SecretsEvent, type SecretsOptions } from '../../src/index.js';
import {
  type ParameterStoreSettings,
  parameterStore,
  type SecretsManagerSettings,
  secretsManager,
} from '../../src/providers/aws/index.js';

/** Options of {@link awsSecrets}. */
export interface AwsSecretsOptions extends Omit<SecretsOptions, 'providers'> {
  readonly ssm?: ParameterStoreSettings;
  readonly sm?: SecretsManagerSettings;
}

/** A facade over parameterStore and secretsManager pointed at the emulator; fast retries, no jitter. */
export function awsSecrets(emulator: AwsEmulator, options: AwsSecretsOptions = {}): Secrets {
  const { endpoint, region, credentials } = emulator.clientConfig();
  const { ssm, sm, ...rest } = options;
  return createSecrets({
    retry: { minDelay: 5, maxDelay: 20, jitter: false, ...rest.retry },
    ...rest,
    providers: [
      parameterStore({ endpoint, region, credentials, ...ssm }),
      secretsManager({ endpoint, region, credentials, ...sm }),
    ],
  });
}

/** Starts an emulator for one test file (`test.before`). */
export function startEmulator(): Promise<AwsEmulator> {
  return startAwsEmulator();
}

/** Resolves with the next `count` events of one type (subscribe before triggering them). */
export function nextEvents<T extends SecretsEvent['type']>(
  events: Observable<SecretsEvent>,
  type: T,
  count = 1,
): Promise<Array<Extract<SecretsEvent, { type: T }>>> {
  return firstValueFrom(
    events.pipe(
      filter((event): event is Extract<SecretsEvent, { type: T }> => event.type === type),
      take(count),
      toArray(),
    ),
  );
}

export { rejection } from './rejection.js';

/** Every message along an error's cause chain, for "no value in messages" checks. */
export function messages(error: unknown): string {
  const out: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    out.push(current.message, current.stack ?? '');
    current = current.cause;
  }
  return out.join('\n');
}
