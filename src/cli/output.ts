/**
 * Writing results to stdout: waits for each write (so a slow reader slows paging down) and notices a closed
 * stdout (EPIPE, `| head -1`), after which writes are dropped and `closed` is true.
 * @module
 */
import { fstatSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { readerSettled } from './pipe-reader.js';

/** The descriptor of `stream` when it writes to a pipe (whose reader can go away), not a TTY, file or socket. */
function pipeDescriptor(stream: Writable): number | undefined {
  const fd = (stream as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return undefined;
  try {
    return fstatSync(fd).isFIFO() ? fd : undefined;
  } catch {
    return undefined;
  }
}

/** A result stream that stops quietly when its reader goes away. */
export class Output {
  #closed = false;
  readonly #stream: Writable;
  readonly #pipe: number | undefined;

  constructor(stream: Writable = process.stdout) {
    this.#stream = stream;
    this.#pipe = pipeDescriptor(stream);
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
   * the last byte of `data` is held back until the reader has taken the rest ({@link readerSettled}: it sleeps, or
   * it is gone), and writing it then sets `closed` if the reader left (EPIPE). The reader gets the same bytes. On a
   * TTY, a file or a socket this is {@link write}.
   */
  async writeAndProbe(data: string): Promise<void> {
    const bytes = Buffer.from(data);
    if (this.#pipe === undefined || bytes.length < 2) return this.write(bytes);
    await this.write(bytes.subarray(0, -1));
    if (this.closed) return;
    await readerSettled(this.#pipe);
    await this.write(bytes.subarray(-1));
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
