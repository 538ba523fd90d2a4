import test from 'ava';
import {
  isProviderError,
  isTimeoutError,
  ProviderUnavailableError,
  SecretNotFoundError,
  ThrottledError,
} from '../../src/core/errors/index.js';
import type { CallContext } from '../../src/core/provider.js';
import { resolveRetryOptions, withRetry } from '../../src/core/retry.js';
import { type FakeClock, installFakeClock } from '../support/fake-clock.js';

const label = { provider: 'memory', operation: 'get', ref: 'memory:a' };
const noJitter = resolveRetryOptions({ retries: 3, minDelay: 100, maxDelay: 1000, jitter: false });

function withClock(run: (clock: FakeClock) => Promise<void>) {
  return async () => {
    const clock = installFakeClock(undefined, { toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      await run(clock);
    } finally {
      clock.uninstall();
    }
  };
}

test.serial('transient failures are retried with growing delays, then succeed', async (t) => {
  await withClock(async (clock) => {
    const times: number[] = [];
    const result = withRetry(
      async () => {
        times.push(Date.now());
        if (times.length < 3) throw new ProviderUnavailableError('down');
        return 'ok';
      },
      new AbortController().signal,
      noJitter,
      label,
    );
    await clock.runAllAsync();
    t.is(await result, 'ok');
    t.deepEqual(
      times.map((time) => time - (times[0] as number)),
      [0, 100, 300],
    );
  })();
});

test.serial('permanent failures are not retried', async (t) => {
  let attempts = 0;
  const error = await t.throwsAsync(
    withRetry(
      async () => {
        attempts += 1;
        throw new SecretNotFoundError('gone');
      },
      new AbortController().signal,
      noJitter,
      label,
    ),
  );
  t.is(attempts, 1);
  t.is(error?.name, 'SecretNotFoundError');
});

test.serial('an attempt that hangs is aborted by the attempt timeout and retried', async (t) => {
  await withClock(async (clock) => {
    const signals: AbortSignal[] = [];
    const options = resolveRetryOptions({ retries: 1, minDelay: 10, jitter: false, attemptTimeout: 500 });
    const result = withRetry(
      (ctx: CallContext) => {
        signals.push(ctx.signal);
        return new Promise<string>(() => {}); // never settles, ignores the signal
      },
      new AbortController().signal,
      options,
      label,
    );
    const settled = t.throwsAsync(result);
    await clock.tickAsync(500 + 10 + 500);
    const error = await settled;
    t.true(isTimeoutError(error));
    t.is(signals.length, 2);
    t.true(signals.every((signal) => signal.aborted));
  })();
});

test.serial('aborting between attempts stops at once', async (t) => {
  await withClock(async (clock) => {
    const controller = new AbortController();
    let attempts = 0;
    const result = withRetry(
      async () => {
        attempts += 1;
        throw new ProviderUnavailableError('down');
      },
      controller.signal,
      resolveRetryOptions({ retries: 10, minDelay: 1000, jitter: false }),
      label,
    );
    const settled = t.throwsAsync(result);
    await clock.tickAsync(10);
    controller.abort(new Error('unsubscribed'));
    await clock.tickAsync(60_000);
    await settled;
    t.is(attempts, 1);
  })();
});

test.serial("a throttle's retry-after hint is honoured", async (t) => {
  await withClock(async (clock) => {
    const times: number[] = [];
    const delays: number[] = [];
    const result = withRetry(
      async () => {
        times.push(Date.now());
        if (times.length === 1) throw new ThrottledError('slow down', { retryAfterMs: 2000 });
        return 'ok';
      },
      new AbortController().signal,
      noJitter,
      label,
      (info) => delays.push(info.delayMs),
    );
    await clock.runAllAsync();
    t.is(await result, 'ok');
    t.true((times[1] as number) - (times[0] as number) >= 2000);
    t.deepEqual(delays, [2000]);
  })();
});

test.serial('the overall deadline bounds all attempts', async (t) => {
  await withClock(async (clock) => {
    let attempts = 0;
    const options = resolveRetryOptions({ retries: 100, minDelay: 100, maxDelay: 100, jitter: false, deadline: 1000 });
    const result = withRetry(
      async () => {
        attempts += 1;
        throw new ProviderUnavailableError('down');
      },
      new AbortController().signal,
      options,
      label,
    );
    const settled = t.throwsAsync(result);
    await clock.tickAsync(5000);
    await settled;
    t.true(attempts <= 11, `attempts: ${attempts}`);
    t.true(attempts >= 5, `attempts: ${attempts}`);
  })();
});

test.serial('unknown errors become ProviderErrors without quoting the native message', async (t) => {
  const error = await t.throwsAsync(
    withRetry(
      async () => {
        throw new RangeError('value SECRET-123 is too long');
      },
      new AbortController().signal,
      noJitter,
      label,
    ),
  );
  t.true(isProviderError(error));
  t.false(error?.message.includes('SECRET-123'));
  const cause = error?.cause as Error | undefined;
  t.is(cause?.name, 'RangeError');
  t.false(cause?.message.includes('SECRET-123'));
  t.false(String(cause?.stack).includes('SECRET-123'));
});
