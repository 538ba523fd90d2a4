import { map, type Observable } from 'rxjs';
import {
  abortableDelay,
  anyObject,
  bool,
  type CallContext,
  type ChangeHint,
  ConflictError,
  checkOptions,
  type Duration,
  duration,
  either,
  func,
  InvalidSecretRefError,
  type ListOptions,
  makeRef,
  num,
  type OptionSpec,
  type Page,
  type ProbeResult,
  type ProviderCapabilities,
  ProviderUnavailableError,
  Secret,
  type SecretInfo,
  SecretNotFoundError,
  type SecretProvider,
  type SecretRef,
  type SecretValue,
  type SetOptions,
  secretInfo,
  str,
  toMilliseconds,
  ValidationError,
} from '../../provider-kit/index.js';
import { emptyMemoryStats, type MemoryStats } from './memory-stats.js';
import { type MemoryStore, type MemoryVersion, MemoryStore as Store } from './memory-store.js';

/** Options of {@link memoryProvider}. */
export interface MemoryProviderOptions {
  /** The ref scheme. Default `'memory'`; register two memory providers under different schemes to test routing. */
  readonly scheme?: string;
  /** Secrets present at start: name → value (objects are stored as JSON text). */
  readonly secrets?: Readonly<Record<string, SecretValue>>;
  /** Items per listing page. Default 100. */
  readonly pageSize?: number;
  /** Latency of every backend operation: a duration, or a function returning milliseconds. Default 0. */
  readonly latency?: Duration | (() => number);
  /** Probability in [0, 1] that an operation fails with a transient ProviderUnavailableError. Default 0. */
  readonly failureRate?: number;
  /** Random source for injected failures, for deterministic tests. Default `Math.random`. */
  readonly random?: () => number;
  /** Most refs per getMany / probe call. Default 20. */
  readonly batchSize?: number;
  /** Push changes through a change feed (like D-Bus signals) instead of being polled. Default false. */
  readonly pushChanges?: boolean;
  /** Poll interval of watches that name none. Default `'1s'`. */
  readonly pollInterval?: Duration;
  /** Largest value accepted, in bytes. Default 64 KiB. */
  readonly maxValueBytes?: number;
}

/** A memory provider, with its backend and counters exposed for tests and benchmarks. */
export interface MemoryProvider extends SecretProvider {
  /** Backend operations served, by kind. */
  readonly stats: MemoryStats;
  /** The backend: writes here bypass latency, failures and stats, as another process's would. */
  readonly store: MemoryStore;
  /** Zeroes {@link MemoryProvider.stats}. */
  resetStats(): void;
}

const NAME_MAX = 512;

const MEMORY_OPTIONS_SPEC: OptionSpec = {
  rules: {
    scheme: str({ nonEmpty: true }),
    secrets: anyObject,
    pageSize: num({ integer: true, min: 1 }),
    latency: either('a duration or a function', duration, func),
    failureRate: num({ min: 0, max: 1 }),
    random: func,
    batchSize: num({ integer: true, min: 1 }),
    pushChanges: bool,
    pollInterval: duration,
    maxValueBytes: num({ integer: true, min: 1 }),
  },
  aliases: { interval: 'pollInterval', initial: 'secrets' },
};

class MemoryProviderImpl implements MemoryProvider {
  readonly scheme: string;
  readonly capabilities: ProviderCapabilities;
  readonly stats: MemoryStats = emptyMemoryStats();
  readonly store: MemoryStore = new Store();
  private readonly pageSizeSetting: number;
  private readonly latencySetting: () => number;
  private readonly failureRateSetting: number;
  private readonly randomSetting: () => number;
  private readonly pushChangesSetting: boolean;
  private readonly maxValueBytesSetting: number;

  constructor(options: MemoryProviderOptions) {
    checkOptions('memoryProvider', options, MEMORY_OPTIONS_SPEC);
    this.scheme = options.scheme ?? 'memory';
    const batch = options.batchSize ?? 20;
    this.pushChangesSetting = options.pushChanges ?? false;
    this.capabilities = {
      maxBatchGet: batch,
      maxBatchProbe: batch,
      maxConcurrency: 8,
      changeDetection: this.pushChangesSetting ? 'push' : 'poll',
      defaultPollInterval: options.pollInterval ?? '1s',
    };
    this.pageSizeSetting = options.pageSize ?? 100;
    const latency = options.latency ?? 0;
    const fixed = typeof latency === 'function' ? 0 : toMilliseconds(latency, 'latency');
    this.latencySetting = typeof latency === 'function' ? latency : () => fixed;
    this.failureRateSetting = options.failureRate ?? 0;
    if (!(this.failureRateSetting >= 0 && this.failureRateSetting <= 1))
      throw new ValidationError('failureRate must be in [0, 1]');
    this.randomSetting = options.random ?? Math.random;
    this.maxValueBytesSetting = options.maxValueBytes ?? 64 * 1024;
    for (const [name, value] of Object.entries(options.secrets ?? {})) {
      this.store.put(name, typeof value === 'string' || value instanceof Uint8Array ? value : JSON.stringify(value), {
        contentType: typeof value === 'string' || value instanceof Uint8Array ? undefined : 'application/json',
      });
    }
  }

  resetStats(): void {
    Object.assign(this.stats, emptyMemoryStats());
  }

