// The emulator's answers have the shape (key paths, JSON types, status, error codes) of real Key Vault answers
// saved in test/fixtures/key-vault/ (recorded sessions of the Azure SDK and REST spec examples).
import { readdirSync } from 'node:fs';
import type { ExecutionContext } from 'ava';
import test from 'ava';
import { type KeyVaultEmulator, startKeyVaultEmulator } from '../../src/emulators/key-vault/index.js';
import { type RawResponse, rawRequest } from '../support/key-vault-client.js';
import { loadFixture, shapeDifferences } from '../support/key-vault-shape.js';

const API = 'api-version=2025-07-01';
let clock = Date.UTC(2026, 0, 1);
let kv: KeyVaultEmulator;
test.before(async () => {
  kv = await startKeyVaultEmulator({ deletionDelayMs: 1000, now: () => clock });
});
test.after.always(async () => {
  await kv?.stop();
});
test.beforeEach(() => kv.reset());

const put = (name: string, body: unknown) =>
  rawRequest(kv, 'PUT', `/secrets/${name}?${API}`, { body: JSON.stringify(body) });
const settle = () => {
  clock += 1000;
};

/** The fixtures each scenario declares it checks (known when the file loads, before any test runs). */
const declared = new Set<string>();
/** The fixtures a running scenario has checked. */
const checkedBy = new WeakMap<ExecutionContext, Set<string>>();

/** A serial scenario that checks each fixture of `fixtures` (and no other), failing when one is left unchecked. */
function scenario(title: string, fixtures: string[], run: (t: ExecutionContext) => Promise<void>): void {
  for (const name of fixtures) declared.add(name);
  test.serial(title, async (t) => {
    const checked = new Set<string>();
    checkedBy.set(t, checked);
    await run(t);
    t.deepEqual([...checked].sort(), [...fixtures].sort(), 'the scenario checks exactly the fixtures it declares');
  });
}

function conforms(t: ExecutionContext, fixtureName: string, response: RawResponse): void {
  checkedBy.get(t)?.add(fixtureName);
  const fixture = loadFixture(fixtureName);
  t.is(response.status, fixture.status, `${fixtureName}: status`);
  t.deepEqual(shapeDifferences(fixture, response.body), [], `${fixtureName}: shape differs from ${fixture.source}`);
  const error = (fixture.body as { error?: { code: string; innererror?: unknown } } | undefined)?.error;
  if (error) {
    t.like(response.body, {
      error: { code: error.code, ...(error.innererror ? { innererror: error.innererror } : {}) },
    });
  }
  const id = (response.body as { id?: string } | undefined)?.id;
  if (id) t.regex(id, new RegExp(`^${kv.vaultUrl}/secrets/[0-9A-Za-z-]+(/[0-9a-f]{32})?$`));
}

scenario('challenge', ['challenge'], async (t) => {
  const response = await rawRequest(kv, 'PUT', `/secrets/s?${API}`, { auth: false, body: '{"value":"v"}' });
  conforms(t, 'challenge', response);
  const expected = loadFixture('challenge').headers?.['www-authenticate'] ?? '';
  const pattern =
    /^Bearer authorization="https:\/\/login\.microsoftonline\.com\/[^"]+", resource="https:\/\/vault\.azure\.net"$/;
  t.regex(expected, pattern);
  t.regex(String(response.headers['www-authenticate']), pattern);
});

scenario('set, update, disabled get', ['set-secret', 'update-secret', 'get-disabled-secret'], async (t) => {
  conforms(t, 'set-secret', await put('s', { value: 'v', attributes: {} }));
  const update = await rawRequest(kv, 'PATCH', `/secrets/s/?${API}`, {
    body: JSON.stringify({ attributes: { exp: 1798761600 } }),
  });
  conforms(t, 'update-secret', update);
  await put('off', { value: 'v', attributes: { enabled: false } });
  conforms(t, 'get-disabled-secret', await rawRequest(kv, 'GET', `/secrets/off/?${API}`));
});

