/**
 * Request counters of an emulator, for tests that check how the SDK talks to the vault (retries, paging,
 * challenges, aborts). Backdoor writes (`emulator.store`) are never counted.
 * @module
 */
import { KEY_VAULT_ROUTES, type KeyVaultRoute } from './routes.js';

/** Counters since start or the last `reset()`. */
export interface KeyVaultEmulatorStats {
  /** Authenticated requests per operation, including those answered by an injected fault. */
  readonly calls: Readonly<Record<KeyVaultRoute, number>>;
  /** Every request received, including challenged, faulted and unmatched ones. */
  readonly total: number;
  /** Requests answered with the 401 authentication challenge (no `Authorization: Bearer …`). */
  readonly challenges: number;
  /** Requests that got an injected fault (throttle, server error, latency or hang). */
  readonly faultsInjected: number;
  /** Requests the client gave up on (aborted or disconnected) before the answer was complete. */
  readonly clientAborted: number;
  /** Answers sent, by HTTP status. */
  readonly statuses: Readonly<Record<number, number>>;
  /** Sets every counter back to zero. */
  reset(): void;
}

/** The mutable counters behind {@link KeyVaultEmulatorStats}. @internal */
export class StatsRecorder implements KeyVaultEmulatorStats {
  calls = emptyCalls();
  total = 0;
  challenges = 0;
  faultsInjected = 0;
  clientAborted = 0;
  statuses: Record<number, number> = {};

  reset(): void {
    this.calls = emptyCalls();
    this.total = 0;
    this.challenges = 0;
    this.faultsInjected = 0;
    this.clientAborted = 0;
    this.statuses = {};
  }

  countStatus(status: number): void {
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
  }
}

function emptyCalls(): Record<KeyVaultRoute, number> {
  return Object.fromEntries(KEY_VAULT_ROUTES.map((route) => [route, 0])) as Record<KeyVaultRoute, number>;
}
