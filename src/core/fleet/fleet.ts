/**
 * The engine-neutral side of fleet coordination: what the watch engine needs from a shared store (Redis, Valkey;
 * later Postgres or NATS) so that K instances watching the same secrets cost the backend what one instance costs.
 * An adapter (`redisFleet` in `rxsecrets/redis`) implements {@link Fleet}; the core drives it.
 *
 * What an adapter stores: ref texts, version tokens (or their HMACs), error codes, a heartbeat and a lease owner
 * token. Never a secret value.
 */

/** A change message: the leader (`owner`) published new tokens for these refs. */
export interface FleetMessage {
  /** The lease owner token of the instance that published. */
  readonly owner: string;
  /** The ref texts whose token changed. */
  readonly refs: readonly string[];
}

/** What followers read from the version table in one round trip. */
export interface FleetTable {
  /** The published token of each ref asked for (aligned), or undefined when none is published. */
  readonly tokens: ReadonlyArray<string | undefined>;
  /** When the leader last published (epoch ms), or undefined when no leader ever did. */
  readonly heartbeatAt: number | undefined;
}

/**
 * The coordination channel of one provider identity (scheme + backend identity): a lease, an interest set, a
 * version table and a change channel. Every method has a short timeout and rejects when the store is unreachable:
 * the core then falls back to local polling.
 */
export interface FleetGroup {
  /** Takes the lease for `ttlMs` if nobody holds it (`SET NX PX`). Resolves whether `owner` holds it now. */
  acquireLease(owner: string, ttlMs: number): Promise<boolean>;
  /** Extends the lease if `owner` still holds it (compare-and-expire). Resolves whether it does. */
  renewLease(owner: string, ttlMs: number): Promise<boolean>;
  /** Drops the lease if `owner` holds it (compare-and-delete). */
  releaseLease(owner: string): Promise<void>;
  /**
   * Registers interest in `refs` until `until` (epoch ms) and reads their published tokens: one round trip. `paces`
   * names the refs this instance watches at a shorter interval than its default (ms): the leader probes them at the
   * shortest interval any instance asked for.
   */
  follow(refs: readonly string[], until: number, paces?: ReadonlyMap<string, number>): Promise<FleetTable>;
  /** The refs some instance registered and whose interest has not expired at `now` (expired ones are dropped). */
  interest(now: number): Promise<string[]>;
  /**
   * The shortest interval (ms) asked for each ref some instance watches faster than its default (see `follow`).
   * Optional: without it the leader probes every ref at its own default interval.
   */
  paces?(): Promise<ReadonlyMap<string, number>>;
  /**
   * The leader's publish: registers interest in the refs of `tokens` until `until`, writes the tokens that differ from
   * the table with a heartbeat at `now`, and announces the changed refs on the channel. Resolves the changed refs.
   */
  publish(owner: string, tokens: ReadonlyMap<string, string>, until: number, now: number): Promise<string[]>;
  /**
   * Listens to change messages (at most once each: a lost message is caught by the next reconcile). Resolves once
   * subscribed; the returned function unsubscribes.
   */
  subscribe(listener: (message: FleetMessage) => void): Promise<() => void>;
}

/**
 * A coordination store shared by the instances of a fleet, passed as the `fleet` option of `createSecrets`. Every
 * provider that declares an `identity` is watched through it: one instance per identity holds a lease and probes
 * the union of the fleet's refs; the others answer their probes from the version table.
 */
export interface Fleet {
  /** A name for messages and events (`'redis'`). */
  readonly kind: string;
  /** How long a lease lasts without renewal (ms); renewed every third of it. */
  readonly leaseTtlMs: number;
  /**
   * How far followers spread their re-reads after a change (ms); undefined: min(interval / 2, 30 s).
   */
  readonly spreadMs: number | undefined;
  /** The group of one provider identity (`scheme` + `|` + provider identity). */
  group(identity: string): FleetGroup;
  /** What is published for a version token: the token itself, or its HMAC (the `tokenKey` option). */
  seal(identity: string, ref: string, token: string): string;
  /** Closes the store's connections (the client's `close()` calls it after releasing its leases). */
  close(): Promise<void>;
}

/** The fleet's events, on `secrets.events`. */
export type FleetEvent =
  /** This instance now holds the lease of `provider` (it probes for the fleet). */
  | { type: 'lease-acquired'; provider: string; identity: string }
  /** This instance lost (or released) the lease of `provider`: it follows again. */
  | { type: 'lease-lost'; provider: string; identity: string }
  /** The fleet store is unreachable: this instance polls `provider` on its own until it returns. */
  | { type: 'fleet-lost'; provider: string; identity: string; error: unknown }
  /** The fleet store answers again: coordination resumed. */
  | { type: 'fleet-restored'; provider: string; identity: string };
