import { randomUUID } from 'node:crypto';
import { isRxSecretsError, isTransientError } from '../errors/index.js';
import type { CallContext, ProbeResult, SecretProvider } from '../provider.js';
import { parseSecretRef, type SecretRef } from '../ref.js';
import type { Fleet, FleetEvent, FleetGroup, FleetMessage, FleetTable } from './fleet.js';
import { TableReader } from './table-reader.js';

/** What a {@link FleetMember} drives in its watch engine. */
export interface FleetWatcher {
  /** The texts of the refs watched locally. */
  watchedKeys(): string[];
  /** Checks these watched refs promptly, or every ref without `keys`. */
  recheck(keys?: Iterable<string>): void;
  /** The interval (ms) this instance watches `key` at, or undefined when it does not watch it. */
  intervalOf(key: string): number | undefined;
  /** Sets the refs probed for the fleet without being watched here, some at a shorter interval than the default. */
  track(refs: ReadonlyMap<string, SecretRef>, paces?: ReadonlyMap<string, number>): void;
  /** Marks the watches degraded while the fleet store is unreachable (`undefined` clears it). */
  setFleetIssue(issue: unknown): void;
}

/** Options of a {@link FleetMember}. */
export interface FleetMemberOptions {
  readonly fleet: Fleet;
  /** The provider whose probes the member answers or publishes. */
  readonly provider: SecretProvider;
  /** The provider's backend identity (its `identity`). */
  readonly identity: string;
  /** The watch engine's default interval (ms): the tracked refs' interval and the reconcile period. */
  readonly intervalMs: number;
  /** Reports an event (never throws). */
  readonly emit: (event: FleetEvent) => void;
  /** Random source in [0, 1) for the spread of re-reads. Default `Math.random`. */
  readonly random?: () => number;
}

type Role = 'follower' | 'leader' | 'local';

/** What the table holds for a ref whose probe failed permanently at the leader: its error code after this mark. */
const ERROR_MARK = '!';

/**
 * One instance's part in the fleet for one provider identity. It competes for the identity's lease (acquire, renew
 * every third of the TTL, release on close). As the leader it probes the union of the fleet's refs (tracked in its
 * own scheduler, so in the same batches and backoff) and publishes their tokens; as a follower it answers its
 * scheduler's probes from the version table and re-checks refs named by change messages after a random delay within
 * the spread. When the store fails it polls on its own (role `local`, watches degraded) and rejoins once the store
 * answers a lease attempt again. A `get` never goes through here.
 */
export class FleetMember {
  readonly #options: FleetMemberOptions;
  readonly #group: FleetGroup;
  readonly #groupKey: string;
  readonly #owner = randomUUID();
  readonly #ttlMs: number;
  readonly #spreadMs: number;
  readonly #random: () => number;
  /** The last raw token seen per ref (own probes and reads): a sealed table entry is compared with it. */
  readonly #raw = new Map<string, string>();
  readonly #delays = new Set<ReturnType<typeof setTimeout>>();
  #watcher: FleetWatcher | undefined;
  readonly #reader: TableReader;
  #role: Role = 'follower';
  #leaderUntil = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #unsubscribe: (() => void) | undefined;
  #ticking = false;
  /** Set when the lease was just taken: the first round probes every ref at once. */
  #newLeader = false;
  /**
   * After the store is lost, the first local probe waits until this time (epoch ms), a random point within one
   * interval: K instances that lose Redis together do not all hit the backend in the same millisecond.
   */
  #localFrom = 0;
  #closed = false;

  constructor(options: FleetMemberOptions) {
    this.#options = options;
    this.#groupKey = `${options.provider.scheme}|${options.identity}`;
    this.#group = options.fleet.group(this.#groupKey);
    this.#ttlMs = options.fleet.leaseTtlMs;
    this.#spreadMs = options.fleet.spreadMs ?? Math.min(options.intervalMs / 2, 30_000);
    this.#random = options.random ?? Math.random;
    this.#reader = new TableReader(
      this.#group,
      Math.min(options.intervalMs / 4, 1_000),
      () => (this.#watcher === undefined ? [] : this.#watcher.watchedKeys()),
      (keys) => this.#pacesOf(keys),
    );
  }

