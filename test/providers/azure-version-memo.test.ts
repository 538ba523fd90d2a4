// The Key Vault version memo: which version a listing's updatedOn stands for, and when to read a value again.
import test from 'ava';
import { SETTLE_MS, VersionMemo } from '../../src/providers/azure/version-memo.js';

const T = Date.UTC(2026, 11, 7, 12, 0, 0);
const at = (ms: number) => new Date(T + ms);

test('a version read long after its update is trusted while updatedOn stays the same', (t) => {
  const memo = new VersionMemo();
  memo.remember('db', at(0), 'v1', T + 60_000);
  t.is(memo.token('db', at(0), T + 61_000), 'v1');
  t.is(memo.token('DB', at(0), T + 3_600_000), 'v1', 'names are case-insensitive');
  t.not(memo.token('db', at(1000), T + 61_000), 'v1', 'a newer updatedOn: read the value');
});

test('a version read right after its update is trusted until the margin, then confirmed by one more read', (t) => {
  const memo = new VersionMemo();
  memo.remember('db', at(0), 'v1', T + 300);
  const tokens = [1000, 2000, 3000, 4000, 4999].map((now) => memo.token('db', at(0), T + now));
  t.deepEqual(tokens, ['v1', 'v1', 'v1', 'v1', 'v1'], 'no re-read every interval');
  t.is(memo.token('db', at(0), T + SETTLE_MS), `updated:${T}`, 'one confirmation read once the margin has passed');
  t.is(memo.token('db', at(0), T + 9000), `updated:${T}`, 'until it has happened');
  memo.remember('db', at(0), 'v1', T + SETTLE_MS + 100);
  t.is(memo.token('db', at(0), T + 10_000), 'v1', 'confirmed: trusted for good');
});

test('a second version written in the same second is found by the confirmation read', (t) => {
  const memo = new VersionMemo();
  memo.remember('db', at(0), 'v1', T + 200);
  // v2 is written at T + 700: the listing still says updatedOn T (one-second resolution).
  t.is(memo.token('db', at(0), T + 1200), 'v1');
  const confirmation = memo.token('db', at(0), T + 5200);
  t.not(confirmation, 'v1', 'the value is read again');
  memo.remember('db', at(0), 'v2', T + 5200);
  t.is(memo.token('db', at(0), T + 6200), 'v2');
});

test('what a fleet shares is the listing stamp; what the memo holds answers it as the probe would', (t) => {
  const memo = new VersionMemo();
  t.is(memo.held('db'), undefined, 'nothing read yet');
  t.is(VersionMemo.fleetToken(at(0)), `updated:${T}`, 'the same on every instance, whatever each has read');
  memo.remember('db', at(0), 'v1', T + 300);
  t.deepEqual(memo.held('DB', T + 1000), { fleetToken: `updated:${T}`, version: 'v1' });
  // Past the margin the held answer asks for the confirmation read, exactly as a probe of the same stamp would.
  t.deepEqual(memo.held('db', T + SETTLE_MS), { fleetToken: `updated:${T}`, version: `updated:${T}` });
  t.is(memo.held('db', T + SETTLE_MS)?.version, memo.token('db', at(0), T + SETTLE_MS));
});
