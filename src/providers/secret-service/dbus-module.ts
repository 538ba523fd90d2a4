/**
 * Lazy loading of dbus-next. Nothing in the Secret Service layer imports it at module load: the types are erased,
 * and {@link loadDBus} `import()`s it when the first connection opens, so importing `rxsecrets/secret-service` (or
 * creating a provider) costs nothing until a call is made. Everything that needs the module at run time runs after a
 * connection exists, and reads it synchronously with {@link dbusModule}.
 * @module
 */
import type * as DBusNext from 'dbus-next';
import { ProviderUnavailableError } from '../../provider-kit/index.js';
import { PROVIDER_SCHEME } from './constants.js';

/** The dbus-next module (CommonJS: its exports are the default export). */
export type DBusModule = typeof DBusNext;

let loaded: DBusModule | undefined;
let loading: Promise<DBusModule> | undefined;

/**
 * Loads dbus-next once. A missing package is a permanent ProviderUnavailableError that says what to install; a
 * failed load is tried again on the next call.
 */
export function loadDBus(): Promise<DBusModule> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= import('dbus-next').then(
    (module) => {
      loaded = ((module as { default?: DBusModule }).default ?? module) as DBusModule;
      return loaded;
    },
    (error: unknown) => {
      loading = undefined;
      const code = (error as { code?: unknown } | null)?.code;
      if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
        throw new ProviderUnavailableError(
          `the ${PROVIDER_SCHEME} provider needs the package dbus-next: npm install dbus-next`,
          { cause: error, provider: PROVIDER_SCHEME, transient: false },
        );
      }
      throw error;
    },
  );
  return loading;
}

/** The loaded dbus-next module; only valid once a connection is open (which loads it). */
export function dbusModule(): DBusModule {
  if (!loaded) throw new Error('dbus-next is used before a Secret Service connection was opened');
  return loaded;
}

/** A D-Bus variant of the given signature (needs dbus-next loaded, i.e. an open connection). */
export function variant(signature: string, value: unknown): DBusNext.Variant {
  return new (dbusModule().Variant)(signature, value);
}
