/**
 * A one-line status on stderr (`ls: 3 pages, 120 items, 1.4s`), redrawn in place: only when stderr is a TTY and
 * not in CI, so logs and pipes never get it.
 * @module
 */

/** Whether a status line may be shown. */
export function statusLineEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return process.stderr.isTTY === true && !env.CI && env.TERM !== 'dumb';
}

/** A redrawable line on stderr; does nothing when disabled. */
export class StatusLine {
  readonly #enabled: boolean;
  #shown = false;

  constructor(enabled = statusLineEnabled()) {
    this.#enabled = enabled;
  }

  /** Shows `text` in place of the previous status. */
  update(text: string): void {
    if (!this.#enabled) return;
    process.stderr.write(`\r\x1b[2K${text}`);
    this.#shown = true;
  }

  /** Removes the line. */
  clear(): void {
    if (this.#enabled && this.#shown) process.stderr.write('\r\x1b[2K');
    this.#shown = false;
  }
}
