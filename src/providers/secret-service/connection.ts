import type dbus from 'dbus-next';
import { Observable, Subject, type Subscription } from 'rxjs';
import {
  ClosedError,
  type Duration,
  ProviderUnavailableError,
  TimeoutError,
  toMilliseconds,
} from '../../provider-kit/index.js';
import { CallLimiter } from './call-limiter.js';
import { BUS_DAEMON, Interfaces, PROVIDER_SCHEME, SECRETS_BUS_NAME } from './constants.js';
import { mapDBusError } from './dbus-errors.js';
import { dbusModule, loadDBus } from './dbus-module.js';
import { matchesRule, type SignalRule, toMatchRule } from './match-rule.js';

/** Per-call options: every D-Bus call has a timeout and can be aborted. */
export interface CallOptions {
  /** Aborts the call: it rejects with the signal's reason. The reply, if it comes, is ignored. */
  signal?: AbortSignal;
  /** Overrides the connection's default call timeout. */
  timeout?: Duration;
}

/** One method call. `destination` defaults to `org.freedesktop.secrets`. */
export interface MethodCall {
  destination?: string;
  path: string;
  interface: string;
  member: string;
  /** The D-Bus signature of `body` (empty when there are no arguments). */
  signature?: string;
  body?: unknown[];
}

/** Options of {@link SecretServiceConnection.open}. */
export interface ConnectionOptions {
  /** A D-Bus address (`unix:path=…`). Default: the session bus from DBUS_SESSION_BUS_ADDRESS. */
  address?: string;
  /** Default timeout of each call. Default 10 s. */
  callTimeout?: Duration;
  /** Timeout of the connection handshake. Default 5 s. */
  connectTimeout?: Duration;
  /** Calls allowed in flight at once; more wait in a queue (the bus refuses the 129th by default). Default 64. */
  maxCallsInFlight?: number;
}

interface PendingCall {
  fail(error: Error): void;
}

/** dbus-next internals read to detect a dead socket and to drop reply handlers of timed-out calls. */
interface BusInternals {
  _connection?: { stream?: NodeJS.EventEmitter; on(event: 'end', listener: () => void): void };
  _methodReturnHandlers?: Record<number, unknown>;
}

/**
 * One D-Bus connection used by the Secret Service client: low-level `bus.call(new Message(…))` calls (no proxy
 * objects, so no introspection round trips), each with its own timeout and AbortSignal; signal subscriptions
 * through `AddMatch`; and a {@link lost} stream that fires when the bus goes away so a reconnection layer can
 * build a new connection. Calls in flight when the connection is lost reject at once.
 */
export class SecretServiceConnection {
  readonly #bus: dbus.MessageBus;
  readonly #callTimeoutMs: number;
  readonly #limiter: CallLimiter;
  readonly #pending = new Set<PendingCall>();
  readonly #signals = new Subject<dbus.Message>();
  readonly #matches = new Map<string, { count: number; added: Promise<void> }>();
  readonly #lost = new Subject<Error>();
  #lostError: Error | undefined;
  #closed = false;

