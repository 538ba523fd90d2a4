import type dbus from 'dbus-next';
import { filter, map, merge, Observable, type OperatorFunction } from 'rxjs';
import { ValidationError } from '../../provider-kit/index.js';
import type { SecretServiceConnection } from './connection.js';
import { Interfaces, PROVIDER_SCHEME, SECRETS_BUS_NAME, SERVICE_PATH } from './constants.js';

/** A change in one collection, from the Secret Service's signals. */
export type CollectionEvent =
  | { readonly type: 'itemCreated' | 'itemChanged' | 'itemDeleted'; readonly collection: string; readonly item: string }
  | { readonly type: 'collectionChanged' | 'collectionDeleted'; readonly collection: string };

/** Options of {@link collectionEvents}. */
export interface CollectionEventOptions {
  /**
   * Alias paths of the same collection to listen on too (`/org/freedesktop/secrets/aliases/default`). Some services
   * (KeePassXC) emit item signals there as well; the duplicates are dropped. Default none.
   */
  aliasPaths?: readonly string[];
  /** The same event announced on two paths closer than this is one change. Default 50 ms. */
  dedupeWindowMs?: number;
}

const ALIAS_PREFIX = '/org/freedesktop/secrets/aliases/';
const ITEM_SIGNALS: Readonly<Record<string, 'itemCreated' | 'itemChanged' | 'itemDeleted'>> = {
  ItemCreated: 'itemCreated',
  ItemChanged: 'itemChanged',
  ItemDeleted: 'itemDeleted',
};
const COLLECTION_SIGNALS: Readonly<Record<string, 'collectionChanged' | 'collectionDeleted'>> = {
  CollectionChanged: 'collectionChanged',
  CollectionDeleted: 'collectionDeleted',
};

/**
 * The changes of one collection as a hot Observable per subscription, from D-Bus signals (no polling):
 * ItemCreated / ItemChanged / ItemDeleted on the collection's path, CollectionChanged / CollectionDeleted from the
 * Service. `collectionPath` must be the real path: services emit nothing on `/aliases/…` paths (resolve an alias
 * with `readAlias` first). Errors with ProviderUnavailableError when the connection is lost.
 *
 * gnome-keyring facts: storing over an item emits itemCreated, not itemChanged; label and attribute changes emit
 * itemChanged; SetSecret emits nothing; deleting a collection emits collectionDeleted without itemDeleted.
 */
export function collectionEvents(
  connection: SecretServiceConnection,
  collectionPath: string,
  options: CollectionEventOptions = {},
): Observable<CollectionEvent> {
  if (collectionPath.startsWith(ALIAS_PREFIX)) {
    throw new ValidationError(
      `collection events need the collection's real path, not the alias ${collectionPath}: resolve it with readAlias`,
      { provider: PROVIDER_SCHEME },
    );
  }
  const itemStreams = [collectionPath, ...(options.aliasPaths ?? [])].map((path) =>
    connection.signals({ sender: SECRETS_BUS_NAME, path, interface: Interfaces.collection }).pipe(
      toItemEvent(collectionPath, path),
      map((event) => ({ event, emittedOn: path })),
    ),
  );
  const serviceStream = connection
    .signals({ sender: SECRETS_BUS_NAME, path: SERVICE_PATH, interface: Interfaces.service })
    .pipe(
      filter((message) => message.body[0] === collectionPath && message.member in COLLECTION_SIGNALS),
      map((message) => ({
        event: { type: COLLECTION_SIGNALS[message.member]!, collection: collectionPath } as CollectionEvent,
        emittedOn: SERVICE_PATH,
      })),
    );
  return merge(...itemStreams, serviceStream).pipe(dropEchoes(options.dedupeWindowMs ?? 50));
}

/** Maps Collection signals received on `emittedOn` to events of the real collection path. */
function toItemEvent(collectionPath: string, emittedOn: string): OperatorFunction<dbus.Message, CollectionEvent> {
  return (source) =>
    source.pipe(
      filter((message) => message.member in ITEM_SIGNALS && typeof message.body[0] === 'string'),
      map((message) => {
        const raw = message.body[0] as string;
        // an item announced under an alias path is the same object under the real path
        const item = raw.startsWith(`${emittedOn}/`) ? collectionPath + raw.slice(emittedOn.length) : raw;
        return { type: ITEM_SIGNALS[message.member]!, collection: collectionPath, item };
      }),
    );
}

/** An event and the object path whose signal announced it. */
export interface EmittedEvent {
  readonly event: CollectionEvent;
  readonly emittedOn: string;
}

/**
 * Drops echoes: an event equal to one delivered less than `windowMs` ago that was announced on a *different* path
 * (KeePassXC signals a change on the alias path and on the collection path). Repeats on the same path are real
 * changes (two quick stores) and are always delivered, so a watcher never misses the last value.
 */
export function dropEchoes(windowMs: number): OperatorFunction<EmittedEvent, CollectionEvent> {
  return (source) =>
    new Observable<CollectionEvent>((subscriber) => {
      const delivered = new Map<string, { at: number; emittedOn: string }>();
      return source.subscribe({
        next: ({ event, emittedOn }) => {
          const now = performance.now();
          const key = `${event.type} ${'item' in event ? event.item : ''}`;
          const previous = delivered.get(key);
          if (previous && previous.emittedOn !== emittedOn && now - previous.at < windowMs) return;
          delivered.set(key, { at: now, emittedOn });
          if (delivered.size > 1000) {
            for (const [oldKey, entry] of delivered) if (now - entry.at >= windowMs) delivered.delete(oldKey);
          }
          subscriber.next(event);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
