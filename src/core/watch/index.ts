export { type BackoffPolicy, backoffDelay } from './backoff.js';
export { WatchEngine, type WatchEngineOptions } from './watch-engine.js';
export type { WatchEvent, WatchStatus } from './watch-event.js';
export type { WatchOptions } from './watch-options.js';
export type { WatchCall } from './watch-scheduler.js';