scenario(
  'delete, deleted not found yet, deleted, not found, recover',
  ['delete-secret', 'deleted-secret-not-found', 'get-deleted-secret', 'secret-not-found', 'recover-deleted-secret'],
  async (t) => {
    await put('d', { value: 'v', attributes: {} });
    conforms(t, 'delete-secret', await rawRequest(kv, 'DELETE', `/secrets/d?${API}`));
    conforms(t, 'deleted-secret-not-found', await rawRequest(kv, 'GET', `/deletedsecrets/d?${API}`));
    settle();
    conforms(t, 'get-deleted-secret', await rawRequest(kv, 'GET', `/deletedsecrets/d?${API}`));
    conforms(t, 'secret-not-found', await rawRequest(kv, 'GET', `/secrets/d/?${API}`));
    conforms(t, 'recover-deleted-secret', await rawRequest(kv, 'POST', `/deletedsecrets/d/recover?${API}`));
    await put('live', { value: 'v', attributes: {} });
    const notDeleted = await rawRequest(kv, 'POST', `/deletedsecrets/live/recover?${API}`);
    conforms(t, 'deleted-secret-not-found', notDeleted);
    t.is((notDeleted.body as { error: { message: string } }).error.message, 'Deleted Secret not found: live');
  },
);

scenario(
  'list pages: secrets, versions (first and last), deleted secrets',
  ['list-secrets-page', 'list-secret-versions-page', 'list-secret-versions-last-page', 'list-deleted-secrets-page'],
  async (t) => {
    await put('a', { value: 'v', contentType: 'plainText' });
    await put('b', { value: 'v', contentType: 'plainText' });
    conforms(t, 'list-secrets-page', await rawRequest(kv, 'GET', `/secrets?${API}&maxresults=1`));
    await put('v', { value: 'v1', attributes: {} });
    await put('v', { value: 'v2', attributes: {} });
    const first = await rawRequest(kv, 'GET', `/secrets/v/versions?${API}&maxresults=1`);
    conforms(t, 'list-secret-versions-page', first);
    const nextLink = (first.body as { nextLink: string }).nextLink;
    conforms(t, 'list-secret-versions-last-page', await rawRequest(kv, 'GET', nextLink));
    await rawRequest(kv, 'DELETE', `/secrets/a?${API}`);
    await rawRequest(kv, 'DELETE', `/secrets/b?${API}`);
    settle();
    conforms(t, 'list-deleted-secrets-page', await rawRequest(kv, 'GET', `/deletedsecrets?${API}&maxresults=1`));
  },
);

scenario('backup, restore, malformed blob', ['backup-secret', 'restore-secret', 'malformed-backup'], async (t) => {
  await put('r', { value: 'v', contentType: 'text', attributes: { nbf: 1262332800, exp: 1893484800 } });
  const backup = await rawRequest(kv, 'POST', `/secrets/r/backup?${API}`);
  conforms(t, 'backup-secret', backup);
  await rawRequest(kv, 'DELETE', `/secrets/r?${API}`);
  settle();
  t.is((await rawRequest(kv, 'DELETE', `/deletedsecrets/r?${API}`)).status, 204);
  conforms(
    t,
    'restore-secret',
    await rawRequest(kv, 'POST', `/secrets/restore?${API}`, { body: JSON.stringify(backup.body) }),
  );
  const malformed = await rawRequest(kv, 'POST', `/secrets/restore?${API}`, {
    body: JSON.stringify({ value: 'A'.repeat(200) }),
  });
  conforms(t, 'malformed-backup', malformed);
});

test('every saved fixture is checked by a scenario above', (t) => {
  const saved = readdirSync(new URL('../fixtures/key-vault/', import.meta.url))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.replace(/\.json$/, ''))
    .sort();
  t.deepEqual(saved, [...declared].sort());
});

test('the shape comparison catches a missing key, a wrong type and an unexpected key', (t) => {
  const fixture = loadFixture('set-secret');
  const body = structuredClone(fixture.body) as { value?: string; attributes: Record<string, unknown>; extra?: number };
  delete body.value;
  body.attributes.created = '1739463512';
  body.extra = 1;
  t.deepEqual(shapeDifferences(fixture, body).sort(), [
    'attributes.created: expected number, got string',
    'missing value (string)',
    'unexpected extra (number)',
  ]);
});
