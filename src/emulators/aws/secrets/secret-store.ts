import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context.js';
import type { Tag } from '../input.js';
import { arnSuffix } from '../random.js';
import { type SecretVersion, SecretVersions } from './secret-versions.js';
import {
  AWSCURRENT,
  AWSPENDING,
  markedForDeletion,
  sameValue,
  secretNotFound,
  secretValue,
  smError,
  validateSecretName,
  validateToken,
} from './validation.js';

/** A secret as stored: metadata, versions, and deletion state. */
export interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  readonly seq: number;
  readonly createdAt: number;
  readonly versions: SecretVersions;
  tags: Tag[];
  lastChangedAt: number;
  description?: string;
  kmsKeyId?: string;
  lastAccessedAt?: number;
  lastRotatedAt?: number;
  /** Set while the secret is scheduled for deletion. */
  deletedAt?: number;
  /** When a scheduled deletion becomes final. */
  deletionDate?: number;
}

/** CreateSecret's input, as the API takes it (`SecretBinary` as bytes). */
export interface CreateSecretInput {
  Name: string;
  ClientRequestToken?: string;
  SecretString?: string;
  SecretBinary?: Buffer;
  Description?: string;
  KmsKeyId?: string;
  Tags?: Tag[];
}

/** PutSecretValue's input, as the API takes it. */
export interface PutSecretValueInput {
  SecretId: string;
  ClientRequestToken?: string;
  SecretString?: string;
  SecretBinary?: Buffer;
  VersionStages?: string[];
}

const DAY_MS = 86_400_000;

/**
 * Secrets Manager's data. The HTTP handlers call it, and tests may call it directly (through
 * `emulator.store.secrets`) to change secrets behind the client's back (another process rotating, an operator
 * deleting), without counting in `stats` or passing through fault rules. Methods throw the API's errors.
 */
export class SecretStore {
  readonly #secrets = new Map<string, StoredSecret>();
  readonly #context: EmulatorContext;
  #seq = 0;

  /** @internal */
  constructor(context: EmulatorContext) {
    this.#context = context;
  }

