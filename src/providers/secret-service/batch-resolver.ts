import {
  isInvalidSecretRefError,
  isLockedError,
  isSecretNotFoundError,
  type SecretRef,
} from '../../provider-kit/index.js';
import type { Attributes } from './item.js';
import type { ItemQuery } from './item-query.js';
import type { ItemResolver } from './item-resolver.js';
import type { FoundItem } from './item-secret.js';
import type { KnownRefs } from './known-refs.js';

/** A ref to resolve, with its parsed query. */
export interface RefQuery {
  readonly ref: SecretRef;
  readonly query: ItemQuery;
}

/** Refs of one collection (or of every collection) below this are searched one by one. */
const MIN_GROUP = 4;
/**
 * A shared search is used while it finds at most this many items per ref (plus {@link CANDIDATE_SLACK}) whose
 * properties are not cached yet: each such item costs a `GetAll`, which costs gnome-keyring about three times a
 * `SearchItems` (both look the item up among every item of the collection), so past ~1.3 items per ref one search
 * per ref is cheaper.
 */
const MAX_CANDIDATES_PER_REF = 1.25;
const CANDIDATE_SLACK = 2;
const ALL_COLLECTIONS = '*';

/**
 * Resolves many refs to their items, aligned with `entries` (a SecretNotFoundError, InvalidSecretRefError or
 * LockedError in a ref's slot; any other failure rejects).
 *
 * Refs naming the same collection (or every collection) are resolved together when they share attributes: one
 * `SearchItems` with the attributes they all have lists every candidate, each candidate's properties are read (the
 * `GetAll` a ref needs anyway), and each ref takes the candidates whose attributes include its own (plain string
 * equality, as the service matches attributes it holds in clear). That replaces one search per ref by one search in
 * all. Refs are searched one by one, as a lone ref always is, when the shared search finds too many items, when a
 * candidate is locked (the service may then match hashed attributes), or when matching could differ from the
 * service's own (gnome-keyring's `gkr:compat:` attributes; an `xdg:schema` not shared by the group, which it also
 * matches against an item's type). Several items matching one ref are chosen among as {@link ItemResolver.choose}
 * does (fresh `Modified` times).
 */
export async function findItems(
  resolver: ItemResolver,
  known: KnownRefs,
  entries: readonly RefQuery[],
): Promise<Array<FoundItem | Error>> {
  const results: Array<FoundItem | Error | undefined> = new Array(entries.length);
  const groups = new Map<string, number[]>(); // by collection path, or ALL_COLLECTIONS
  await Promise.all(
    [...groupBy(entries.keys(), (index) => specKey(entries[index] as RefQuery))].map(async ([, indexes]) => {
      const first = entries[indexes[0] as number] as RefQuery;
      const scope = await perRef(() => resolver.collectionPath(first.ref, first.query));
      if (scope instanceof Error) {
        for (const index of indexes) results[index] = scope; // no such alias (read once per operation)
        return;
      }
      const key = scope ?? ALL_COLLECTIONS;
      groups.set(key, [...(groups.get(key) ?? []), ...indexes]);
    }),
  );
  await Promise.all(
    [...groups].map(async ([scope, indexes]) => {
      const pending: Array<Promise<void>> = [];
      const group = indexes.map((index) => entries[index] as RefQuery);
      const shared = await findTogether(resolver, scope === ALL_COLLECTIONS ? undefined : scope, group);
      for (const [position, index] of indexes.entries()) {
        const entry = group[position] as RefQuery;
        const matched = shared?.get(entry);
        if (matched?.length === 1) {
          const item = matched[0] as FoundItem;
          known.remember(entry.ref.name, entry.query, item.path);
          results[index] = item;
        } else if (matched?.length === 0) {
          results[index] = resolver.notFound(entry.ref);
        } else {
          const resolving = perRef(async () => {
            if (matched === undefined) return resolver.find(entry.ref, entry.query); // not resolved together
            const item = await resolver.choose(matched.map((m) => m.path));
            if (!item) throw resolver.notFound(entry.ref);
            known.remember(entry.ref.name, entry.query, item.path);
            return item;
          });
          pending.push(
            resolving.then((result) => {
              results[index] = result;
            }),
          );
        }
      }
      await Promise.all(pending);
    }),
  );
  return results as Array<FoundItem | Error>;
}

/** The collection a ref's query names, as a key: refs with equal keys resolve to the same collection. */
function specKey({ query }: RefQuery): string {
  const spec = query.collection;
  return spec.kind === 'all' ? ALL_COLLECTIONS : spec.kind === 'alias' ? `alias:${spec.alias}` : spec.path;
}

function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/**
 * The items each ref of one scope matches, found with one shared search; undefined (search ref by ref) when that
 * does not pay or cannot be trusted. Refs missing from the map are searched one by one.
 */
