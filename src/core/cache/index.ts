export type { CacheEvent, CacheEventType } from './cache-event.js';
export type { CacheOptions, PersistOptions } from './cache-options.js';
export { type CacheReadOptions, SecretCache } from './secret-cache.js';
