import test from 'ava';
import { ProviderUnavailableError, ThrottledError } from '../../src/core/errors/index.js';
import { backoffDelay } from '../../src/core/watch/index.js';

const policy = (random: number) => ({ minMs: 1000, maxMs: 60_000, random: () => random });

test('backoff doubles per failure, half fixed and half jitter', (t) => {
  t.deepEqual(
    [1, 2, 3, 4].map((n) => backoffDelay(n, policy(0))),
    [500, 1000, 2000, 4000],
  );
  t.deepEqual(
    [1, 2, 3, 4].map((n) => backoffDelay(n, policy(0.5))),
    [750, 1500, 3000, 6000],
  );
  t.deepEqual(
    [1, 2, 3, 4].map((n) => backoffDelay(n, policy(0.999_999))),
    [1000, 2000, 4000, 8000],
  );
});

test('backoff is capped at maxMs, even after very many failures', (t) => {
  t.is(backoffDelay(7, policy(0.999_999)), 60_000);
  t.is(backoffDelay(10_000, policy(0.999_999)), 60_000);
  t.is(backoffDelay(10_000, policy(0)), 30_000);
});

test("a throttled error's retry-after is a floor, within the cap", (t) => {
  const transient = new ProviderUnavailableError('down');
  t.is(backoffDelay(1, policy(0), transient), 500);
  t.is(backoffDelay(1, policy(0), new ThrottledError('slow', { retryAfterMs: 7000 })), 7000);
  t.is(backoffDelay(1, policy(0), new ThrottledError('slow', { retryAfterMs: 600_000 })), 60_000);
  t.is(backoffDelay(8, policy(0), new ThrottledError('slow', { retryAfterMs: 10 })), 30_000);
});
