import { ProviderUnavailableError, TimeoutError } from '../../provider-kit/index.js';

/** The part of a node-redis client (v5, v6) the fleet uses. */
export interface RedisClientLike {
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  sendCommand(args: string[]): Promise<unknown>;
  duplicate(): RedisClientLike;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  unsubscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  destroy(): void;
}

interface RedisModule {
  createClient(options: Record<string, unknown>): RedisClientLike;
}

let loading: Promise<RedisModule> | undefined;

/** Imports node-redis on first use: it is an optional peer dependency. */
function loadRedis(): Promise<RedisModule> {
  loading ??= (import('redis') as unknown as Promise<RedisModule>).catch((error: unknown) => {
    loading = undefined;
    throw new ProviderUnavailableError("redisFleet needs the package 'redis' (node-redis): npm install redis", {
      cause: error,
      provider: 'redis-fleet',
      transient: false,
    });
  });
  return loading;
}

/** Where the connection comes from. */
export type RedisSource = { readonly url: string } | { readonly client: RedisClientLike };

/**
 * The fleet's two connections: commands, and a duplicate for pub/sub (a subscribed connection takes no other
 * commands). Commands fail at once while disconnected (no offline queue: a stale command replayed later would be
 * wrong, and nothing may wait on Redis) and time out after `timeoutMs`; node-redis reconnects by itself and
 * re-subscribes.
 */
export class RedisConnection {
  readonly #source: RedisSource;
  readonly #timeoutMs: number;
  #client: Promise<RedisClientLike> | undefined;
  #subscriber: Promise<RedisClientLike> | undefined;
  readonly #owned: RedisClientLike[] = [];
  /** The first connection of the command client: commands wait for it (up to the timeout), not after. */
  #firstConnect: Promise<unknown> | undefined;
  #closed = false;

  constructor(source: RedisSource, timeoutMs: number) {
    this.#source = source;
    this.#timeoutMs = timeoutMs;
  }

  /** Sends one command (commands sent in the same tick are pipelined by node-redis). */
  async command(args: string[]): Promise<unknown> {
    const client = await this.#commands();
    if (this.#firstConnect) await this.#timed(this.#firstConnect);
    return this.#timed(client.sendCommand(args));
  }

  /** Subscribes `listener` to `channel`; resolves the unsubscribe function once subscribed. */
  async subscribe(channel: string, listener: (message: string) => void): Promise<() => void> {
    this.#subscriber ??= this.#commands().then((client) => this.#open(client.duplicate()));
    const subscriber = await this.#subscriber;
    await this.#timed(subscriber.subscribe(channel, listener));
    return () => {
      subscriber.unsubscribe(channel, listener).catch(() => undefined);
    };
  }

  /** Closes the connections this fleet opened (an injected client stays open: its owner closes it). */
  close(): void {
    this.#closed = true;
    for (const client of this.#owned.splice(0)) client.destroy();
  }

  #commands(): Promise<RedisClientLike> {
    if (this.#closed) return Promise.reject(new ProviderUnavailableError('the Redis fleet is closed'));
    this.#client ??=
      'client' in this.#source
        ? Promise.resolve(this.#source.client)
        : loadRedis().then((redis) =>
            this.#open(
              redis.createClient({
                url: (this.#source as { url: string }).url,
                disableOfflineQueue: true,
                socket: {
                  connectTimeout: this.#timeoutMs,
                  reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 5), 1_000),
                },
              }),
            ),
          );
    return this.#client;
  }

  /** Starts connecting a client this fleet owns (its first commands fail fast until it is up). */
  #open(client: RedisClientLike): RedisClientLike {
    this.#owned.push(client);
    // Failures surface as failed commands; an unhandled 'error' event would crash the process.
    client.on('error', () => undefined);
    if (this.#closed) {
      client.destroy();
    } else if (!client.isOpen) {
      const connected = client.connect().then(() => {
        if (this.#firstConnect === connected) this.#firstConnect = undefined;
      });
      connected.catch(() => undefined);
      this.#firstConnect ??= connected;
    }
    return client;
  }

  #timed<T>(work: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new TimeoutError(`Redis did not answer within ${this.#timeoutMs} ms`)),
        this.#timeoutMs,
      );
    });
    work.catch(() => undefined);
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }
}
