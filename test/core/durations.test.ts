import test from 'ava';
import { toMilliseconds } from '../../src/core/durations.js';
import { ValidationError } from '../../src/core/errors/index.js';

test('numbers are milliseconds, strings carry units', (t) => {
  t.is(toMilliseconds(250), 250);
  t.is(toMilliseconds('250'), 250);
  t.is(toMilliseconds('500ms'), 500);
  t.is(toMilliseconds('30s'), 30_000);
  t.is(toMilliseconds('15m'), 900_000);
  t.is(toMilliseconds('1h'), 3_600_000);
  t.is(toMilliseconds('1d'), 86_400_000);
  t.is(toMilliseconds('1m30s'), 90_000);
  t.is(toMilliseconds('1.5s'), 1500);
  t.is(toMilliseconds(Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
});

test('malformed or negative durations are ValidationErrors naming the option', (t) => {
  for (const bad of ['', 'soon', '10 minutes', '5x', '1h-', -1, Number.NaN]) {
    const error = t.throws(() => toMilliseconds(bad, 'cache.ttl'), { instanceOf: ValidationError });
    t.regex(error.message, /cache\.ttl/);
  }
});
