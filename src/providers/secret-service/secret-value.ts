const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A secret's bytes and content type as read from the Secret Service. The bytes are read only through `.value`:
 * `toString`, `toJSON`, `util.inspect`, spread and `Object.keys` never show them, so a stray log line cannot leak
 * them.
 */
export class SecretBytes {
  readonly #value: Uint8Array;
  /** The MIME type stored with the secret (`text/plain` for most clients). */
  readonly contentType: string;

  constructor(value: Uint8Array, contentType: string) {
    this.#value = value;
    this.contentType = contentType;
  }

  /** The secret bytes. */
  get value(): Uint8Array {
    return this.#value;
  }

  /** The bytes decoded as UTF-8. */
  text(): string {
    return Buffer.from(this.#value.buffer, this.#value.byteOffset, this.#value.byteLength).toString('utf8');
  }

  /** Overwrites the bytes with zeros (for callers done with the value). */
  wipe(): void {
    this.#value.fill(0);
  }

  /** A description without the bytes: content type and length. */
  toString(): string {
    return `SecretBytes(${this.contentType}, ${this.#value.byteLength} bytes)`;
  }

  /** JSON without the bytes: content type and length. */
  toJSON(): Record<string, unknown> {
    return { contentType: this.contentType, length: this.#value.byteLength };
  }

  /** `util.inspect` shows {@link toString}, never the bytes. */
  [INSPECT](): string {
    return this.toString();
  }
}

/** A value to store: bytes, or text stored as UTF-8. */
export type SecretInput = Uint8Array | string;

/** The bytes of a {@link SecretInput}. */
export function secretInputBytes(value: SecretInput): Uint8Array {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}
