import type { RedisClientLike } from './redis-connection.js';

/** The part of an ioredis client (`Redis` or `Cluster`, v5 or v6) the fleet uses. */
export interface IoredisLike {
  /** `'wait'` before a lazy client's first connect, `'ready'` when connected, `'end'` once closed. */
  readonly status: string;
  call(command: string, ...args: string[]): Promise<unknown>;
  duplicate(): IoredisLike;
  connect(): Promise<unknown>;
  subscribe(channel: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  disconnect(): void;
}

/** Whether `client` looks like an ioredis `Redis` or `Cluster` (node-redis clients have no `call` and `status`). */
export function isIoredis(client: unknown): client is IoredisLike {
  const candidate = client as Partial<IoredisLike> | null;
  return (
    typeof candidate?.call === 'function' &&
    typeof candidate.duplicate === 'function' &&
    typeof candidate.status === 'string'
  );
}

/**
 * An ioredis client seen through the node-redis surface the fleet is written against. ioredis routes each command to
 * its cluster node by the command's keys (a `Cluster` works as is: every fleet key shares one hash tag), and delivers
 * pub/sub messages as `'message'` events rather than per-channel listeners.
 */
export function fromIoredis(client: IoredisLike): RedisClientLike {
  const listeners = new Map<string, Set<(message: string) => void>>();
  let routed = false;
  return {
    get isOpen() {
      return client.status !== 'wait' && client.status !== 'end';
    },
    connect: () => client.connect(),
    sendCommand: ([command, ...args]) => client.call(command as string, ...args),
    duplicate: () => fromIoredis(client.duplicate()),
    async subscribe(channel, listener) {
      if (!routed) {
        routed = true;
        client.on('message', (from: string, message: string) => {
          for (const each of listeners.get(from) ?? []) each(message);
        });
      }
      const forChannel = listeners.get(channel) ?? new Set();
      listeners.set(channel, forChannel);
      forChannel.add(listener);
      await client.subscribe(channel);
    },
    async unsubscribe(channel, listener) {
      const forChannel = listeners.get(channel);
      forChannel?.delete(listener);
      if (forChannel?.size !== 0) return;
      listeners.delete(channel);
      await client.unsubscribe(channel);
    },
    on: (event, listener) => client.on(event, listener),
    destroy: () => client.disconnect(),
  };
}
