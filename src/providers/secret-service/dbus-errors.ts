import {
  AccessDeniedError,
  isRxSecretsError,
  LockedError,
  ProviderError,
  ProviderUnavailableError,
  type RxSecretsError,
  SecretNotFoundError,
  TimeoutError,
} from '../../provider-kit/index.js';
import { PROVIDER_SCHEME } from './constants.js';

/** D-Bus error names this provider recognises. */
export const DBusErrorNames = {
  isLocked: 'org.freedesktop.Secret.Error.IsLocked',
  noSession: 'org.freedesktop.Secret.Error.NoSession',
  noSuchObject: 'org.freedesktop.Secret.Error.NoSuchObject',
  unknownMethod: 'org.freedesktop.DBus.Error.UnknownMethod',
  unknownObject: 'org.freedesktop.DBus.Error.UnknownObject',
  serviceUnknown: 'org.freedesktop.DBus.Error.ServiceUnknown',
  nameHasNoOwner: 'org.freedesktop.DBus.Error.NameHasNoOwner',
  noReply: 'org.freedesktop.DBus.Error.NoReply',
  timeout: 'org.freedesktop.DBus.Error.Timeout',
  noServer: 'org.freedesktop.DBus.Error.NoServer',
  disconnected: 'org.freedesktop.DBus.Error.Disconnected',
  accessDenied: 'org.freedesktop.DBus.Error.AccessDenied',
  notSupported: 'org.freedesktop.DBus.Error.NotSupported',
  invalidArgs: 'org.freedesktop.DBus.Error.InvalidArgs',
  limitsExceeded: 'org.freedesktop.DBus.Error.LimitsExceeded',
} as const;

const UNAVAILABLE = new Set<string>([
  DBusErrorNames.serviceUnknown,
  DBusErrorNames.nameHasNoOwner,
  DBusErrorNames.noServer,
  DBusErrorNames.disconnected,
  DBusErrorNames.noReply, // the service left the bus without answering
]);

/**
 * The D-Bus error name carried by `error` (a dbus-next `DBusError`, or an rxsecrets error whose cause is one),
 * or undefined for anything else.
 */
export function dbusErrorName(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const type = (current as { type?: unknown }).type;
    if (typeof type === 'string' && type.includes('.')) return type;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** What a failed call was doing, for the error message (names and paths only, never values). */
export interface CallDescription {
  /** `Interface.Member`, e.g. `Service.SearchItems`. */
  operation: string;
  /** The object path the call was sent to. */
  path?: string;
}

/** The calls whose arguments carry a secret value: the service's reply text is never quoted for them. */
const VALUE_CARRYING = new Set(['Collection.CreateItem', 'Item.SetSecret']);
/** The longest reason text quoted from the service. */
const MAX_REASON = 200;

/**
 * Maps an error of a D-Bus call into the rxsecrets hierarchy, keeping the native error as `cause` (sanitized):
 * IsLocked → LockedError; NoSuchObject / "Object does not exist" → SecretNotFoundError; ServiceUnknown,
 * NoReply, a lost connection → ProviderUnavailableError; D-Bus Timeout → TimeoutError; AccessDenied →
 * AccessDeniedError; anything else → ProviderError. rxsecrets errors pass through unchanged. The message keeps
 * the service's own reason ("Only the 'default' alias is supported"), except for the calls that send a value
 * (`CreateItem`, `SetSecret`), whose reply could quote it.
 */
export function mapDBusError(error: unknown, call: CallDescription): Error {
  if (isRxSecretsError(error) || isAbortError(error)) return error as Error;
  const name = dbusErrorName(error);
  const where = call.path ? `${call.operation} on ${call.path}` : call.operation;
  const reason = reasonOf(error, name, call);
  const options = { cause: error, provider: PROVIDER_SCHEME };
  if (name === DBusErrorNames.isLocked) return new LockedError(`${where}: the collection is locked${reason}`, options);
  if (name === DBusErrorNames.noSuchObject || isMissingObject(name, error)) {
    return new SecretNotFoundError(`${where}: no such object${reason}`, options);
  }
  if (name !== undefined && UNAVAILABLE.has(name)) {
    return new ProviderUnavailableError(`${where}: the Secret Service is not available${reason}`, options);
  }
  if (name === DBusErrorNames.timeout) return new TimeoutError(`${where}: timed out${reason}`, options);
  if (name === DBusErrorNames.accessDenied) return new AccessDeniedError(`${where}: access denied${reason}`, options);
  const kind = name === undefined ? ` (${error instanceof Error ? error.name : typeof error})` : reason;
  return new ProviderError(`${where} failed${kind}`, options) satisfies RxSecretsError;
}

/**
 * ` (error.Name: the service's text)`, the text cut to a bounded length; only the name for a call that carries a
 * value, and nothing for an error that is not a D-Bus error (its message is not the service's).
 */
function reasonOf(error: unknown, name: string | undefined, call: CallDescription): string {
  if (name === undefined) return '';
  const text = (error as { text?: unknown }).text;
  if (VALUE_CARRYING.has(call.operation) || typeof text !== 'string' || text.length === 0) return ` (${name})`;
  const bounded = text.length > MAX_REASON ? `${text.slice(0, MAX_REASON)}…` : text;
  return ` (${name}: ${bounded})`;
}

/** gnome-keyring answers a call on a path it does not export with UnknownMethod "Object does not exist at path". */
function isMissingObject(name: string | undefined, error: unknown): boolean {
  if (name === DBusErrorNames.unknownObject) return true;
  if (name !== DBusErrorNames.unknownMethod) return false;
  const text = (error as { text?: unknown }).text;
  return typeof text === 'string' && /object does not exist|no such object/i.test(text);
}

/** Whether `error` is the rejection of an aborted AbortSignal (its default reason or a DOMException AbortError). */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
