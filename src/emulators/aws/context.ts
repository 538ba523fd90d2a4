import type { RandomSource } from './random.js';

/** What the stores need from their emulator: identity for ARNs, the clock, and randomness. */
export interface EmulatorContext {
  /** Region used in ARNs. */
  readonly region: string;
  /** Account id used in ARNs. */
  readonly accountId: string;
  /** Current time in epoch milliseconds. */
  now(): number;
  /** Random source for ARN suffixes. */
  readonly random: RandomSource;
}

/** An epoch-milliseconds time as AWS JSON sends timestamps: epoch seconds with a fraction. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