  /** Creates a secret (with a first version when a value is given); a retry with the same token is idempotent. */
  createSecret(input: CreateSecretInput): { ARN: string; Name: string; VersionId?: string } {
    validateSecretName(input.Name);
    const value = secretValue(input.SecretString, input.SecretBinary);
    const token = input.ClientRequestToken ?? randomUUID();
    validateToken(token);
    const existing = this.#live(input.Name);
    if (existing?.deletedAt !== undefined) {
      throw smError(
        'InvalidRequestException',
        "You can't create this secret because a secret with this name is already scheduled for deletion.",
      );
    }
    if (existing) {
      const retried = existing.versions.get(token);
      if (retried && sameValue(retried.value, value))
        return { ARN: existing.arn, Name: existing.name, VersionId: token };
      throw smError('ResourceExistsException', `The operation failed because the secret ${input.Name} already exists.`);
    }
    const now = this.#context.now();
    const { region, accountId, random } = this.#context;
    const secret: StoredSecret = {
      name: input.Name,
      arn: `arn:aws:secretsmanager:${region}:${accountId}:secret:${input.Name}-${arnSuffix(random)}`,
      seq: this.#nextSeq(),
      createdAt: now,
      lastChangedAt: now,
      versions: new SecretVersions(),
      tags: [...(input.Tags ?? [])],
      ...(input.Description !== undefined && { description: input.Description }),
      ...(input.KmsKeyId !== undefined && { kmsKeyId: input.KmsKeyId }),
    };
    this.#secrets.set(secret.name, secret);
    if (!value) return { ARN: secret.arn, Name: secret.name };
    secret.versions.add({ id: token, seq: this.#nextSeq(), createdAt: now, value }, [AWSCURRENT]);
    return { ARN: secret.arn, Name: secret.name, VersionId: token };
  }

  /**
   * The secret a name, full ARN or partial ARN (without the random suffix) designates.
   * Throws `ResourceNotFoundException`, or `InvalidRequestException` for a secret scheduled for deletion
   * unless `allowDeleted`.
   */
  resolve(secretId: string, allowDeleted = false): StoredSecret {
    const secret = this.find(secretId);
    if (!secret) throw secretNotFound();
    if (secret.deletedAt !== undefined && !allowDeleted) throw markedForDeletion();
    return secret;
  }

  /** Like `resolve`, but `undefined` when nothing matches (deleted secrets included). */
  find(secretId: string): StoredSecret | undefined {
    if (!secretId.startsWith('arn:')) return this.#live(secretId);
    for (const secret of this.#secrets.values()) {
      if (secret.arn === secretId || secret.arn.slice(0, -7) === secretId) return this.#live(secret.name);
    }
    return undefined;
  }

  /** Adds a version (AWSCURRENT by default); the same token with the same value is an idempotent retry. */
  putSecretValue(input: PutSecretValueInput): {
    ARN: string;
    Name: string;
    VersionId: string;
    VersionStages: string[];
  } {
    const secret = this.resolve(input.SecretId);
    const value = secretValue(input.SecretString, input.SecretBinary);
    if (!value) throw smError('InvalidParameterException', 'You must provide either SecretString or SecretBinary.');
    const token = input.ClientRequestToken ?? randomUUID();
    validateToken(token);
    const existing = secret.versions.get(token);
    if (existing) {
      if (!sameValue(existing.value, value)) {
        throw smError(
          'ResourceExistsException',
          "You can't modify an existing version, you can only create a new version.",
        );
      }
      return { ARN: secret.arn, Name: secret.name, VersionId: token, VersionStages: [...existing.stages] };
    }
    const stages = input.VersionStages ?? [AWSCURRENT];
    const now = this.#context.now();
    const version = secret.versions.add({ id: token, seq: this.#nextSeq(), createdAt: now, value }, stages);
    secret.lastChangedAt = now;
    return { ARN: secret.arn, Name: secret.name, VersionId: token, VersionStages: [...version.stages] };
  }

  /** The version GetSecretValue reads (AWSCURRENT by default); records the access date. */
  getSecretValue(
    secretId: string,
    versionId?: string,
    versionStage?: string,
  ): { secret: StoredSecret; version: SecretVersion } {
    const secret = this.resolve(secretId);
    const version = this.versionOf(secret, versionId, versionStage);
    const today = Math.floor(this.#context.now() / DAY_MS) * DAY_MS;
    secret.lastAccessedAt = today;
    version.lastAccessedAt = today;
    return { secret, version };
  }

  /** @internal Finds a version by id and/or stage, with GetSecretValue's errors. */
  versionOf(secret: StoredSecret, versionId?: string, versionStage?: string): SecretVersion {
    if (versionId !== undefined) {
      const version = secret.versions.get(versionId);
      if (!version) {
        throw smError(
          'ResourceNotFoundException',
          `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`,
        );
      }
      if (versionStage !== undefined && !version.stages.includes(versionStage)) {
        throw smError(
          'InvalidRequestException',
          'You provided a VersionStage that is not associated to the provided VersionId.',
        );
      }
      return version;
    }
    const stage = versionStage ?? AWSCURRENT;
    const version = secret.versions.withStage(stage);
    if (!version) {
      throw smError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
      );
    }
    return version;
  }

  /** Schedules deletion after a recovery window (7–30 days, default 30), or deletes at once when forced. */
  deleteSecret(
    secretId: string,
    recoveryWindowInDays?: number,
    force = false,
  ): { ARN: string; Name: string; DeletionDate: number } {
    if (force && recoveryWindowInDays !== undefined) {
      throw smError(
        'InvalidParameterException',
        "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
      );
    }
    if (recoveryWindowInDays !== undefined && (recoveryWindowInDays < 7 || recoveryWindowInDays > 30)) {
      throw smError(
        'InvalidParameterException',
        'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
      );
    }
    const secret = this.resolve(secretId, true);
    if (secret.deletedAt !== undefined && !force) throw markedForDeletion();
    const now = this.#context.now();
    if (force) {
      this.#secrets.delete(secret.name);
      return { ARN: secret.arn, Name: secret.name, DeletionDate: now };
    }
    secret.deletedAt = now;
    secret.deletionDate = now + (recoveryWindowInDays ?? 30) * DAY_MS;
    return { ARN: secret.arn, Name: secret.name, DeletionDate: secret.deletionDate };
  }

  /** Changes a secret's description or KMS key (UpdateSecret without a value). */
  updateSecretMetadata(secretId: string, changes: { Description?: string; KmsKeyId?: string }): StoredSecret {
    const secret = this.resolve(secretId);
    if (changes.Description !== undefined) secret.description = changes.Description;
    if (changes.KmsKeyId !== undefined) secret.kmsKeyId = changes.KmsKeyId;
    if (changes.Description !== undefined || changes.KmsKeyId !== undefined) secret.lastChangedAt = this.#context.now();
    return secret;
  }

  /** Cancels a scheduled deletion. */
  restoreSecret(secretId: string): { ARN: string; Name: string } {
    const secret = this.resolve(secretId, true);
    delete secret.deletedAt;
    delete secret.deletionDate;
    return { ARN: secret.arn, Name: secret.name };
  }

  /**
   * What a rotation does, in one step: a new version labelled AWSPENDING, then promoted to AWSCURRENT
   * (the old current becomes AWSPREVIOUS). For tests simulating another process rotating a secret.
   */
  rotateSecret(secretId: string, newValue: string | Uint8Array): { VersionId: string } {
    const secret = this.resolve(secretId);
    const value =
      typeof newValue === 'string' ? secretValue(newValue, undefined) : secretValue(undefined, Buffer.from(newValue));
    if (!value) throw smError('InvalidParameterException', 'You must provide either SecretString or SecretBinary.');
    const now = this.#context.now();
    const pending = secret.versions.add({ id: randomUUID(), seq: this.#nextSeq(), createdAt: now, value }, [
      AWSPENDING,
    ]);
    secret.versions.attach(AWSCURRENT, pending);
    pending.stages = pending.stages.filter((stage) => stage !== AWSPENDING);
    secret.lastChangedAt = now;
    secret.lastRotatedAt = now;
    return { VersionId: pending.id };
  }

  /** All secrets (scheduled deletions included), in creation order. */
  all(): StoredSecret[] {
    return [...this.#secrets.keys()].map((name) => this.#live(name)).filter((s): s is StoredSecret => s !== undefined);
  }

  /** Forgets every secret. */
  clear(): void {
    this.#secrets.clear();
  }

  #nextSeq(): number {
    this.#seq += 1;
    return this.#seq;
  }

  // A secret whose recovery window has passed is gone for good.
  #live(name: string): StoredSecret | undefined {
    const secret = this.#secrets.get(name);
    if (secret?.deletionDate !== undefined && secret.deletionDate <= this.#context.now()) {
      this.#secrets.delete(name);
      return undefined;
    }
    return secret;
  }
}
