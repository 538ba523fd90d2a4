import { toMilliseconds } from '../durations.js';
import { decodeEntries, encodeEntries, type PersistedEntry } from './cache-entry-codec.js';
import type { CacheEvent } from './cache-event.js';
import { fileErrorReason, readPrivateFile, writeFileAtomic } from './cache-file.js';
import { openCacheFile, sealCacheFile } from './cache-file-format.js';
import type { PersistOptions } from './cache-options.js';
import { parsePersistKey } from './persist-key.js';

/**
 * The encrypted file behind a cache: debounced, serialised, atomic writes of a snapshot, and a load that rejects
 * a tampered, foreign or corrupt file. Neither ever throws: failures are reported as cache events.
 */
export class CachePersistence {
  readonly #path: string;
  readonly #key: Buffer;
  readonly #flushDelayMs: number;
  readonly #snapshot: () => Iterable<PersistedEntry>;
  readonly #report: (event: CacheEvent) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #writing: Promise<void> = Promise.resolve();
  #closed = false;

  /** Validates the key and delay (throwing a ValidationError); `snapshot` yields the entries to write. */
  constructor(options: PersistOptions, snapshot: () => Iterable<PersistedEntry>, report: (event: CacheEvent) => void) {
    this.#path = options.path;
    this.#key = parsePersistKey(options.key);
    this.#flushDelayMs = toMilliseconds(options.flushDelay ?? '1s', 'cache.persist.flushDelay');
    this.#snapshot = snapshot;
    this.#report = report;
  }

  /** Schedules a write after the flush delay, unless one is already scheduled or the cache closed. */
  schedule(): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, this.#flushDelayMs);
    this.#timer.unref?.();
  }

  /** Cancels a scheduled write. */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Writes a snapshot now (after any write in progress). Never rejects: a failure is a `persist-error` event. */
  flush(): Promise<void> {
    this.cancel();
    this.#writing = this.#writing.then(async () => {
      try {
        const plaintext = encodeEntries(this.#snapshot());
        try {
          await writeFileAtomic(this.#path, sealCacheFile(plaintext, this.#key));
        } finally {
          plaintext.fill(0);
        }
      } catch (error) {
        this.#report({ type: 'persist-error', key: '', reason: fileErrorReason(error) });
      }
    });
    return this.#writing;
  }

  /** Writes a last snapshot; nothing is scheduled after this. */
  close(): Promise<void> {
    this.#closed = true;
    return this.flush();
  }

  /** Reads the file: its entries, or none when it is absent, unreadable or rejected (each reported). */
  async load(): Promise<PersistedEntry[]> {
    let bytes: Buffer | undefined;
    try {
      bytes = await readPrivateFile(this.#path);
    } catch (error) {
      this.#report({ type: 'persist-error', key: '', reason: fileErrorReason(error) });
      return [];
    }
    if (bytes === undefined) return [];
    const opened = openCacheFile(bytes, this.#key);
    if (!opened.ok) {
      this.#report({ type: 'persist-rejected', key: '', reason: opened.reason });
      return [];
    }
    try {
      return decodeEntries(opened.plaintext);
    } catch {
      // a CorruptCacheDocument, or anything else an authenticated but unexpected document makes fail
      this.#report({ type: 'persist-rejected', key: '', reason: 'corrupt' });
      return [];
    } finally {
      opened.plaintext.fill(0);
    }
  }
}