  /** `'leader'`, `'follower'`, or `'local'` while the store is unreachable. */
  get role(): Role {
    return this.#isLeader() ? 'leader' : this.#role === 'leader' ? 'follower' : this.#role;
  }

  /** Starts competing for the lease and listening to change messages. */
  start(watcher: FleetWatcher): void {
    if (this.#watcher || this.#closed) return;
    this.#watcher = watcher;
    void this.#tick();
    this.#timer = setInterval(() => void this.#tick(), Math.max(1, Math.floor(this.#ttlMs / 3)));
    this.#timer.unref?.();
  }

  /** A probe of the watch engine: answered from the table (follower), or made and published (leader, local). */
  async probe(refs: readonly SecretRef[], ctx: CallContext): Promise<readonly ProbeResult[]> {
    const keys = refs.map((ref) => ref.text);
    const until = Date.now() + 3 * this.#options.intervalMs;
    if (!this.#isLeader() && this.#role === 'follower') {
      const table = await this.#follow(keys, until, ctx);
      if (table !== undefined) return this.#fromTable(refs, keys, table, ctx);
    }
    if (this.#role === 'local' && Date.now() < this.#localFrom) return this.#untilLocal(refs, keys, ctx);
    const results = await this.#options.provider.probe(refs, ctx);
    this.#remember(keys, results);
    if (this.#isLeader()) this.#publish(keys, results, until);
    return results;
  }

  /** Remembers the versions of values read locally (a sealed table entry is compared with them). */
  learn(ref: SecretRef, version: string | undefined): void {
    if (version !== undefined) this.#raw.set(ref.text, version);
  }

  /** Stops the timers, leaves the channel and releases the lease if held. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    for (const delay of this.#delays) clearTimeout(delay);
    this.#delays.clear();
    this.#unsubscribe?.();
    if (this.#role === 'leader') {
      this.#role = 'follower';
      await this.#group.releaseLease(this.#owner).catch(() => undefined);
      this.#emit('lease-lost');
    }
  }

  #isLeader(): boolean {
    return this.#role === 'leader' && Date.now() < this.#leaderUntil;
  }

  /** One lease round: subscribe if not yet, renew or try to take the lease, and refresh the tracked refs. */
  async #tick(): Promise<void> {
    if (this.#closed || this.#ticking) return;
    this.#ticking = true;
    try {
      if (this.#unsubscribe === undefined) {
        const unsubscribe = await this.#group.subscribe((message) => this.#onMessage(message));
        if (this.#closed) unsubscribe();
        else this.#unsubscribe = unsubscribe;
      }
      const startedAt = Date.now();
      if (this.#role === 'leader') {
        if (await this.#group.renewLease(this.#owner, this.#ttlMs)) this.#leaderUntil = startedAt + this.#ttlMs;
        else this.#demote();
      } else {
        const won = await this.#group.acquireLease(this.#owner, this.#ttlMs);
        this.#restored();
        if (won && !this.#closed) this.#promote(startedAt);
      }
      if (this.#role === 'leader') await this.#trackUnion();
    } catch (error) {
      this.#lost(error);
    } finally {
      this.#ticking = false;
    }
  }

  #promote(startedAt: number): void {
    this.#role = 'leader';
    this.#leaderUntil = startedAt + this.#ttlMs;
    this.#newLeader = true;
    this.#emit('lease-acquired');
  }

  #demote(): void {
    if (this.#role !== 'leader') return;
    this.#role = 'follower';
    this.#watcher?.track(new Map());
    this.#emit('lease-lost');
  }

  /** The leader probes every ref some instance registered; a new leader probes them all at once. */
  async #trackUnion(): Promise<void> {
    const watcher = this.#watcher;
    if (!watcher) return;
    const [union, paces] = await Promise.all([this.#group.interest(Date.now()), this.#group.paces?.()]);
    if (!this.#isLeader() || this.#closed) return;
    const local = new Set(watcher.watchedKeys());
    const refs = new Map<string, SecretRef>();
    for (const key of union) {
      if (local.has(key)) continue;
      try {
        refs.set(key, parseSecretRef(key));
      } catch {
        // Not a ref this version can parse (another version of rxsecrets wrote it): left to its writer.
      }
    }
    watcher.track(refs, paces);
    if (this.#newLeader) {
      this.#newLeader = false;
      watcher.recheck();
    }
  }

  /** The refs among `keys` watched here faster than the default interval, with their interval. */
  #pacesOf(keys: readonly string[]): ReadonlyMap<string, number> {
    const paces = new Map<string, number>();
    for (const key of keys) {
      const intervalMs = this.#watcher?.intervalOf(key);
      if (intervalMs !== undefined && intervalMs < this.#options.intervalMs) paces.set(key, intervalMs);
    }
    return paces;
  }

  #emit(type: 'lease-acquired' | 'lease-lost' | 'fleet-restored'): void {
    this.#options.emit({ type, provider: this.#options.provider.scheme, identity: this.#options.identity });
  }

  /**
   * The store failed: poll on our own (watches degraded) until a lease round succeeds again. The first local probe
   * comes at a random point within one interval; until then refs whose version we know count as unchanged.
   */
  #lost(error: unknown): void {
    if (this.#closed || this.#role === 'local') return;
    this.#demote();
    this.#role = 'local';
    const wait = this.#random() * this.#options.intervalMs;
    this.#localFrom = Date.now() + wait;
    this.#later(wait, undefined);
    this.#watcher?.setFleetIssue(error);
    this.#options.emit({
      type: 'fleet-lost',
      provider: this.#options.provider.scheme,
      identity: this.#options.identity,
      error,
    });
  }

  #restored(): void {
    if (this.#role !== 'local' || this.#closed) return;
    this.#reader.drop();
    this.#role = 'follower';
    this.#watcher?.setFleetIssue(undefined);
    this.#emit('fleet-restored');
    // Reconcile soon, at a random point within the spread (instances reconnect together and a Redis restarted empty
    // has no table yet: the new leader probes at once and publishes first): changes published while we polled alone
    // are caught by comparing with the table.
    this.#later(this.#random() * this.#spreadMs, undefined);
  }

  /** The refs of a probe made before the first local tick: known versions count as unchanged, others are probed. */
  async #untilLocal(
    refs: readonly SecretRef[],
    keys: readonly string[],
    ctx: CallContext,
  ): Promise<readonly ProbeResult[]> {
    const known = keys.map((key) => this.#raw.get(key));
    const unknown = refs.filter((_, index) => known[index] === undefined);
    const own = unknown.length > 0 ? await this.#options.provider.probe(unknown, ctx) : [];
    this.#remember(
      unknown.map((ref) => ref.text),
      own,
    );
    let next = 0;
    return known.map((version) => {
      if (version !== undefined) return { version };
      const result = own[next];
      next += 1;
      return result ?? { error: new Error('probe returned no result') };
    });
  }

  /** Re-checks `keys` (every ref without) after `delayMs`, unless closed before. */
  #later(delayMs: number, keys: readonly string[] | undefined): void {
    const delay = setTimeout(() => {
      this.#delays.delete(delay);
      this.#watcher?.recheck(keys);
    }, delayMs);
    this.#delays.add(delay);
  }

  /**
   * The table's answer for `keys`. One read covers every watched ref and serves the probes of one round (its batches
   * arrive within milliseconds): a follower sends one `ZADD` + `HMGET` pair per round, whatever the number of
   * batches. A change message drops the snapshot, so its re-check reads afresh.
   */
  async #follow(keys: readonly string[], until: number, ctx: CallContext): Promise<FleetTable | undefined> {
    try {
      const snapshot = await this.#reader.read(keys, until);
      const stale = 2 * this.#options.intervalMs + this.#ttlMs;
      // No live leader: probe on our own until one publishes again.
      if (snapshot.heartbeatAt === undefined || Date.now() - snapshot.heartbeatAt > stale) return undefined;
      return { tokens: keys.map((key) => snapshot.tokens.get(key)), heartbeatAt: snapshot.heartbeatAt };
    } catch (error) {
      if (!ctx.signal.aborted) this.#lost(error);
      return undefined;
    }
  }

  /** Answers from the table; refs it has no token for (or an error code) are probed here. */
  async #fromTable(
    refs: readonly SecretRef[],
    keys: readonly string[],
    table: FleetTable,
    ctx: CallContext,
  ): Promise<readonly ProbeResult[]> {
    const results: ProbeResult[] = [];
    const missing: number[] = [];
    keys.forEach((key, index) => {
      const published = table.tokens[index];
      if (published === undefined || published.startsWith(ERROR_MARK)) {
        missing.push(index);
        return;
      }
      const seal = (token: string) => this.#options.fleet.seal(this.#groupKey, key, token);
      const held = this.#options.provider.heldFleetToken?.(refs[index] as SecretRef);
      // A token that matches what we hold answers "unchanged"; any other value differs from it and triggers a read.
      const changed = { version: `${ERROR_MARK}${published}` };
      if (held !== undefined) {
        results[index] = seal(held.fleetToken) === published ? { version: held.version } : changed;
        return;
      }
      const raw = this.#raw.get(key);
      results[index] = raw !== undefined && seal(raw) === published ? { version: raw } : changed;
    });
    if (missing.length > 0) {
      const own = await this.#options.provider.probe(
        missing.map((index) => refs[index] as SecretRef),
        ctx,
      );
      this.#remember(
        missing.map((index) => keys[index] as string),
        own,
      );
      missing.forEach((index, i) => {
        results[index] = own[i] ?? { error: new Error('probe returned no result') };
      });
    }
    return results;
  }

  #remember(keys: readonly string[], results: readonly ProbeResult[]): void {
    keys.forEach((key, index) => {
      const result = results[index];
      if (result !== undefined && 'version' in result) this.#raw.set(key, result.version);
    });
  }

  /** Publishes the leader's results (tokens, and codes of permanent errors); a store failure falls back to local. */
  #publish(keys: readonly string[], results: readonly ProbeResult[], until: number): void {
    const tokens = new Map<string, string>();
    keys.forEach((key, index) => {
      const result = results[index];
      if (result === undefined) return;
      if ('version' in result) {
        tokens.set(key, this.#options.fleet.seal(this.#groupKey, key, result.fleetToken ?? result.version));
      } else if (!isTransientError(result.error)) tokens.set(key, `${ERROR_MARK}${errorCode(result.error)}`);
    });
    if (tokens.size === 0) return;
    this.#group.publish(this.#owner, tokens, until, Date.now()).catch((error: unknown) => this.#lost(error));
  }

  /** A follower re-checks the named refs it watches, after a random delay within the spread (no herd). */
  #onMessage(message: FleetMessage): void {
    if (this.#closed || message.owner === this.#owner || this.#isLeader() || this.#role === 'local') return;
    this.#reader.drop();
    const watched = new Set(this.#watcher?.watchedKeys() ?? []);
    const keys = message.refs.filter((key) => watched.has(key));
    if (keys.length > 0) this.#later(this.#random() * this.#spreadMs, keys);
  }
}

function errorCode(error: unknown): string {
  return isRxSecretsError(error) ? error.code : 'Error';
}
