/**
 * Best-effort masking of secret values in a child's output. Works on bytes (latin1 strings map bytes 1:1), holds
 * back the end of a chunk that could be the start of a value until the next chunk shows whether it is, so a value
 * split across two writes is still masked. Values shorter than {@link MIN_MASKED_LENGTH} bytes are not masked
 * (they would hide ordinary text); a value transformed by the child (encoded, sliced) is not recognised.
 * @module
 */
import { Transform, type TransformCallback } from 'node:stream';

/** What replaces a value. */
export const MASK = '<redacted>';
/** Shorter values are left alone. */
export const MIN_MASKED_LENGTH = 4;

/** A stream that replaces every occurrence of `values` with {@link MASK}. */
export class Masker extends Transform {
  #values: string[];
  #pending = '';

  constructor(values: Iterable<string>) {
    super();
    this.#values = [];
    this.setValues(values);
  }

  /** Replaces the values to mask (after a rotation both old and new may be given). */
  setValues(values: Iterable<string>): void {
    const unique = new Set<string>();
    for (const value of values) {
      const bytes = Buffer.from(value, 'utf8').toString('latin1');
      if (bytes.length >= MIN_MASKED_LENGTH) unique.add(bytes);
    }
    this.#values = [...unique].sort((a, b) => b.length - a.length);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const text = this.#pending + chunk.toString('latin1');
    const masked = this.#mask(text);
    const keep = this.#partialSuffix(masked);
    this.#pending = masked.slice(masked.length - keep);
    const out = masked.slice(0, masked.length - keep);
    done(null, out.length > 0 ? Buffer.from(out, 'latin1') : undefined);
  }

  override _flush(done: TransformCallback): void {
    const rest = this.#pending;
    this.#pending = '';
    done(null, rest.length > 0 ? Buffer.from(rest, 'latin1') : undefined);
  }

  #mask(text: string): string {
    let out = text;
    for (const value of this.#values) if (out.includes(value)) out = out.split(value).join(MASK);
    return out;
  }

  /** The length of the longest end of `text` that is a proper prefix of a value. */
  #partialSuffix(text: string): number {
    let longest = 0;
    for (const value of this.#values) {
      for (let length = Math.min(value.length - 1, text.length); length > longest; length--) {
        if (text.endsWith(value.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
