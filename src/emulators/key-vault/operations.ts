/**
 * What each Key Vault operation does and answers, given a matched request. HTTP plumbing (auth, faults,
 * stats, bodies on the wire) lives in the server; this is the service's behaviour.
 * @internal
 * @module
 */
import { decodeBackupBlob, encodeBackupBlob } from './backup-blob.js';
import { serviceErrors } from './errors.js';
import { type PageRequest, pageOf } from './paging.js';
import type { KeyVaultRoute, RouteMatch } from './routes.js';
import { latestVersion, type SecretRecord, type SecretVersionRecord } from './secret-records.js';
import type { SecretStore } from './secret-store.js';
import { assertSecretName, parseSetBody, parseUpdateBody } from './validation.js';
import { WireBundles } from './wire-bundles.js';

/** Everything an operation needs about one request. */
export interface OperationContext {
  readonly match: RouteMatch;
  readonly query: URLSearchParams;
  /** `https://host:port` as the client addressed the vault; ids are built on it. */
  readonly origin: string;
  readonly store: SecretStore;
  readonly paging: { readonly defaultPageSize: number; readonly trailingEmptyPage: boolean };
  /** Reads and parses the JSON body (undefined when empty); 400 on bad JSON. */
  readBody(): Promise<unknown>;
}

/** Status and JSON body to send (no body for 204). */
export interface OperationResult {
  status: number;
  body?: unknown;
}

type Operation = (context: OperationContext) => Promise<OperationResult>;

const ok = (body: unknown): OperationResult => ({ status: 200, body });

function wireFor(context: OperationContext): WireBundles {
  return new WireBundles(context.origin, context.store.settings.recoverableDays);
}

function named(context: OperationContext): string {
  assertSecretName(context.match.name);
  return context.match.name;
}

function pageRequest(context: OperationContext, path: string): PageRequest {
  return { query: context.query, listUrl: `${context.origin}${path}`, ...context.paging };
}

/** Sort key of a version: its position, zero-padded so string order is creation order. */
function versionKey(record: SecretRecord, version: SecretVersionRecord): string {
  return String(record.versions.indexOf(version)).padStart(8, '0');
}

/** The behaviour of every route. */
export const OPERATIONS: Readonly<Record<KeyVaultRoute, Operation>> = {
  'PUT /secrets/{name}': async (context) => {
    const name = named(context);
    const { value, properties } = parseSetBody(await context.readBody());
    context.store.set(name, value, properties);
    const { record, version } = context.store.find(name);
    return ok(wireFor(context).secret(record, version));
  },

  'GET /secrets/{name}/{version}': async (context) => {
    const { record, version } = context.store.find(named(context), context.match.version);
    if (!version.enabled) throw serviceErrors.secretDisabled();
    return ok(wireFor(context).secret(record, version));
  },

  'PATCH /secrets/{name}/{version}': async (context) => {
    const name = named(context);
    const properties = parseUpdateBody(await context.readBody());
    const { record, version } = context.store.update(name, context.match.version, properties);
    return ok(wireFor(context).properties(record, version));
  },

  'DELETE /secrets/{name}': async (context) => ok(wireFor(context).deleted(context.store.delete(named(context)))),

  'GET /secrets': async (context) => {
    const wire = wireFor(context);
    const records = context.store.active();
    return ok(
      pageOf(
        records,
        (r) => r.name.toLowerCase(),
        (r) => wire.listItem(r),
        pageRequest(context, '/secrets'),
      ),
    );
  },

  'GET /secrets/{name}/versions': async (context) => {
    const name = named(context);
    const wire = wireFor(context);
    const versions = context.store.versionsOf(name);
    if (versions.length === 0) return ok({ value: [], nextLink: null });
    const { record } = context.store.find(name);
    return ok(
      pageOf(
        versions,
        (v) => versionKey(record, v),
        (v) => wire.versionItem(record, v),
        pageRequest(context, `/secrets/${record.name}/versions`),
      ),
    );
  },

  'POST /secrets/{name}/backup': async (context) => {
    const { record } = context.store.find(named(context));
    return ok({ value: encodeBackupBlob({ name: record.name, versions: record.versions }) });
  },

  'POST /secrets/restore': async (context) => {
    const body = await context.readBody();
    const content = decodeBackupBlob((body as { value?: unknown } | undefined)?.value);
    const record = context.store.restore(content.name, content.versions);
    return ok(wireFor(context).properties(record, latestVersion(record)));
  },

  'GET /deletedsecrets': async (context) => {
    const wire = wireFor(context);
    const records = context.store.deleted();
    return ok(
      pageOf(
        records,
        (r) => r.name.toLowerCase(),
        (r) => wire.deletedItem(r),
        pageRequest(context, '/deletedsecrets'),
      ),
    );
  },

  'GET /deletedsecrets/{name}': async (context) =>
    ok(wireFor(context).deleted(context.store.findDeleted(named(context)))),

  'DELETE /deletedsecrets/{name}': async (context) => {
    context.store.purge(named(context));
    return { status: 204 };
  },

  'POST /deletedsecrets/{name}/recover': async (context) => {
    const record = context.store.recover(named(context));
    return ok(wireFor(context).properties(record, latestVersion(record)));
  },
};
