import { ValidationError } from '../errors/index.js';
import { nested } from './check-options.js';
import {
  anything,
  bool,
  describeType,
  duration,
  either,
  func,
  num,
  type OptionSpec,
  observable,
  oneOf,
  signal,
  str,
  stringMap,
} from './option-rules.js';

/** The rules of {@link RetryOptions}; p-retry's names are hinted to ours. */
export const RETRY_SPEC: OptionSpec = {
  rules: {
    retries: num({ integer: true, min: 0, max: 100 }),
    minDelay: duration,
    maxDelay: duration,
    factor: num({ min: 1, max: 10 }),
    jitter: bool,
    attemptTimeout: duration,
    deadline: duration,
  },
  aliases: {
    minTimeout: 'minDelay',
    maxTimeout: 'maxDelay',
    randomize: 'jitter',
    maxRetryTime: 'deadline',
    timeout: 'attemptTimeout',
    attempts: 'retries',
  },
};

/** The rules of {@link PersistOptions}. */
const PERSIST_SPEC: OptionSpec = {
  rules: {
    path: str({ nonEmpty: true }),
    key: either('32 bytes, or their hex or base64 text', str({ nonEmpty: true }), (value, name) => {
      if (!(value instanceof Uint8Array)) throw new TypeError(name);
    }),
    flushDelay: duration,
  },
};

/** The rules of {@link CacheOptions}. */
export const CACHE_SPEC: OptionSpec = {
  rules: {
    enabled: bool,
    max: num({ integer: true, min: 1 }),
    ttl: duration,
    jitter: num({ min: 0, max: 0.999 }),
    refreshAhead: num({ above: 0, max: 1 }),
    staleIfError: duration,
    persist: nested(PERSIST_SPEC, 'cache.persist'),
    random: func,
  },
  aliases: { maxSize: 'max', size: 'max', maxAge: 'ttl', expiry: 'ttl' },
};

/** The rules of the client's watch defaults. */
export const WATCH_DEFAULTS_SPEC: OptionSpec = {
  rules: { interval: duration, minBackoff: duration, maxBackoff: duration },
  aliases: { pollInterval: 'interval' },
};

const TRANSFORM = oneOf(['none', 'json', 'binary', 'text', 'auto']);

/** What every operation accepts: a per-call AbortSignal and retry overrides. */
export const CALL_SPEC: OptionSpec = {
  rules: { signal, retry: nested(RETRY_SPEC, 'retry') },
  aliases: { abortSignal: 'signal', retries: 'retry' },
};

/** The rules of `get` / `getMany` options. */
export const GET_SPEC: OptionSpec = {
  rules: { ...CALL_SPEC.rules, fresh: bool, transform: TRANSFORM },
  aliases: { ...CALL_SPEC.aliases, noCache: 'fresh', force: 'fresh', decode: 'transform' },
};

/** The rules of a watch subscription's options. */
export const WATCH_SPEC: OptionSpec = {
  rules: { signal, interval: duration, trigger: observable, transform: TRANSFORM },
  aliases: { pollInterval: 'interval', abortSignal: 'signal' },
};

/** The rules every provider shares for `set` (providers add theirs). */
export const SET_SPEC: OptionSpec = {
  rules: {
    ...CALL_SPEC.rules,
    contentType: str({ nonEmpty: true }),
    tags: stringMap,
    ifNotExists: bool,
    clientToken: str({ nonEmpty: true }),
  },
  aliases: { ...CALL_SPEC.aliases, attributes: 'tags', overwrite: 'ifNotExists' },
};

/** The rules every provider shares for `delete`. */
export const DELETE_SPEC: OptionSpec = {
  rules: { ...CALL_SPEC.rules, force: bool, recoveryWindow: duration },
  aliases: { ...CALL_SPEC.aliases, forceDelete: 'force', recoveryWindowInDays: 'recoveryWindow' },
};

/** The rules every provider shares for a listing. */
export const LIST_SPEC: OptionSpec = {
  rules: {
    signal,
    recursive: bool,
    pageSize: num({ integer: true, min: 1, max: 1000 }),
    withValues: bool,
  },
  aliases: { maxResults: 'pageSize', limit: 'pageSize', abortSignal: 'signal' },
};

/** The rules of `createSecrets` options. */
export const CLIENT_SPEC: OptionSpec = {
  rules: {
    providers: anything, // checked one by one by the client
    cache: (value, name) => {
      if (value !== false) nested(CACHE_SPEC, 'cache')(value, name);
    },
    retry: nested(RETRY_SPEC, 'retry'),
    watch: nested(WATCH_DEFAULTS_SPEC, 'watch'),
    fleet: (value, name) => {
      const fleet = value as Record<string, unknown> | null;
      if (
        typeof fleet !== 'object' ||
        fleet === null ||
        typeof fleet.group !== 'function' ||
        typeof fleet.seal !== 'function' ||
        typeof fleet.close !== 'function' ||
        typeof fleet.leaseTtlMs !== 'number'
      ) {
        throw new ValidationError(
          `option '${name}' must be a Fleet (e.g. redisFleet({ url, namespace }) from 'rxsecrets/redis'); got ${describeType(value)}`,
        );
      }
    },
  },
  aliases: { provider: 'providers', retries: 'retry', caching: 'cache', coordination: 'fleet' },
};
