import { randomUUID } from 'node:crypto';

import type { RandomSource } from '../shared/seeded-random.js';

export { type RandomSource, seededRandom } from '../shared/seeded-random.js';

const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** The random 6-character suffix Secrets Manager appends to a secret's ARN. */
export function arnSuffix(random: RandomSource): string {
  let suffix = '';
  for (let i = 0; i < 6; i += 1) suffix += SUFFIX_ALPHABET[Math.floor(random() * SUFFIX_ALPHABET.length)] ?? 'a';
  return suffix;
}

/** A request id for the `x-amzn-RequestId` header. */
export function requestId(): string {
  return randomUUID();
}
