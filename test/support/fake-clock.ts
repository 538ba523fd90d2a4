// One way to fake time in tests: @sinonjs/fake-timers over the timer APIs and Date.
import FakeTimers from '@sinonjs/fake-timers';

/** A clock installed by {@link installFakeClock}. */
export type FakeClock = ReturnType<typeof FakeTimers.install>;

/** What is faked by default: timers and Date. setImmediate, nextTick and microtasks stay real, so promises and I/O run. */
const TIMER_APIS: FakeTimers.FakeMethod[] = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'];

/** Options of {@link installFakeClock}. */
export interface FakeClockOptions {
  /** The fake time at install (ms since the epoch); default 0. */
  readonly now?: number;
  /** The APIs to fake; default timers and Date. */
  readonly toFake?: FakeTimers.FakeMethod[];
}

/**
 * Installs a fake clock. It replaces the global timers, so tests that use it must be `test.serial`. With a test's
 * `t`, it is uninstalled when that test ends; without, the caller uninstalls it.
 */
export function installFakeClock(t?: { teardown(fn: () => void): void }, options: FakeClockOptions = {}): FakeClock {
  const clock = FakeTimers.install({
    ...(options.now === undefined ? {} : { now: options.now }),
    toFake: options.toFake ?? TIMER_APIS,
    // a library may clear a real timer it set before the install (the AWS SDK's request timers): let it
    shouldClearNativeTimers: true,
  });
  t?.teardown(() => clock.uninstall());
  return clock;
}
