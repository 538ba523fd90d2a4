import { ValidationError } from './errors/index.js';
import type { SecretValue } from './secret.js';

/** A value ready for a provider: text or bytes, with the content type JSON implies. */
export interface NormalizedValue {
  readonly value: string | Uint8Array;
  readonly contentType: string | undefined;
}

/**
 * Turns what a user passes to `set` into text or bytes. Objects, arrays, numbers, booleans and null become JSON
 * text with content type `application/json`; anything else (undefined, functions, symbols, bigints, cycles) is a
 * ValidationError, and nothing is written. The message never quotes the value.
 */
export function normalizeSecretValue(input: SecretValue, ref: string): NormalizedValue {
  if (typeof input === 'string') return { value: input, contentType: undefined };
  if (input instanceof Uint8Array) return { value: input, contentType: undefined };
  const kind = typeof input;
  if (input === null || kind === 'object' || kind === 'number' || kind === 'boolean') {
    if (kind === 'number' && !Number.isFinite(input as number)) {
      throw new ValidationError(`a secret value must be finite, got a non-finite number for ${ref}`, { ref });
    }
    let text: string | undefined;
    try {
      text = JSON.stringify(input);
    } catch {
      throw new ValidationError(`the value for ${ref} cannot be serialised as JSON (cycle or bigint)`, { ref });
    }
    if (text === undefined) throw new ValidationError(`the value for ${ref} cannot be serialised as JSON`, { ref });
    return { value: text, contentType: 'application/json' };
  }
  throw new ValidationError(`a secret value must be text, bytes or JSON; got ${kind} for ${ref}`, { ref });
}
