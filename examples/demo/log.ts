/** Prints one demo line. The demo never prints a secret value: only refs, versions and lengths. */
export const log = (...parts: unknown[]): void => console.log(...parts);

/** Milliseconds since `start`, rounded. */
export const since = (start: number): number => Math.round(performance.now() - start);
