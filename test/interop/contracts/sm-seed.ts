// Seeding helpers of the Secrets Manager interop contract: the real @aws-sdk/client-secrets-manager, straight to
// the backend.
import {
  CreateSecretCommand,
  type CreateSecretCommandOutput,
  DeleteSecretCommand,
  PutSecretValueCommand,
} from '@aws-sdk/client-secrets-manager';
import { firstValueFrom } from 'rxjs';
import type { Secret, Secrets } from '../../../src/index.js';
import type { AwsInteropWorld } from '../../support/aws-interop-fixture.js';

/** The seeding and reading helpers one Secrets Manager contract file uses. */
export interface SmSeed {
  /** CreateSecret with a string or binary value (`extra`: more CreateSecret input, e.g. `Tags`). */
  create(
    name: string,
    value?: string | Uint8Array,
    extra?: Record<string, unknown>,
  ): Promise<CreateSecretCommandOutput>;
  /** A new AWSCURRENT version (what a rotation ends with): AWSPREVIOUS moves to the old one. Its VersionId. */
  rotate(secretId: string, value: string): Promise<string>;
  /** Schedules the deletion of a secret (7-day recovery window). */
  schedule(secretId: string): Promise<unknown>;
  /** A facade's `get` (the world's by default), as a promise. */
  get(ref: string, secrets?: Secrets): Promise<Secret>;
}

/** The helpers of {@link SmSeed} for one world (usable once its `test.before` ran). */
export function smSeed(world: AwsInteropWorld): SmSeed {
  return {
    create: (Name, value = 'v1', extra = {}) =>
      world.sm.send(
        new CreateSecretCommand({
          Name,
          ...(typeof value === 'string' ? { SecretString: value } : { SecretBinary: value }),
          ...extra,
        }),
      ),
    rotate: async (SecretId, SecretString) =>
      (await world.sm.send(new PutSecretValueCommand({ SecretId, SecretString }))).VersionId as string,
    schedule: (SecretId) => world.sm.send(new DeleteSecretCommand({ SecretId, RecoveryWindowInDays: 7 })),
    get: (ref, secrets = world.secrets) => firstValueFrom(secrets.get(ref)),
  };
}
