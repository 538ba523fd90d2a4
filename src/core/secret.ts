import type { SecretRef } from './ref.js';

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What a secret holds: text, bytes, or (after a JSON transform or key path) parsed JSON. */
export type SecretValue = string | Uint8Array | JsonValue;

/** What is known about a secret without its value: what listings yield and what `set` returns. */
export interface SecretInfo {
  /** The ref of this secret (with the version that was asked for, if any). */
  readonly ref: SecretRef;
  /** The secret's name in its provider. */
  readonly name: string;
  /** The backend's version id of this value (SSM version number, Secrets Manager VersionId, Key Vault version…). */
  readonly version: string | undefined;
  /** The MIME type, when the backend stores one (Key Vault contentType, Secret Service content type). */
  readonly contentType: string | undefined;
  /** When the secret (or this version) was created. */
  readonly createdAt: Date | undefined;
  /** When the secret was last changed. */
  readonly updatedAt: Date | undefined;
  /** Tags (Key Vault, AWS) or attributes (Secret Service). */
  readonly tags: Readonly<Record<string, string>>;
  /** Backend-specific facts (SSM type, Secrets Manager stages, Key Vault enabled/expiry…). Never a value. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** The fields to build a {@link Secret} or a {@link SecretInfo} from; only `ref` and `name` are required. */
export interface SecretInfoInit {
  ref: SecretRef;
  name: string;
  version?: string | undefined;
  contentType?: string | undefined;
  createdAt?: Date | undefined;
  updatedAt?: Date | undefined;
  tags?: Readonly<Record<string, string>> | undefined;
  metadata?: Readonly<Record<string, unknown>> | undefined;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

const NO_FIELDS: Readonly<Record<string, never>> = Object.freeze({});

/**
 * `fields` frozen: a frozen shallow copy, or `fields` itself when it is already frozen (or a shared empty object when
 * absent). Every secret a provider reads goes through this, so it copies only what could still change.
 */
function frozenFields<V>(fields: Readonly<Record<string, V>> | undefined): Readonly<Record<string, V>> {
  if (fields === undefined) return NO_FIELDS;
  return Object.isFrozen(fields) ? fields : Object.freeze({ ...fields });
}

/** Metadata strings up to this length are shared through {@link sharedText}. */
const SHARED_TEXT_LENGTH = 32;
/** How many distinct strings {@link sharedText} keeps; past that, new ones are not shared. */
const SHARED_TEXT_MAX = 1024;
const sharedTexts = new Map<string, string>();

/**
 * One copy of a short metadata string. Providers' metadata repeats a few words across every secret (SSM types and
 * data types, stages, tiers), and each answer parsed from JSON is a new string: without this, each cached secret
 * keeps its own copy of them.
 */
function sharedText(text: string): string {
  if (text.length > SHARED_TEXT_LENGTH) return text;
  const known = sharedTexts.get(text);
  if (known !== undefined) return known;
  if (sharedTexts.size < SHARED_TEXT_MAX) sharedTexts.set(text, text);
  return text;
}

/** Like {@link frozenFields}, its short string values shared through {@link sharedText}. */
function frozenMetadata(fields: Readonly<Record<string, unknown>> | undefined): Readonly<Record<string, unknown>> {
  if (fields === undefined) return NO_FIELDS;
  if (Object.isFrozen(fields)) return fields;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    copy[key] = typeof value === 'string' ? sharedText(value) : value;
  }
  return Object.freeze(copy);
}

/** Builds a frozen {@link SecretInfo} with defaults for the optional fields. */
export function secretInfo(init: SecretInfoInit): SecretInfo {
  return Object.freeze({
    ref: init.ref,
    name: init.name,
    version: init.version,
    contentType: init.contentType,
    createdAt: init.createdAt,
    updatedAt: init.updatedAt,
    tags: frozenFields(init.tags),
    metadata: frozenMetadata(init.metadata),
  });
}

/** What is known about a secret as a JSON document (dates as ISO strings, the ref as its text): never a value. */
export function secretInfoJSON(info: SecretInfo): Record<string, unknown> {
  return {
    ref: info.ref.text,
    name: info.name,
    version: info.version,
    contentType: info.contentType,
    createdAt: info.createdAt?.toISOString(),
    updatedAt: info.updatedAt?.toISOString(),
    tags: info.tags,
    metadata: info.metadata,
  };
}

/**
 * A secret value with what is known about it. The value is read only through `.value`: `toString`, `toJSON`,
 * `util.inspect`, object spread and `Object.keys` never show it.
 */
export class Secret<T extends SecretValue = SecretValue> implements SecretInfo {
  readonly ref: SecretRef;
  readonly name: string;
  readonly version: string | undefined;
  readonly contentType: string | undefined;
  readonly createdAt: Date | undefined;
  readonly updatedAt: Date | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly metadata: Readonly<Record<string, unknown>>;
  /**
   * True when this is a last value served from the cache because the backend could not confirm it: a refresh
   * failed (stale-on-error), or the ref is watched and its watch's checks are failing (an outage), so a newer
   * version may exist.
   */
  readonly stale: boolean;
  readonly #value: T;

  constructor(init: SecretInfoInit, value: T, stale = false) {
    this.ref = init.ref;
    // The ref's copy when they are equal: a provider's name comes from its answer, a string of its own per secret.
    this.name = init.name === init.ref?.name ? init.ref.name : init.name;
    this.version = init.version;
    this.contentType = init.contentType;
    this.createdAt = init.createdAt;
    this.updatedAt = init.updatedAt;
    this.tags = frozenFields(init.tags);
    this.metadata = frozenMetadata(init.metadata);
    this.stale = stale;
    this.#value = value;
    Object.freeze(this);
  }

  /** The secret value. */
  get value(): T {
    return this.#value;
  }

  /** The same secret with another value (used by transforms). */
  withValue<U extends SecretValue>(value: U, ref: SecretRef = this.ref): Secret<U> {
    return new Secret<U>({ ...this.info(), ref }, value, this.stale);
  }

  /** The same secret marked stale or fresh. */
  withStale(stale: boolean): Secret<T> {
    return stale === this.stale ? this : new Secret<T>(this.info(), this.#value, stale);
  }

  /** What is known about this secret, without the value. */
  info(): SecretInfo {
    return secretInfo(this);
  }

  /** `Secret(scheme:name@version)`: never the value. */
  toString(): string {
    return `Secret(${this.ref.scheme}:${this.name}${this.version === undefined ? '' : `@${this.version}`})`;
  }

  /** The info fields with the value replaced by `'[redacted]'`. */
  toJSON(): Record<string, unknown> {
    return { ...secretInfoJSON(this), stale: this.stale, value: '[redacted]' };
  }

  [INSPECT](): string {
    return `${this.toString().slice(0, -1)} value=[redacted]${this.stale ? ' stale' : ''})`;
  }
}

/** Whether a value is a {@link Secret} (as opposed to a bare {@link SecretInfo}). */
export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret;
}
