/**
 * Writing results to stdout: waits for each write (so a slow reader slows paging down) and notices a closed
 * stdout (EPIPE, `| head -1`), after which writes are dropped and `closed` is true.
 * @module
 */
import { fstatSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';

/** The pauses of {@link Output.writeAndProbe} before each of the last bytes it holds back (42 ms in all). */
export const PROBE_PAUSES_MS: readonly number[] = [2, 8, 32];

/** Whether `stream` writes to a pipe or a socket (whose reader can go away), not a TTY or a file. */
function isPipe(stream: Writable): boolean {
  const fd = (stream as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return false;
  try {
    const stat = fstatSync(fd);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

/** A result stream that stops quietly when its reader goes away. */
export class Output {
  #closed = false;
  readonly #stream: Writable;
  readonly #pipe: boolean;

  constructor(stream: Writable = process.stdout) {
    this.#stream = stream;
    this.#pipe = isPipe(stream);
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.#closed = true;
      else throw error;
    });
  }

  /** Whether the reader went away (later writes are dropped). */
  get closed(): boolean {
    return this.#closed || this.#stream.destroyed;
  }

  /** Writes `data`; resolves once it was handed to the OS, or at once if the reader is gone. */
  write(data: string | Uint8Array): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#stream.write(data, (error) => {
        if (error) this.#closed = true;
        resolve();
      });
    });
  }

  /**
   * Writes `data`, then finds out whether the reader is still there, so that a caller about to fetch more (the
   * next page of `ls`) can stop when the reader took what it wanted and left (`| head -1`). A pipe tells its writer
   * that the reader is gone only when the writer writes again, and the reader needs a moment to read and exit: so
   * the last bytes of `data` are held back and written one at a time after short pauses ({@link PROBE_PAUSES_MS}),
   * and the first write that finds the reader gone (EPIPE) sets `closed`. The reader gets the same bytes. On a TTY
   * or a file this is {@link write}.
   */
  async writeAndProbe(data: string): Promise<void> {
    const bytes = Buffer.from(data);
    const held = this.#pipe ? Math.min(PROBE_PAUSES_MS.length, bytes.length - 1) : 0;
    if (held <= 0) return this.write(bytes);
    await this.write(bytes.subarray(0, bytes.length - held));
    for (let index = bytes.length - held, pause = 0; index < bytes.length; index++, pause++) {
      await delay(PROBE_PAUSES_MS[pause]);
      if (this.closed) return;
      await this.write(bytes.subarray(index, index + 1));
    }
  }

  /** Writes one line. */
  line(text: string): Promise<void> {
    return this.write(`${text}\n`);
  }

  /** Writes one JSON document on its own line. */
  json(value: unknown): Promise<void> {
    return this.line(JSON.stringify(value));
  }
}