  validateRef(ref: SecretRef): void {
    if (ref.name.length > NAME_MAX) {
      throw new InvalidSecretRefError(`memory names are at most ${NAME_MAX} characters`, { ref: ref.text });
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    if (/[\u0000-\u001f\u007f]/.test(ref.name)) {
      throw new InvalidSecretRefError('memory names cannot contain control characters', { ref: ref.text });
    }
  }

  async get(ref: SecretRef, ctx: CallContext): Promise<Secret> {
    await this.operation('get', ctx);
    return this.read(ref);
  }

  async getMany(refs: readonly SecretRef[], ctx: CallContext): Promise<ReadonlyArray<Secret | Error>> {
    await this.operation('getMany', ctx);
    return refs.map((ref) => {
      try {
        return this.read(ref);
      } catch (error) {
        return error as Error;
      }
    });
  }

  async listPage(
    prefix: SecretRef,
    options: ListOptions,
    cursor: string | undefined,
    ctx: CallContext,
  ): Promise<Page<SecretInfo>> {
    await this.operation('listPage', ctx);
    const size = Math.max(1, Math.min(options.pageSize ?? this.pageSizeSetting, 1000));
    const oneLevel = (name: string) => options.recursive === true || !name.slice(prefix.name.length).includes('/');
    // The cursor is the last name returned, so writes between pages neither skip nor repeat names.
    const names = this.store.namesAfter(prefix.name, cursor, size + 1, oneLevel);
    const items = names.slice(0, size).map((name) => this.info(name, this.store.read(name)!));
    const next = names.length > size ? names[size - 1] : undefined;
    return { items, next };
  }

  async set(ref: SecretRef, value: string | Uint8Array, options: SetOptions, ctx: CallContext): Promise<SecretInfo> {
    const size = typeof value === 'string' ? Buffer.byteLength(value) : value.byteLength;
    if (size > this.maxValueBytesSetting) {
      throw new ValidationError(`the value is over the ${this.maxValueBytesSetting}-byte limit`, {
        ref: ref.text,
      });
    }
    if (ref.version !== undefined) {
      throw new InvalidSecretRefError('a write cannot name a version: the store assigns one', { ref: ref.text });
    }
    await this.operation('set', ctx);
    if (options.ifNotExists === true && this.store.has(ref.name)) {
      throw new ConflictError(`${ref.text} already exists`, { ref: ref.text, provider: this.scheme });
    }
    const written = this.store.put(ref.name, value, { contentType: options.contentType, tags: options.tags });
    return this.info(ref.name, written);
  }

  async delete(ref: SecretRef, _options: unknown, ctx: CallContext): Promise<void> {
    await this.operation('delete', ctx);
    if (!this.store.remove(ref.name)) throw this.notFound(ref);
  }

  async probe(refs: readonly SecretRef[], ctx: CallContext): Promise<readonly ProbeResult[]> {
    await this.operation('probe', ctx);
    return refs.map((ref) => {
      const found = this.store.read(ref.name, ref.version);
      return found ? { version: found.version } : { error: this.notFound(ref) };
    });
  }

  changes(): Observable<ChangeHint> {
    return this.store.changes.pipe(map((name) => ({ names: [name] })));
  }

  private read(ref: SecretRef): Secret {
    const found = this.store.read(ref.name, ref.version);
    if (!found) throw this.notFound(ref);
    return new Secret({ ...this.info(ref.name, found), ref }, found.value);
  }

  private info(name: string, version: MemoryVersion): SecretInfo {
    const first = this.store.read(name, '1');
    return secretInfo({
      ref: makeRef(this.scheme, name, version.version),
      name,
      version: version.version,
      contentType: version.contentType,
      createdAt: first?.createdAt ?? version.createdAt,
      updatedAt: version.createdAt,
      tags: version.tags,
    });
  }

  private notFound(ref: SecretRef): SecretNotFoundError {
    const what = ref.version === undefined ? `${ref.scheme}:${ref.name}` : `version ${ref.version} of ${ref.name}`;
    return new SecretNotFoundError(`${what} does not exist`, {
      ref: ref.text,
      provider: this.scheme,
      ...(ref.version === undefined ? {} : { version: ref.version }),
    });
  }

  /** Counts the operation, waits the injected latency (abortably), and maybe fails it. */
  private async operation(kind: keyof MemoryStats, ctx: CallContext): Promise<void> {
    this.stats[kind] += 1;
    const delay = this.latencySetting();
    if (delay > 0) await abortableDelay(delay, ctx.signal);
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (this.failureRateSetting > 0 && this.randomSetting() < this.failureRateSetting) {
      throw new ProviderUnavailableError(`injected transient failure of memory ${kind}`, { provider: this.scheme });
    }
  }
}

/**
 * An in-process secret store with versions: the embedded default for examples, users' own unit tests and
 * benchmarks. It behaves like a remote backend (latency, transient failures, paging, version probes) on demand,
 * and counts every operation in `stats`.
 */
export function memoryProvider(options: MemoryProviderOptions = {}): MemoryProvider {
  const provider = new MemoryProviderImpl(options);
  if (options.pushChanges !== true) {
    // Without a change feed the engine must poll: hide the method so nothing subscribes to it.
    Object.defineProperty(provider, 'changes', { value: undefined });
  }
  return provider;
}
