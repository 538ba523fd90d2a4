import { InvalidSecretRefError } from './errors/index.js';
import type { SecretProvider } from './provider.js';
import { parseSecretRef, quoteRef, type SecretRef } from './ref.js';

/** Which optional parts of a ref an operation can use. */
export interface RefParts {
  /** Whether `@version` may be given (e.g. a property update of one version). Default false. */
  readonly version?: boolean;
  /** Whether `#key.path` may be given. Default false. */
  readonly keyPath?: boolean;
}

/**
 * Parses and checks the ref a provider's own operation was given, as the facade does for the common ones: the
 * provider's scheme, the provider's `validateRef`, and only the parts `operation` can use. Throws an
 * InvalidSecretRefError naming what is wrong.
 */
export function refForProvider(
  provider: Pick<SecretProvider, 'scheme' | 'validateRef'>,
  input: string | SecretRef,
  operation: string,
  parts: RefParts = {},
): SecretRef {
  const ref = parseSecretRef(input);
  if (ref.scheme !== provider.scheme) {
    throw new InvalidSecretRefError(
      `${operation}: ${quoteRef(ref.text)} is a '${ref.scheme}:' ref; this provider serves '${provider.scheme}:'`,
      { ref: ref.text, provider: provider.scheme },
    );
  }
  provider.validateRef(ref);
  if (ref.version !== undefined && parts.version !== true) {
    throw new InvalidSecretRefError(`${operation} takes no @version: ${quoteRef(ref.text)}`, {
      ref: ref.text,
      provider: provider.scheme,
    });
  }
  if (ref.keyPath !== undefined && parts.keyPath !== true) {
    throw new InvalidSecretRefError(`${operation} takes no #key.path: ${quoteRef(ref.text)}`, {
      ref: ref.text,
      provider: provider.scheme,
    });
  }
  return ref;
}
