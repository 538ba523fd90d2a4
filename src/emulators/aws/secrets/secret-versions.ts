import { AWSCURRENT, AWSPREVIOUS, type SecretValue, smError } from './validation.js';

/** One version of a secret. */
export interface SecretVersion {
  /** The VersionId (the ClientRequestToken that created it). */
  readonly id: string;
  /** Creation order within the emulator, for stable listings. */
  readonly seq: number;
  /** Epoch milliseconds of creation. */
  readonly createdAt: number;
  /** The value. */
  readonly value: SecretValue;
  /** Staging labels attached to this version; none means deprecated. */
  stages: string[];
  /** Epoch milliseconds (day precision) of the last read of this version. */
  lastAccessedAt?: number;
}

/** The versions of one secret and its staging labels. */
export class SecretVersions {
  readonly #versions = new Map<string, SecretVersion>();

  /** Versions in creation order. */
  all(): SecretVersion[] {
    return [...this.#versions.values()];
  }

  /** The version with this id. */
  get(id: string): SecretVersion | undefined {
    return this.#versions.get(id);
  }

  /** The version holding a staging label. */
  withStage(stage: string): SecretVersion | undefined {
    return this.all().find((version) => version.stages.includes(stage));
  }

  /** `VersionId → stages` for versions that have stages (the deprecated ones are left out, as AWS does). */
  stagesMap(): Record<string, string[]> {
    const map: Record<string, string[]> = {};
    for (const version of this.#versions.values()) if (version.stages.length) map[version.id] = [...version.stages];
    return map;
  }

  /** Adds a version and attaches `stages` to it (moving AWSCURRENT demotes the old current to AWSPREVIOUS). */
  add(version: Omit<SecretVersion, 'stages'>, stages: readonly string[]): SecretVersion {
    const added: SecretVersion = { ...version, stages: [] };
    this.#versions.set(added.id, added);
    for (const stage of stages) this.attach(stage, added);
    this.#dropOldDeprecated();
    return added;
  }

  /** Attaches a staging label to `target`, detaching it from whichever version held it. */
  attach(stage: string, target: SecretVersion): void {
    const holder = this.withStage(stage);
    if (holder === target) return;
    if (holder) holder.stages = holder.stages.filter((s) => s !== stage);
    target.stages.push(stage);
    if (stage === AWSCURRENT && holder) {
      const previous = this.withStage(AWSPREVIOUS);
      if (previous) previous.stages = previous.stages.filter((s) => s !== AWSPREVIOUS);
      holder.stages.push(AWSPREVIOUS);
    }
  }

  /** UpdateSecretVersionStage's rules: a label held elsewhere must be named in `removeFrom`. */
  moveStage(stage: string, removeFromId: string | undefined, moveToId: string | undefined): void {
    const holder = this.withStage(stage);
    const moveTo = moveToId === undefined ? undefined : this.#versions.get(moveToId);
    if (moveToId !== undefined && !moveTo) {
      throw smError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret version: ${moveToId}.`,
      );
    }
    if (removeFromId !== undefined && holder?.id !== removeFromId) {
      throw smError(
        'InvalidParameterException',
        `The staging label ${stage} is not attached to version ${removeFromId}, so you can't remove it.`,
      );
    }
    if (holder && moveTo && holder !== moveTo && removeFromId === undefined) {
      throw smError(
        'InvalidParameterException',
        `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ` +
          `${holder.id}, so you must explicitly reference that version in RemoveFromVersionId.`,
      );
    }
    if (moveTo) {
      this.attach(stage, moveTo);
      return;
    }
    if (stage === AWSCURRENT) {
      throw smError(
        'InvalidParameterException',
        `You can't remove the staging label ${AWSCURRENT} without moving it to another version.`,
      );
    }
    if (holder) holder.stages = holder.stages.filter((s) => s !== stage);
  }

  // AWS keeps about 100 versions, removing the oldest deprecated ones beyond that.
  #dropOldDeprecated(): void {
    for (const version of this.#versions.values()) {
      if (this.#versions.size <= 100) return;
      if (version.stages.length === 0) this.#versions.delete(version.id);
    }
  }
}
