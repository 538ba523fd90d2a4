import { Subject } from 'rxjs';

/** One stored version of a memory secret. */
export interface MemoryVersion {
  readonly version: string;
  readonly value: string | Uint8Array;
  readonly contentType: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly createdAt: Date;
}

/** Options of {@link MemoryStore.put}. */
export interface MemoryPutOptions {
  readonly contentType?: string | undefined;
  readonly tags?: Readonly<Record<string, string>> | undefined;
}

/**
 * The "backend" behind a memory provider: named secrets, each a list of versions numbered from 1. Writing here
 * directly is what another process would do: it bypasses the provider's latency, injected failures and stats.
 */
export class MemoryStore {
  readonly #secrets = new Map<string, MemoryVersion[]>();
  readonly #changes = new Subject<string>();
  #sorted: string[] | undefined;
  /** Names written or removed, as they happen. */
  readonly changes = this.#changes.asObservable();

  /** Writes a new version (version 1 for a new name) and returns it. */
  put(name: string, value: string | Uint8Array, options: MemoryPutOptions = {}): MemoryVersion {
    const versions = this.#secrets.get(name) ?? [];
    const previous = versions.at(-1);
    const entry: MemoryVersion = Object.freeze({
      version: String(versions.length + 1),
      value: typeof value === 'string' ? value : new Uint8Array(value),
      contentType: options.contentType ?? previous?.contentType,
      tags: Object.freeze({ ...(options.tags ?? previous?.tags ?? {}) }),
      createdAt: new Date(),
    });
    versions.push(entry);
    if (versions.length === 1) this.#sorted = undefined;
    this.#secrets.set(name, versions);
    this.#changes.next(name);
    return entry;
  }

  /** Removes a secret with all its versions; returns whether it existed. */
  remove(name: string): boolean {
    const existed = this.#secrets.delete(name);
    if (existed) {
      this.#sorted = undefined;
      this.#changes.next(name);
    }
    return existed;
  }

  /** The current version, or the named one; undefined when missing. */
  read(name: string, version?: string): MemoryVersion | undefined {
    const versions = this.#secrets.get(name);
    if (!versions) return undefined;
    return version === undefined ? versions.at(-1) : versions.find((v) => v.version === version);
  }

  /** All versions of a secret, oldest first. */
  versions(name: string): readonly MemoryVersion[] {
    return [...(this.#secrets.get(name) ?? [])];
  }

  /** Whether a secret exists. */
  has(name: string): boolean {
    return this.#secrets.has(name);
  }

  /** Every name, sorted (a shared, read-only array: do not mutate it). */
  names(): readonly string[] {
    this.#sorted ??= [...this.#secrets.keys()].sort();
    return this.#sorted;
  }

  /** The sorted names that start with `prefix` and come after `after`, at most `limit` of those `accept` keeps. */
  namesAfter(prefix: string, after: string | undefined, limit: number, accept: (name: string) => boolean): string[] {
    const names = this.names();
    const from = after === undefined ? prefix : after;
    let low = 0;
    let high = names.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const name = names[mid] as string;
      if (name < from || (after !== undefined && name === after)) low = mid + 1;
      else high = mid;
    }
    const out: string[] = [];
    for (let i = low; i < names.length && out.length < limit; i++) {
      const name = names[i] as string;
      if (!name.startsWith(prefix)) break;
      if (accept(name)) out.push(name);
    }
    return out;
  }

  /** How many secrets are stored. */
  get size(): number {
    return this.#secrets.size;
  }

  /** Removes everything. */
  clear(): void {
    const names = [...this.#secrets.keys()];
    this.#secrets.clear();
    this.#sorted = undefined;
    for (const name of names) this.#changes.next(name);
  }
}
