/**
 * Writing results to stdout: waits for each write (so a slow reader slows paging down) and notices a closed
 * stdout (EPIPE, `| head -1`), after which writes are dropped and `closed` is true.
 * @module
 */
import type { Writable } from 'node:stream';

/** A result stream that stops quietly when its reader goes away. */
export class Output {
  #closed = false;
  readonly #stream: Writable;

  constructor(stream: Writable = process.stdout) {
    this.#stream = stream;
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

  /** Writes one line. */
  line(text: string): Promise<void> {
    return this.write(`${text}\n`);
  }

  /** Writes one JSON document on its own line. */
  json(value: unknown): Promise<void> {
    return this.line(JSON.stringify(value));
  }
}
