import test from 'ava';
import { InvalidSecretRefError, isInvalidSecretRefError } from '../../src/core/errors/index.js';
import { formatKeyPath, parseKeyPath } from '../../src/core/key-path.js';
import { makeRef, parseSecretPrefix, parseSecretRef, withoutKeyPath } from '../../src/core/ref.js';

test('parses scheme, name, version and key path', (t) => {
  const ref = parseSecretRef('aws-sm:prod/db/root@AWSPREVIOUS#password');
  t.is(ref.scheme, 'aws-sm');
  t.is(ref.name, 'prod/db/root');
  t.is(ref.version, 'AWSPREVIOUS');
  t.deepEqual(ref.keyPath, ['password']);
  t.is(ref.text, 'aws-sm:prod/db/root@AWSPREVIOUS#password');
});

test('a name without version or key path', (t) => {
  const ref = parseSecretRef('azure-kv:db-password');
  t.is(ref.name, 'db-password');
  t.is(ref.version, undefined);
  t.is(ref.keyPath, undefined);
});

test('escaped @ and # stay in the name and round-trip', (t) => {
  const ref = parseSecretRef('aws-sm:user%40example.com%23x@v1');
  t.is(ref.name, 'user@example.com#x');
  t.is(ref.version, 'v1');
  t.deepEqual(parseSecretRef(ref.text), ref);
});

test('query-style names reach the provider untouched', (t) => {
  const ref = parseSecretRef('secret-service:default?service=my%26app&user=alice');
  t.is(ref.name, 'default?service=my%26app&user=alice');
});

test('key paths with indexes and quoted keys', (t) => {
  t.deepEqual(parseKeyPath('hosts[0].name'), ['hosts', 0, 'name']);
  t.deepEqual(parseKeyPath('["a.b"].c'), ['a.b', 'c']);
  t.deepEqual(parseKeyPath('list.2'), ['list', '2']);
  t.is(formatKeyPath(['hosts', 0, 'a.b']), 'hosts[0]["a.b"]');
  for (const bad of ['', 'a.', 'a..b', 'a[', 'a[x]']) {
    t.throws(() => parseKeyPath(bad), { instanceOf: InvalidSecretRefError }, bad);
  }
});

test('bad refs get InvalidSecretRefError saying what is wrong', (t) => {
  const cases: Array<[string, RegExp]> = [
    ['no-scheme', /no scheme/],
    [':name', /no scheme/],
    ['Bad_Scheme:x', /not a valid scheme/],
    ['memory:', /names no secret/],
    ['memory:a@', /empty version/],
    ['memory:a#', /key path/],
  ];
  for (const [input, message] of cases) {
    const error = t.throws(() => parseSecretRef(input));
    t.true(isInvalidSecretRefError(error), input);
    t.regex(error.message, message, input);
  }
  t.throws(() => parseSecretRef(42 as unknown as string), { instanceOf: InvalidSecretRefError });
});

test('a parsed ref passes through, and is frozen', (t) => {
  const ref = parseSecretRef('memory:a');
  t.is(parseSecretRef(ref), ref);
  t.true(Object.isFrozen(ref));
});

test('prefixes may be empty but take no version or key path', (t) => {
  t.is(parseSecretPrefix('aws-ssm:').name, '');
  t.is(parseSecretPrefix('aws-ssm:/prod/').name, '/prod/');
  t.throws(() => parseSecretPrefix('aws-ssm:/prod/@1'), { instanceOf: InvalidSecretRefError });
});

test('withoutKeyPath keeps the version', (t) => {
  const ref = withoutKeyPath(parseSecretRef('memory:a@2#x'));
  t.is(ref.text, 'memory:a@2');
  t.is(makeRef('memory', 'a', '2').text, ref.text);
});
