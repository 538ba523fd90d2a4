import type { FleetGroup } from './fleet.js';

/** The table's tokens of the watched refs at one time. */
export interface TableSnapshot {
  readonly tokens: ReadonlyMap<string, string | undefined>;
  readonly heartbeatAt: number | undefined;
}

/**
 * A follower's reads of the version table. One read covers every watched ref (and registers interest in them) and
 * serves the probes of one round, whose batches arrive within milliseconds: one `ZADD` + `HMGET` pair per round,
 * whatever the number of batches. A snapshot is reused for `windowMs`; {@link TableReader.drop} forgets it (a change
 * message: the re-check must read afresh).
 */
export class TableReader {
  readonly #group: FleetGroup;
  readonly #windowMs: number;
  readonly #watchedKeys: () => readonly string[];
  readonly #pacesOf: (keys: readonly string[]) => ReadonlyMap<string, number>;
  #current:
    | { readonly at: number; readonly keys: ReadonlySet<string>; readonly ready: Promise<TableSnapshot> }
    | undefined;

  constructor(
    group: FleetGroup,
    windowMs: number,
    watchedKeys: () => readonly string[],
    pacesOf: (keys: readonly string[]) => ReadonlyMap<string, number> = () => new Map(),
  ) {
    this.#group = group;
    this.#windowMs = windowMs;
    this.#watchedKeys = watchedKeys;
    this.#pacesOf = pacesOf;
  }

  /**
   * The tokens of (at least) `keys`, registering interest in every watched ref until `until`, and the interval of
   * those watched faster than the default.
   */
  read(keys: readonly string[], until: number): Promise<TableSnapshot> {
    const now = Date.now();
    const current = this.#current;
    if (current !== undefined && now - current.at < this.#windowMs && keys.every((key) => current.keys.has(key))) {
      return current.ready;
    }
    const all = [...new Set([...this.#watchedKeys(), ...keys])];
    const paces = this.#pacesOf(all);
    const ready = this.#group.follow(all, until, paces.size > 0 ? paces : undefined).then((table) => ({
      tokens: new Map(all.map((key, index) => [key, table.tokens[index]])),
      heartbeatAt: table.heartbeatAt,
    }));
    const snapshot = { at: now, keys: new Set(all), ready };
    this.#current = snapshot;
    ready.catch(() => {
      if (this.#current === snapshot) this.#current = undefined;
    });
    return ready;
  }

  /** Forgets the snapshot: the next read goes to the store. */
  drop(): void {
    this.#current = undefined;
  }
}
