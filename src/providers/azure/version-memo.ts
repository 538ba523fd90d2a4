/**
 * What the provider last read for each secret: the version that was current at a given `updatedOn`.
 *
 * Key Vault's secret listing (the cheap sweep a probe makes) carries `updatedOn` but no version, while a watch
 * compares probe tokens with the version of the secret it emitted. The memo bridges the two: when a secret's
 * `updatedOn` is still the one seen with version V, the probe answers V (unchanged: no value is fetched);
 * otherwise it answers a token that cannot equal any version, and the core fetches the value.
 *
 * `updatedOn` has a resolution of one second, so two versions written within the same second look alike in a
 * listing. A version read less than {@link SETTLE_MS} after its `updatedOn` (a margin that also covers clock skew
 * between us and the vault) is therefore trusted only provisionally: probes answer it until that margin has passed,
 * then once more as changed, so that the value is read again — one confirmation read, after which the memo trusts
 * the version. A rotation thus costs a watch at most two value reads (one when the interval is longer than the
 * margin), at any interval; a second version written in the same second as the first is seen by the confirmation.
 * @module
 */

/** How long after its `updatedOn` a read must happen for the memo to trust it. */
export const SETTLE_MS = 5_000;

interface Seen {
  readonly updatedOn: number;
  readonly version: string;
  readonly readAt: number;
}

/** A bounded map from secret name (case-insensitive, as Key Vault names are) to the last version read. */
export class VersionMemo {
  readonly #seen = new Map<string, Seen>();
  readonly #limit: number;

  constructor(limit = 10_000) {
    this.#limit = limit;
  }

  /** Records that `version` was current when the secret's `updatedOn` was `updatedOn`. */
  remember(name: string, updatedOn: Date | undefined, version: string | undefined, readAt = Date.now()): void {
    if (updatedOn === undefined || !version) return;
    const key = name.toLowerCase();
    this.#seen.delete(key);
    this.#seen.set(key, { updatedOn: updatedOn.getTime(), version, readAt });
    if (this.#seen.size > this.#limit) {
      const oldest = this.#seen.keys().next();
      if (!oldest.done) this.#seen.delete(oldest.value);
    }
  }

  /**
   * What a fleet shares for a secret last updated at `updatedOn`: the listing's stamp, the same on every instance
   * (a version token depends on what this instance read).
   */
  static fleetToken(updatedOn: Date | undefined): string {
    return `updated:${updatedOn?.getTime() ?? 'unknown'}`;
  }

  /** The fleet token of the version last read of `name`, and the probe token for it now; undefined if none read. */
  held(name: string, now = Date.now()): { fleetToken: string; version: string } | undefined {
    const seen = this.#seen.get(name.toLowerCase());
    if (seen === undefined) return undefined;
    const updatedOn = new Date(seen.updatedOn);
    return { fleetToken: VersionMemo.fleetToken(updatedOn), version: this.token(name, updatedOn, now) };
  }

  /** The probe token, at `now`, for a secret last updated at `updatedOn`. */
  token(name: string, updatedOn: Date | undefined, now = Date.now()): string {
    const seen = this.#seen.get(name.toLowerCase());
    if (seen !== undefined && updatedOn !== undefined && seen.updatedOn === updatedOn.getTime()) {
      const settled = seen.readAt - seen.updatedOn >= SETTLE_MS;
      // Read too soon after the update to rule out a later write in the same second: trusted until the margin has
      // passed, then read once more.
      const provisional = now - seen.updatedOn < SETTLE_MS;
      if (settled || provisional) return seen.version;
    }
    return VersionMemo.fleetToken(updatedOn);
  }
}
