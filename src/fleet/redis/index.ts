/**
 * Fleet coordination over Redis or Valkey: `redisFleet` for the `fleet` option of `createSecrets`. Needs the
 * optional peer dependency `redis` (node-redis 5 or 6).
 *
 * @example
 * import { redisFleet } from 'rxsecrets/redis';
 * @packageDocumentation
 */
export { type RedisFleetOptions, redisFleet } from './redis-fleet.js';
