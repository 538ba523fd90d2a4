import { InvalidSecretRefError, type SecretRef } from '../../../provider-kit/index.js';

const NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN = /^[\x21-\x7e]{32,64}$/;

/** What GetSecretValue is asked for: a VersionId, a staging label, or (neither) AWSCURRENT. */
export interface VersionSelector {
  readonly VersionId?: string;
  readonly VersionStage?: string;
}

function invalid(ref: SecretRef, why: string): InvalidSecretRefError {
  return new InvalidSecretRefError(`'${ref.text}' is not a Secrets Manager ref: ${why}`, {
    ref: ref.text,
    provider: 'aws-sm',
  });
}

/** Whether the ref names the secret by ARN (full or partial) rather than by name. */
export function isArnRef(ref: SecretRef): boolean {
  return ref.name.startsWith('arn:');
}

/**
 * The version part of a ref: a UUID (what AWS generates, and what rxsecrets' `set` uses) or `id:<token>` is a
 * VersionId; `stage:<label>` or anything else is a staging label (`@AWSPREVIOUS`, `@AWSPENDING`, `@blue`).
 */
export function versionSelector(ref: SecretRef): VersionSelector {
  const version = ref.version;
  if (version === undefined) return {};
  if (UUID.test(version)) return { VersionId: version };
  if (version.startsWith('id:')) return { VersionId: version.slice(3) };
  if (version.startsWith('stage:')) return { VersionStage: version.slice(6) };
  return { VersionStage: version };
}

/**
 * Checks an `aws-sm:` ref: a secret name (1–512 of `A-Z a-z 0-9 / _ + = . @ -`; write `@` as `%40` in a ref) or a
 * secret ARN, and a valid version selector.
 */
export function validateSmRef(ref: SecretRef): void {
  if (!NAME.test(ref.name) && !ARN.test(ref.name)) {
    throw invalid(ref, 'a name has 1 to 512 letters, digits or / _ + = . @ - (or is a secret ARN)');
  }
  const selector = versionSelector(ref);
  if (selector.VersionId !== undefined && !TOKEN.test(selector.VersionId)) {
    throw invalid(ref, 'a VersionId has 32 to 64 printable characters');
  }
  if (selector.VersionStage !== undefined && (selector.VersionStage.length < 1 || selector.VersionStage.length > 256)) {
    throw invalid(ref, 'a staging label has 1 to 256 characters');
  }
}

/** Whether `name` (a name or an ARN from AWS) is what the ref designates. */
export function designates(ref: SecretRef, name: string | undefined, arn: string | undefined): boolean {
  if (ref.name === name || ref.name === arn) return true;
  // A partial ARN (without AWS's random 6-character suffix) designates the full one.
  return arn !== undefined && isArnRef(ref) && arn.length === ref.name.length + 7 && arn.startsWith(`${ref.name}-`);
}
