import type { Observable, Subscription } from 'rxjs';
import { abortableDelay, fromAbortable } from '../../src/core/abortable.js';
import type { CacheEvent } from '../../src/core/cache/index.js';
import type { SecretCache } from '../../src/core/cache/secret-cache.js';
import { makeRef } from '../../src/core/ref.js';
import { Secret, type SecretValue } from '../../src/core/secret.js';

/** A fixed start, far from 0 (lru-cache treats a start time of 0 as "no ttl"). */
export const T0 = Date.UTC(2026, 0, 1);

/** A secret `memory:<name>` at a version. */
export function secretOf(name: string, value: SecretValue, version = '1'): Secret {
  return new Secret({ ref: makeRef('memory', name), name, version }, value);
}

/** A scripted backend: each call takes `latencyMs` (fake time) and returns the next answer, or throws it. */
export class ScriptedFetch {
  readonly signals: AbortSignal[] = [];
  readonly #answers: Array<SecretValue | Error>;
  readonly #name: string;
  readonly #latencyMs: number;
  #version = 0;

  constructor(name: string, answers: Array<SecretValue | Error>, latencyMs = 100) {
    this.#name = name;
    this.#answers = [...answers];
    this.#latencyMs = latencyMs;
  }

  /** How many backend calls started. */
  get calls(): number {
    return this.signals.length;
  }

  /** The `fetch` to hand to `SecretCache.read`. */
  readonly fetch = (): Observable<Secret> =>
    fromAbortable(async (signal) => {
      this.signals.push(signal);
      const answer = this.#answers.length > 1 ? this.#answers.shift() : this.#answers[0];
      await abortableDelay(this.#latencyMs, signal);
      if (answer instanceof Error) throw answer;
      this.#version += 1;
      return secretOf(this.#name, answer as SecretValue, String(this.#version));
    });
}

/** Records every event of a cache. */
export function recordEvents(cache: SecretCache): CacheEvent[] {
  const events: CacheEvent[] = [];
  cache.events.subscribe((event) => events.push(event));
  return events;
}

/** The types of the events of `key` (or of all keys), in order. */
export function typesOf(events: readonly CacheEvent[], key?: string): string[] {
  return events.filter((event) => key === undefined || event.key === key).map((event) => event.type);
}

/** The number of events of `type`. */
export function countOf(events: readonly CacheEvent[], type: CacheEvent['type']): number {
  return events.filter((event) => event.type === type).length;
}

/** A subscription to a read, with what it received so far. */
export interface Probe {
  readonly values: Secret[];
  error: unknown;
  done: boolean;
  readonly subscription: Subscription;
}

/** Subscribes to `source` and records what it emits. */
export function probe(source: Observable<Secret>): Probe {
  const values: Secret[] = [];
  const result = { values, error: undefined as unknown, done: false } as Probe;
  const subscription = source.subscribe({
    next: (value) => values.push(value),
    error: (error: unknown) => {
      result.error = error;
      result.done = true;
    },
    complete: () => {
      result.done = true;
    },
  });
  return Object.assign(result, { subscription });
}
