import {
  defer,
  distinctUntilChanged,
  EMPTY,
  filter,
  firstValueFrom,
  from,
  map,
  merge,
  Observable,
  type OperatorFunction,
  of,
  retry,
  switchMap,
  timer,
} from 'rxjs';
import type { ChangeHint } from '../../provider-kit/index.js';
import { BUS_DAEMON, Interfaces, SECRETS_BUS_NAME, SERVICE_PATH } from './constants.js';
import type { KnownRefs } from './known-refs.js';
import type { ReconnectingClient } from './reconnecting-client.js';
import type { SecretServiceClient } from './service.js';
import { type CollectionEvent, dropEchoes, type EmittedEvent } from './signals.js';

const ITEM_SIGNALS: Readonly<Record<string, 'itemCreated' | 'itemChanged' | 'itemDeleted'>> = {
  ItemCreated: 'itemCreated',
  ItemChanged: 'itemChanged',
  ItemDeleted: 'itemDeleted',
};
const COLLECTION_SIGNALS = new Set(['CollectionCreated', 'CollectionDeleted']);
const ALIAS_PREFIX = '/org/freedesktop/secrets/aliases/';
const MAX_RESUBSCRIBE_DELAY_MS = 5000;

/** Options of {@link changeFeed}. */
export interface ChangeFeedOptions {
  /** First delay before subscribing again after the connection was lost; doubles up to 5 s. */
  readonly resubscribeDelayMs: number;
}

/**
 * The provider's change feed, from D-Bus signals only (no polling):
 * - ItemCreated / ItemChanged / ItemDeleted of any collection, on real collection paths (echoes on `/aliases/…`
 *   paths are ignored, repeats on two paths dropped, and bursts of repeats of one item folded into at most two reads),
 *   become hints naming the refs they affect: the refs whose
 *   item is that path, and the refs whose query the item's attributes match (one property read per signal);
 * - CollectionCreated / CollectionDeleted, and the service (re)appearing on the bus (NameOwnerChanged), become a
 *   hint without names: the engine checks every watched ref.
 *
 * When the connection is lost the feed subscribes again on the next connection (with backoff) and then emits a
 * hint without names, since changes may have been missed meanwhile. It never errors and completes only when the
 * provider closes.
 */
export function changeFeed(
  clients: ReconnectingClient,
  known: KnownRefs,
  options: ChangeFeedOptions,
): Observable<ChangeHint> {
  return defer(() => {
    let connections = 0;
    return clients.clients().pipe(
      distinctUntilChanged(),
      switchMap((client) => {
        const resumed = connections++ > 0;
        const hints = signalHints(client, known);
        if (!resumed) return hints;
        known.forgetPaths();
        return merge(hints, defer(() => from(client.connection.matchesReady())).pipe(map((): ChangeHint => ({}))));
      }),
      retry({
        delay: (_error, attempt) =>
          timer(Math.min(options.resubscribeDelayMs * 2 ** (attempt - 1), MAX_RESUBSCRIBE_DELAY_MS)),
        resetOnSuccess: true,
      }),
    );
  });
}

function signalHints(client: SecretServiceClient, known: KnownRefs): Observable<ChangeHint> {
  const connection = client.connection;
  const items = connection.signals({ sender: SECRETS_BUS_NAME, interface: Interfaces.collection }).pipe(
    filter(
      (message) =>
        (message.member ?? '') in ITEM_SIGNALS &&
        typeof message.body[0] === 'string' &&
        !(message.path ?? '').startsWith(ALIAS_PREFIX),
    ),
    map((message): EmittedEvent => {
      const type = ITEM_SIGNALS[message.member ?? ''] ?? 'itemChanged';
      const path = message.path ?? '';
      return { event: { type, collection: path, item: message.body[0] as string }, emittedOn: path };
    }),
    dropEchoes(50),
    coalescePerItem((event) => namesOf(client, known, event.type === 'itemDeleted', event.item)),
    filter((names) => names.length > 0),
    map((names): ChangeHint => ({ names })),
  );
  const collections = connection
    .signals({ sender: SECRETS_BUS_NAME, path: SERVICE_PATH, interface: Interfaces.service })
    .pipe(
      filter((message) => COLLECTION_SIGNALS.has(message.member ?? '')),
      map((): ChangeHint => ({})),
    );
  const serviceBack = connection
    .signals({
      sender: BUS_DAEMON.name,
      path: BUS_DAEMON.path,
      interface: Interfaces.bus,
      member: 'NameOwnerChanged',
      arg0: SECRETS_BUS_NAME,
    })
    .pipe(
      filter((message) => message.body[2] !== ''),
      map((): ChangeHint => {
        known.forgetPaths(); // a restarted service may reuse item paths for other items
        return {};
      }),
    );
  return merge(items, collections, serviceBack);
}

/**
 * Runs `work` for each item event, at most once at a time per item and event type: events arriving meanwhile are
 * folded into one more run after the current one (so the last change is never missed). KeePassXC repeats each item
 * signal many times (over a thousand signals for two changes in the contract test): this keeps that to two runs.
 */
function coalescePerItem(
  work: (event: Extract<CollectionEvent, { item: string }>) => Observable<string[]>,
): OperatorFunction<CollectionEvent, string[]> {
  return (source) =>
    new Observable<string[]>((subscriber) => {
      const running = new Map<string, { again: boolean }>();
      const start = (key: string, event: Extract<CollectionEvent, { item: string }>): void => {
        const state = { again: false };
        running.set(key, state);
        firstValueFrom(work(event), { defaultValue: [] as string[] })
          .then(
            (names) => subscriber.next(names),
            () => {}, // namesOf never fails; a closed connection is the feed's concern
          )
          .finally(() => {
            running.delete(key);
            if (state.again && !subscriber.closed) start(key, event);
          });
      };
      return source.subscribe({
        next: (event) => {
          if (!('item' in event)) return;
          const key = `${event.type} ${event.item}`;
          const current = running.get(key);
          if (current) current.again = true;
          else start(key, event);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}

/** The known ref names a signal about `itemPath` affects (reads the item's attributes unless it was deleted). */
function namesOf(
  client: SecretServiceClient,
  known: KnownRefs,
  deleted: boolean,
  itemPath: string,
): Observable<string[]> {
  if (known.isEmpty) return EMPTY;
  if (deleted) return of(known.namesFor(itemPath, undefined));
  return from(
    client
      .item(itemPath)
      .attributes()
      .then(
        (attributes) => known.namesFor(itemPath, attributes),
        () => known.namesFor(itemPath, undefined),
      ),
  );
}