async function findTogether(
  resolver: ItemResolver,
  collection: string | undefined,
  group: readonly RefQuery[],
): Promise<Map<RefQuery, FoundItem[]> | undefined> {
  if (group.length < MIN_GROUP) return undefined;
  const common = commonAttributes(group.map((entry) => entry.query.attributes));
  const eligible = group.filter((entry) =>
    Object.keys(entry.query.attributes).every((key) => Object.hasOwn(common, key) || plain(key)),
  );
  if (eligible.length < MIN_GROUP) return undefined;
  if (Object.keys(common).length === 0 && collection === undefined) return undefined;
  const mark = resolver.cacheMark();
  let paths: string[];
  try {
    paths =
      Object.keys(common).length === 0
        ? await resolver.collectionItems(collection as string)
        : await resolver.searchIn(collection, common);
  } catch (error) {
    if (isSecretNotFoundError(error)) return undefined; // no such collection: each ref reports it
    throw error;
  }
  const unread = paths.filter((path) => !resolver.hasProperties(path)).length; // the others cost no call
  if (unread > eligible.length * MAX_CANDIDATES_PER_REF + CANDIDATE_SLACK) return undefined;
  const found = await resolver.propertiesOf(paths);
  const candidates = found.filter((item): item is FoundItem => item !== undefined); // others were deleted since
  const trusted = candidates.every(
    ({ properties }) =>
      !properties.locked && Object.keys(properties.attributes).every((key) => !key.startsWith('gkr:')),
  );
  if (!trusted) return undefined;
  const index = new CandidateIndex(candidates);
  const matches = new Map(eligible.map((entry) => [entry, index.matching(entry.query.attributes, common)]));
  // what each ref's own search would have found: kept in the item cache (unless a signal arrived meanwhile), so a
  // watch probe of these refs needs no search; stored with the shared search, so dropped with it: a warm read whose
  // first ref's search is still cached has nothing to store
  const [first] = eligible;
  if (first && resolver.hasSearch(collection, first.query.attributes)) return matches;
  for (const [entry, matched] of matches) {
    resolver.rememberSearch(
      collection,
      entry.query.attributes,
      matched.map((item) => item.path),
      mark,
    );
  }
  return matches;
}

/** Candidates indexed by one attribute at a time, so matching many refs costs about one lookup each. */
class CandidateIndex {
  readonly #candidates: readonly FoundItem[];
  readonly #byKey = new Map<string, Map<string, FoundItem[]>>();

  constructor(candidates: readonly FoundItem[]) {
    this.#candidates = candidates;
  }

  /** The candidates (sorted by path, as found) whose attributes include every pair of `wanted`. */
  matching(wanted: Attributes, known: Attributes): FoundItem[] {
    const pairs = Object.entries(wanted).filter(([key]) => !Object.hasOwn(known, key));
    const [first] = pairs;
    const pool = first ? (this.#by(first[0]).get(first[1]) ?? []) : this.#candidates;
    return pool.filter(({ properties }) =>
      pairs.every(([key, value]) => attribute(properties.attributes, key) === value),
    );
  }

  #by(key: string): Map<string, FoundItem[]> {
    let byValue = this.#byKey.get(key);
    if (!byValue) {
      byValue = new Map();
      for (const candidate of this.#candidates) {
        const value = attribute(candidate.properties.attributes, key);
        if (value === undefined) continue;
        const same = byValue.get(value);
        if (same) same.push(candidate);
        else byValue.set(value, [candidate]);
      }
      this.#byKey.set(key, byValue);
    }
    return byValue;
  }
}

/** The attribute pairs every one of `all` has. */
function commonAttributes(all: readonly Attributes[]): Record<string, string> {
  const [first, ...rest] = all;
  const common: Record<string, string> = {};
  for (const [key, value] of Object.entries(first ?? {})) {
    if (rest.every((attributes) => attribute(attributes, key) === value)) common[key] = value;
  }
  return common;
}

function attribute(attributes: Attributes, key: string): string | undefined {
  return Object.hasOwn(attributes, key) ? attributes[key] : undefined;
}

/** Whether the service matches this attribute by plain equality (gnome-keyring treats these two specially). */
function plain(key: string): boolean {
  return !key.startsWith('gkr:') && key !== 'xdg:schema';
}

/** Runs one ref's part of a batch: errors about that ref alone become its result, anything else fails the batch. */
export async function perRef<T>(run: () => Promise<T>): Promise<T | Error> {
  try {
    return await run();
  } catch (error) {
    if (isSecretNotFoundError(error) || isInvalidSecretRefError(error) || isLockedError(error)) return error as Error;
    throw error;
  }
}