  private constructor(bus: dbus.MessageBus, options: ConnectionOptions) {
    this.#bus = bus;
    this.#callTimeoutMs = toMilliseconds(options.callTimeout ?? 10_000, 'callTimeout');
    this.#limiter = new CallLimiter(options.maxCallsInFlight ?? 64);
    bus.on('error', (error: unknown) => this.#markLost(error));
    bus.on('message', (message) => {
      if (message.type === dbusModule().MessageType.SIGNAL) this.#signals.next(message);
    });
    const internals = bus as unknown as BusInternals;
    internals._connection?.on('end', () => this.#markLost(new Error('the bus closed the connection')));
    internals._connection?.stream?.on('close', () => this.#markLost(new Error('the bus socket closed')));
  }

  /**
   * Connects to the bus and waits for the handshake. Rejects with ProviderUnavailableError when there is no
   * session bus (no address, socket missing, handshake refused or too slow).
   */
  static async open(options: ConnectionOptions = {}): Promise<SecretServiceConnection> {
    const connectTimeoutMs = toMilliseconds(options.connectTimeout ?? 5000, 'connectTimeout');
    const dbusNext = await loadDBus();
    let bus: dbus.MessageBus;
    try {
      bus = dbusNext.sessionBus(options.address === undefined ? {} : { busAddress: options.address });
    } catch (error) {
      throw new ProviderUnavailableError('no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is unset or unusable', {
        cause: error,
        provider: PROVIDER_SCHEME,
        transient: false,
      });
    }
    const connection = new SecretServiceConnection(bus, options);
    await new Promise<void>((resolve, reject) => {
      let subscription: Subscription | undefined;
      const timer = setTimeout(() => fail(new Error(`no handshake within ${connectTimeoutMs} ms`)), connectTimeoutMs);
      const settle = (): void => {
        clearTimeout(timer);
        subscription?.unsubscribe();
      };
      function fail(cause: unknown): void {
        settle();
        bus.disconnect();
        reject(
          new ProviderUnavailableError('cannot connect to the D-Bus session bus', { cause, provider: PROVIDER_SCHEME }),
        );
      }
      bus.once('connect', () => {
        settle();
        resolve();
      });
      subscription = connection.lost.subscribe((error) => fail(error));
    });
    return connection;
  }

  /** This connection's unique bus name (`:1.42`). */
  get uniqueName(): string {
    return (this.#bus as unknown as { name: string | null }).name ?? '';
  }

  /** Whether {@link close} was called or the connection was lost. */
  get isClosed(): boolean {
    return this.#closed || this.#lostError !== undefined;
  }

  /**
   * Emits once, then completes, when the connection is lost (bus daemon gone, socket error); a connection already
   * lost emits at once. `close()` completes it without emitting.
   */
  readonly lost: Observable<Error> = new Observable<Error>((subscriber) => {
    if (this.#lostError) {
      subscriber.next(this.#lostError);
      subscriber.complete();
      return undefined;
    }
    return this.#lost.subscribe(subscriber);
  });

  /**
   * Sends a method call and resolves with the reply body. Rejects with a mapped rxsecrets error
   * ({@link mapDBusError}), a TimeoutError after the timeout, ProviderUnavailableError when the connection is
   * lost, ClosedError after {@link close}, or the signal's reason when aborted.
   */
  async call(method: MethodCall, options: CallOptions = {}): Promise<unknown[]> {
    const description = { operation: `${shortInterface(method.interface)}.${method.member}`, path: method.path };
    const timeoutMs = options.timeout === undefined ? this.#callTimeoutMs : toMilliseconds(options.timeout, 'timeout');
    options.signal?.throwIfAborted();
    this.#assertOpen();
    await this.#limiter.acquire(options.signal);
    try {
      this.#assertOpen();
      options.signal?.throwIfAborted(); // aborted while queued or during the await above
      return await this.#send(method, timeoutMs, options.signal, description);
    } catch (error) {
      throw mapDBusError(error, description);
    } finally {
      this.#limiter.release();
    }
  }

  /**
   * The signals matching `rule`, as a hot stream per subscription: subscribing sends `AddMatch` (shared and
   * ref-counted per rule), unsubscribing sends `RemoveMatch` when the last subscriber leaves. The stream errors
   * with ProviderUnavailableError when the connection is lost and completes on {@link close}. The bus processes
   * a connection's messages in order, so the match is active for every call this connection sends afterwards;
   * await {@link matchesReady} before triggering a signal from another connection.
   */
  signals(rule: SignalRule): Observable<dbus.Message> {
    return new Observable<dbus.Message>((subscriber) => {
      const text = toMatchRule(rule);
      const subscription = this.#signals.subscribe({
        next: (message) => {
          if (matchesRule(message, rule)) subscriber.next(message);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      this.#addMatch(text).catch((error: unknown) => subscriber.error(error));
      return () => {
        subscription.unsubscribe();
        this.#removeMatch(text);
      };
    });
  }

  /** Resolves when every `AddMatch` sent so far has been acknowledged by the bus. */
  async matchesReady(): Promise<void> {
    await Promise.all([...this.#matches.values()].map((entry) => entry.added));
  }

  /** Closes the connection: calls in flight and queued reject with ClosedError, signal streams complete. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#failAll(new ClosedError('the Secret Service connection was closed', { provider: PROVIDER_SCHEME }));
    this.#signals.complete();
    this.#lost.complete();
    this.#bus.disconnect();
  }

  #send(method: MethodCall, timeoutMs: number, signal: AbortSignal | undefined, description: { operation: string }) {
    return new Promise<unknown[]>((resolve, reject) => {
      const message = new (dbusModule().Message)({
        destination: method.destination ?? SECRETS_BUS_NAME,
        path: method.path,
        interface: method.interface,
        member: method.member,
        signature: method.signature ?? '',
        body: method.body ?? [],
      });
      message.serial = this.#bus.newSerial();
      const serial = message.serial;
      const pending: PendingCall = { fail: (error) => finish(() => reject(error)) };
      const onAbort = (): void => pending.fail(signal?.reason as Error);
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(
            () =>
              pending.fail(
                new TimeoutError(`${description.operation}: no reply within ${timeoutMs} ms`, {
                  provider: PROVIDER_SCHEME,
                }),
              ),
            timeoutMs,
          )
        : undefined;
      let settled = false;
      const finish = (settle: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#pending.delete(pending);
        // dbus-next keeps a reply handler per serial forever when no reply comes; drop it
        delete (this.#bus as unknown as BusInternals)._methodReturnHandlers?.[serial];
        settle();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.add(pending);
      this.#bus.call(message).then(
        (reply) => finish(() => resolve(reply?.body ?? [])),
        (error: unknown) => finish(() => reject(error)),
      );
    });
  }

  async #addMatch(rule: string): Promise<void> {
    const existing = this.#matches.get(rule);
    if (existing) {
      existing.count += 1;
      return existing.added;
    }
    const added = this.#busCall('AddMatch', rule);
    this.#matches.set(rule, { count: 1, added });
    added.catch(() => this.#matches.delete(rule));
    return added;
  }

  #removeMatch(rule: string): void {
    const entry = this.#matches.get(rule);
    if (!entry) return;
    entry.count -= 1;
    if (entry.count > 0) return;
    this.#matches.delete(rule);
    if (!this.isClosed) this.#busCall('RemoveMatch', rule).catch(() => {});
  }

  async #busCall(member: 'AddMatch' | 'RemoveMatch', rule: string): Promise<void> {
    await this.call({
      destination: BUS_DAEMON.name,
      path: BUS_DAEMON.path,
      interface: Interfaces.bus,
      member,
      signature: 's',
      body: [rule],
    });
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError('the Secret Service connection was closed', { provider: PROVIDER_SCHEME });
    if (this.#lostError) {
      throw new ProviderUnavailableError('the D-Bus connection was lost', {
        cause: this.#lostError,
        provider: PROVIDER_SCHEME,
      });
    }
  }

  #markLost(cause: unknown): void {
    if (this.#lostError || this.#closed) return;
    this.#lostError = cause instanceof Error ? cause : new Error(String(cause));
    const unavailable = new ProviderUnavailableError('the D-Bus connection was lost', {
      cause: this.#lostError,
      provider: PROVIDER_SCHEME,
    });
    this.#failAll(unavailable);
    this.#lost.next(this.#lostError);
    this.#lost.complete();
    this.#signals.error(unavailable);
  }

  #failAll(error: Error): void {
    for (const pending of [...this.#pending]) pending.fail(error);
    this.#limiter.failWaiting(error);
  }
}

function shortInterface(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}
