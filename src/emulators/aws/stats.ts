/**
 * Call counters of an emulator, for tests that assert how many requests a client made
 * (a watch's cost per interval, retries after throttling, an unsubscribe closing its connection).
 *
 * Counting happens in the HTTP layer only: the `store` backdoor never counts.
 */
export class AwsEmulatorStats {
  #calls: Record<string, number> = Object.create(null) as Record<string, number>;
  #total = 0;
  #clientAborted = 0;
  #faultsInjected = 0;

  /**
   * Calls per `service.Operation` key, e.g. `calls['ssm.GetParameter']` or `calls['secretsmanager.GetSecretValue']`.
   * Every authenticated request to a known operation counts, including ones answered by an injected fault.
   * A snapshot: later calls do not change the returned object.
   */
  get calls(): Readonly<Record<string, number>> {
    return { ...this.#calls };
  }

  /** All counted calls, across services and operations. */
  get total(): number {
    return this.#total;
  }

  /**
   * Requests whose connection the client closed before the response was sent (an `AbortSignal` fired,
   * a socket timed out). Connections the emulator itself closes in `stop()` are not counted.
   */
  get clientAborted(): number {
    return this.#clientAborted;
  }

  /** Calls answered (or delayed, or hung) by an injected fault. */
  get faultsInjected(): number {
    return this.#faultsInjected;
  }

  /**
   * Calls of one operation: `count('ssm.GetParameter')`, or `count('GetParameter')` summed over services.
   */
  count(operation: string): number {
    if (operation.includes('.')) return this.#calls[operation] ?? 0;
    let sum = 0;
    for (const [key, value] of Object.entries(this.#calls)) {
      if (key.slice(key.indexOf('.') + 1) === operation) sum += value;
    }
    return sum;
  }

  /** Sets every counter back to zero. */
  reset(): void {
    this.#calls = Object.create(null) as Record<string, number>;
    this.#total = 0;
    this.#clientAborted = 0;
    this.#faultsInjected = 0;
  }

  /** @internal Records one routed call. */
  recordCall(key: string): void {
    this.#calls[key] = (this.#calls[key] ?? 0) + 1;
    this.#total += 1;
  }

  /** @internal Records a request the client abandoned. */
  recordClientAbort(): void {
    this.#clientAborted += 1;
  }

  /** @internal Records a call a fault rule acted on. */
  recordFault(): void {
    this.#faultsInjected += 1;
  }
}
