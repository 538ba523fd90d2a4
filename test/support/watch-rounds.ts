// Records a provider's watch rounds as the backend sees them: for each round (one `watch-probe` event), the refs it
// checked, the calls the scheduler planned, and the calls the emulator counted until the next round began.
import type { Observable } from 'rxjs';
import type { SecretsEvent } from '../../src/index.js';

/** One watch round of a provider. */
export interface WatchRoundCalls {
  /** Refs the round probed. */
  readonly refs: number;
  /** Probe calls the scheduler planned for them. */
  readonly planned: number;
  /** Backend calls the emulator counted from this round's start to the next one's. */
  readonly calls: number;
}

/**
 * Resolves with the next complete rounds of `provider`, each from its `watch-probe` event to the next one,
 * `backendCalls()` read at both: `count` of them, or (a function) as many as it takes for `count(rounds)` to be true.
 */
export function nextRounds(
  events: Observable<SecretsEvent>,
  provider: string,
  count: number | ((rounds: readonly WatchRoundCalls[]) => boolean),
  backendCalls: () => number,
): Promise<WatchRoundCalls[]> {
  const done = typeof count === 'number' ? (rounds: readonly WatchRoundCalls[]) => rounds.length === count : count;
  return new Promise((resolve) => {
    const rounds: WatchRoundCalls[] = [];
    let open: { refs: number; planned: number; at: number } | undefined;
    const subscription = events.subscribe((event) => {
      if (event.type !== 'watch-probe' || event.provider !== provider) return;
      const now = backendCalls();
      if (open !== undefined) rounds.push({ refs: open.refs, planned: open.planned, calls: now - open.at });
      open = { refs: event.refs, planned: event.calls, at: now };
      if (rounds.length > 0 && done(rounds)) {
        subscription.unsubscribe();
        resolve(rounds);
      }
    });
  });
}
