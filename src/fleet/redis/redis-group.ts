import type { FleetGroup, FleetMessage, FleetTable } from '../../provider-kit/index.js';
import type { RedisConnection } from './redis-connection.js';
import {
  ACQUIRE_LEASE,
  HEARTBEAT_FIELD,
  LIVE_INTEREST,
  PUBLISH_TOKENS,
  RELEASE_LEASE,
  RENEW_LEASE,
} from './redis-scripts.js';

/** The keys and channel of one provider identity under a namespace (one hash tag: one cluster slot). */
export interface GroupKeys {
  readonly lease: string;
  readonly interest: string;
  /** Refs some instance watches faster than its default, scored by the shortest interval asked for (ms). */
  readonly pace: string;
  readonly tokens: string;
  readonly channel: string;
}

/** The keys of `identity` under `namespace`: `rxsecrets:{namespace}:<kind>:<identity>`. */
export function groupKeys(namespace: string, identity: string): GroupKeys {
  const base = `rxsecrets:{${namespace}}`;
  return {
    lease: `${base}:lease:${identity}`,
    interest: `${base}:interest:${identity}`,
    pace: `${base}:pace:${identity}`,
    tokens: `${base}:tokens:${identity}`,
    channel: `${base}:changes:${identity}`,
  };
}

/** A {@link FleetGroup} over Redis: a lease string, an interest sorted set, a token hash and a channel. */
export class RedisGroup implements FleetGroup {
  readonly #redis: RedisConnection;
  readonly #keys: GroupKeys;

  constructor(redis: RedisConnection, keys: GroupKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  async acquireLease(owner: string, ttlMs: number): Promise<boolean> {
    const reply = await this.#redis.command(['EVAL', ACQUIRE_LEASE, '1', this.#keys.lease, owner, String(ttlMs)]);
    return Number(reply) === 1;
  }

  async renewLease(owner: string, ttlMs: number): Promise<boolean> {
    const reply = await this.#redis.command(['EVAL', RENEW_LEASE, '1', this.#keys.lease, owner, String(ttlMs)]);
    return Number(reply) === 1;
  }

  async releaseLease(owner: string): Promise<void> {
    await this.#redis.command(['EVAL', RELEASE_LEASE, '1', this.#keys.lease, owner]);
  }

  async follow(refs: readonly string[], until: number, paces?: ReadonlyMap<string, number>): Promise<FleetTable> {
    const score = String(until);
    const zadd = ['ZADD', this.#keys.interest, 'GT', ...refs.flatMap((ref) => [score, ref])];
    // The shortest interval asked for wins (LT); it lasts until the ref's interest lapses (`interest` drops both).
    const pace = paces ? ['ZADD', this.#keys.pace, 'LT', ...[...paces].flatMap(([ref, ms]) => [String(ms), ref])] : [];
    // Sent in the same tick: one pipelined round trip.
    const [, reply] = await Promise.all([
      refs.length > 0 ? this.#redis.command(zadd) : undefined,
      this.#redis.command(['HMGET', this.#keys.tokens, HEARTBEAT_FIELD, ...refs]),
      pace.length > 3 ? this.#redis.command(pace) : undefined,
    ]);
    const values = (reply as ReadonlyArray<string | null>).map((value) => value ?? undefined);
    const heartbeat = Number(values[0]);
    return { tokens: values.slice(1), heartbeatAt: Number.isFinite(heartbeat) ? heartbeat : undefined };
  }

  async interest(now: number): Promise<string[]> {
    const reply = await this.#redis.command([
      'EVAL',
      LIVE_INTEREST,
      '3',
      this.#keys.interest,
      this.#keys.tokens,
      this.#keys.pace,
      String(now),
    ]);
    return reply as string[];
  }

  async paces(): Promise<ReadonlyMap<string, number>> {
    const reply = (await this.#redis.command(['ZRANGE', this.#keys.pace, '0', '-1', 'WITHSCORES'])) as unknown[];
    // RESP2 answers member, score, member, score…; RESP3 (node-redis 6 may speak it) [member, score] pairs
    const pairs = Array.isArray(reply[0])
      ? (reply as [unknown, unknown][])
      : reply.flatMap((value, i) => (i % 2 === 0 ? [[value, reply[i + 1]] as [unknown, unknown]] : []));
    return new Map(pairs.map(([ref, ms]) => [String(ref), Number(ms)]));
  }

  async publish(owner: string, tokens: ReadonlyMap<string, string>, until: number, now: number): Promise<string[]> {
    const pairs = [...tokens].flat();
    const reply = await this.#redis.command([
      'EVAL',
      PUBLISH_TOKENS,
      '2',
      this.#keys.interest,
      this.#keys.tokens,
      String(until),
      String(now),
      owner,
      this.#keys.channel,
      ...pairs,
    ]);
    return reply as string[];
  }

  subscribe(listener: (message: FleetMessage) => void): Promise<() => void> {
    return this.#redis.subscribe(this.#keys.channel, (text) => {
      const message = parseMessage(text);
      if (message) listener(message);
    });
  }
}

/** A change message, or undefined when it is not one (another writer on the channel). */
function parseMessage(text: string): FleetMessage | undefined {
  try {
    const parsed = JSON.parse(text) as { owner?: unknown; refs?: unknown };
    if (typeof parsed.owner !== 'string' || !Array.isArray(parsed.refs)) return undefined;
    return { owner: parsed.owner, refs: parsed.refs.filter((ref): ref is string => typeof ref === 'string') };
  } catch {
    return undefined;
  }
}
