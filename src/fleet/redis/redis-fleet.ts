import { createHmac } from 'node:crypto';
import {
  checkOptions,
  type Duration,
  duration,
  type Fleet,
  type FleetGroup,
  type OptionSpec,
  str,
  toMilliseconds,
  ValidationError,
} from '../../provider-kit/index.js';
import { fromIoredis, isIoredis } from './ioredis-client.js';
import { type RedisClientLike, RedisConnection, type RedisSource } from './redis-connection.js';
import { groupKeys, RedisGroup } from './redis-group.js';

/** Options of {@link redisFleet}: a `url` or an injected node-redis `client`, and a `namespace`. */
export interface RedisFleetOptions {
  /** The Redis (or Valkey) URL, e.g. `redis://user:pass@host:6379` or `rediss://…` for TLS. */
  readonly url?: string;
  /**
   * A client to use instead of `url`: node-redis (`createClient`, v5 or v6) or ioredis (`new Redis(…)`, or a
   * `new Cluster(…)` for Redis Cluster, v5 or v6). The fleet connects it if needed and never closes it (its owner
   * does); it opens one duplicate for pub/sub, which it closes.
   */
  readonly client?: unknown;
  /**
   * Required: every key and channel lives under `rxsecrets:{namespace}:` (one hash tag: cluster-safe). Instances that
   * coordinate share it; lock it down per service with an ACL (see the README's "Running a fleet").
   */
  readonly namespace: string;
  /** How long a lease lasts without renewal: a dead leader is replaced within about this. Default `'15s'`. */
  readonly leaseTtl?: Duration;
  /** How far followers spread their re-reads after a change. Default: min(watch interval / 2, 30 s). */
  readonly spread?: Duration;
  /**
   * Publishes HMAC-SHA256s of version tokens under this key instead of the tokens (for backends whose version ids
   * should not be visible to whoever reads Redis). Every instance of the namespace needs the same key.
   */
  readonly tokenKey?: string | Uint8Array;
  /** Longest wait for one Redis command; a slower answer counts as Redis being down. Default `'2s'`. */
  readonly commandTimeout?: Duration;
}

const REDIS_FLEET_SPEC: OptionSpec = {
  rules: {
    url: str({ nonEmpty: true }),
    client: (value, name) => {
      const client = value as { sendCommand?: unknown; duplicate?: unknown } | null;
      const nodeRedis = typeof client?.sendCommand === 'function' && typeof client.duplicate === 'function';
      if (!nodeRedis && !isIoredis(value)) {
        throw new ValidationError(
          `option '${name}' must be a node-redis client (createClient from 'redis') or an ioredis Redis or Cluster`,
        );
      }
    },
    namespace: str({ nonEmpty: true }),
    leaseTtl: duration,
    spread: duration,
    tokenKey: (value, name) => {
      if (!(typeof value === 'string' || value instanceof Uint8Array) || value.length === 0) {
        throw new ValidationError(`option '${name}' must be a non-empty string or Uint8Array`);
      }
    },
    commandTimeout: duration,
  },
  aliases: { prefix: 'namespace', ttl: 'leaseTtl', redisUrl: 'url', redis: 'client' },
};

/**
 * A {@link Fleet} over Redis, Valkey or a Redis Cluster (through an injected ioredis `Cluster`), for the `fleet`
 * option of `createSecrets`: instances that share a
 * `namespace` elect one leader per provider identity, which probes the backend for all of them; the others answer
 * their probes from a version table and still read changed values themselves. Redis holds ref names, version tokens
 * (or their HMACs), error codes, a heartbeat and the lease owner token — never a value. node-redis (`redis`) is
 * loaded on first use.
 *
 * @example
 * import { createSecrets } from 'rxsecrets';
 * import { parameterStore } from 'rxsecrets/aws';
 * import { redisFleet } from 'rxsecrets/redis';
 * const secrets = createSecrets({
 *   providers: [parameterStore({ region: 'eu-west-1' })],
 *   fleet: redisFleet({ url: process.env.REDIS_URL, namespace: 'orders-svc', leaseTtl: '15s' }),
 * });
 */
export function redisFleet(options: RedisFleetOptions): Fleet {
  checkOptions('redisFleet', options, REDIS_FLEET_SPEC);
  if ((options.url === undefined) === (options.client === undefined)) {
    throw new ValidationError('redisFleet needs either `url` or `client` (not both)');
  }
  if (/[{}]/.test(options.namespace)) {
    throw new ValidationError("redisFleet's `namespace` cannot contain '{' or '}' (it becomes the keys' hash tag)");
  }
  const leaseTtlMs = toMilliseconds(options.leaseTtl ?? '15s', 'leaseTtl');
  if (leaseTtlMs < 30) throw new ValidationError(`redisFleet's leaseTtl must be at least 30 ms, got ${leaseTtlMs}`);
  const client = isIoredis(options.client) ? fromIoredis(options.client) : (options.client as RedisClientLike);
  const source: RedisSource = options.url === undefined ? { client } : { url: options.url };
  return new RedisFleet(options, source, leaseTtlMs);
}

class RedisFleet implements Fleet {
  readonly kind = 'redis';
  readonly leaseTtlMs: number;
  readonly spreadMs: number | undefined;
  readonly #namespace: string;
  readonly #tokenKey: string | Uint8Array | undefined;
  readonly #connection: RedisConnection;
  readonly #groups = new Map<string, FleetGroup>();

  constructor(options: RedisFleetOptions, source: RedisSource, leaseTtlMs: number) {
    this.leaseTtlMs = leaseTtlMs;
    this.spreadMs = options.spread === undefined ? undefined : toMilliseconds(options.spread, 'spread');
    this.#namespace = options.namespace;
    this.#tokenKey = options.tokenKey;
    this.#connection = new RedisConnection(source, toMilliseconds(options.commandTimeout ?? '2s', 'commandTimeout'));
  }

  group(identity: string): FleetGroup {
    let group = this.#groups.get(identity);
    if (!group) {
      group = new RedisGroup(this.#connection, groupKeys(this.#namespace, identity));
      this.#groups.set(identity, group);
    }
    return group;
  }

  seal(identity: string, ref: string, token: string): string {
    if (this.#tokenKey === undefined) return token;
    // Bound to the ref, so that equal tokens of different refs do not show as equal.
    return createHmac('sha256', this.#tokenKey).update(`${identity}\n${ref}\n${token}`).digest('base64url');
  }

  async close(): Promise<void> {
    this.#connection.close();
  }

  /** No URL (it may hold a password) in logs. */
  toJSON(): object {
    return { kind: this.kind, namespace: this.#namespace, leaseTtlMs: this.leaseTtlMs };
  }
}
