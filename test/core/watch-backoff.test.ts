import test from 'ava';
import { ProviderUnavailableError, ThrottledError } from '../../src/core/errors/index.js';
import { backoffDelay } from '../../src/core/watch/index.js';

const policy = (random: number) => ({ minMs: 1000, maxMs: 60_000, random: () => random });

test('backoff doubles per failure; the jitter only stretches it, by up to a fifth', (t) => {
  t.deepEqual(
    [1, 2, 3, 4].map((n) => backoffDelay(n, policy(0))),
    [1000, 2000, 4000, 8000],
  );
  t.deepEqual(
    [1, 2, 3, 4].map((n) => backoffDelay(n, policy(0.5))),
    [1100, 2200, 4400, 8800],
  );
  t.deepEqual(
    [1, 2, 3, 4].map((n) => backoffDelay(n, policy(0.999_999))),
    [1200, 2400, 4800, 9600],
  );
});

test('backoff is capped (before jitter) at the cap given, else at maxMs, even after very many failures', (t) => {
  t.is(backoffDelay(7, policy(0)), 60_000);
  t.is(backoffDelay(10_000, policy(0)), 60_000);
  t.is(backoffDelay(10_000, policy(0.999_999)), 72_000);
  t.is(backoffDelay(10_000, policy(0), undefined, 5000), 5000, 'capped at the polled interval');
  t.is(backoffDelay(1, policy(0), undefined, 300), 300, 'an interval shorter than minMs caps the first retry too');
});

test("a throttled error's retry-after is a floor, within maxMs, whatever the interval cap", (t) => {
  const transient = new ProviderUnavailableError('down');
  t.is(backoffDelay(1, policy(0), transient), 1000);
  t.is(backoffDelay(1, policy(0), new ThrottledError('slow', { retryAfterMs: 7000 })), 7000);
  t.is(backoffDelay(1, policy(0), new ThrottledError('slow', { retryAfterMs: 7000 }), 1000), 7000);
  t.is(backoffDelay(1, policy(0), new ThrottledError('slow', { retryAfterMs: 600_000 })), 60_000);
  t.is(backoffDelay(8, policy(0), new ThrottledError('slow', { retryAfterMs: 10 })), 60_000);
});
