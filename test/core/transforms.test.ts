import test from 'ava';
import { KeyPathNotFoundError, SecretDecodeError } from '../../src/core/errors/index.js';
import { parseSecretRef } from '../../src/core/ref.js';
import { Secret } from '../../src/core/secret.js';
import { applyTransform, decodeBinary, decodeJson } from '../../src/core/transforms.js';

const make = (ref: string, value: string | Uint8Array, contentType?: string) =>
  new Secret({ ref: parseSecretRef(ref), name: 'x', contentType }, value);

const DOC = JSON.stringify({ user: 'admin', password: 'pw-SECRET', hosts: [{ name: 'a' }, { name: 'b' }] });

test('json decodes text and UTF-8 bytes', (t) => {
  t.deepEqual(decodeJson(make('memory:x', '{"a":1}')).value, { a: 1 });
  t.deepEqual(decodeJson(make('memory:x', new TextEncoder().encode('[1,2]'))).value, [1, 2]);
});

test('invalid JSON is a SecretDecodeError that never quotes the value', (t) => {
  const error = t.throws(() => decodeJson(make('memory:x', 'not-json-SECRET')), { instanceOf: SecretDecodeError });
  t.false(error.message.includes('SECRET'));
  t.is(error.cause, undefined);
});

test('key paths select inside JSON, with array indexes', (t) => {
  t.is(applyTransform(make('memory:x#password', DOC)).value, 'pw-SECRET');
  t.is(applyTransform(make('memory:x#hosts[1].name', DOC)).value, 'b');
  t.is(applyTransform(make('memory:x#hosts.0.name', DOC)).value, 'a');
  t.deepEqual(applyTransform(make('memory:x#hosts[0]', DOC)).value, { name: 'a' });
});

test('a missing key is a KeyPathNotFoundError naming the path, not the value', (t) => {
  const error = t.throws(() => applyTransform(make('memory:x#hosts[5].name', DOC)), {
    instanceOf: KeyPathNotFoundError,
  });
  t.is(error.keyPath, 'hosts[5].name');
  t.false(error.message.includes('pw-SECRET'));
  t.throws(() => applyTransform(make('memory:x#password.deeper', DOC)), { instanceOf: KeyPathNotFoundError });
  t.throws(() => applyTransform(make('memory:x#__proto__', DOC)), { instanceOf: KeyPathNotFoundError });
});

test('binary decodes base64; text decodes UTF-8; auto follows the content type', (t) => {
  t.deepEqual([...decodeBinary(make('memory:x', 'AQID')).value], [1, 2, 3]);
  t.throws(() => decodeBinary(make('memory:x', 'not base64!')), { instanceOf: SecretDecodeError });
  t.is(applyTransform(make('memory:x', new TextEncoder().encode('héllo')), 'text').value, 'héllo');
  t.deepEqual(applyTransform(make('memory:x', '{"a":1}', 'application/json'), 'auto').value, { a: 1 });
  t.is(applyTransform(make('memory:x', '{"a":1}', 'text/csv'), 'auto').value, '{"a":1}', 'a declared type wins');
  t.throws(() => applyTransform(make('memory:x', new Uint8Array([0xff, 0xfe])), 'text'), {
    instanceOf: SecretDecodeError,
  });
});

test('auto decodes JSON objects and arrays when the backend stores no content type; other text stays text', (t) => {
  for (const type of [undefined, 'text/plain', 'text/plain; charset=utf-8']) {
    t.deepEqual(applyTransform(make('memory:x', ' {"a":[1]} ', type), 'auto').value, { a: [1] }, String(type));
    t.deepEqual(applyTransform(make('memory:x', '[1,"b"]', type), 'auto').value, [1, 'b']);
    for (const plain of ['hunter2', '42', 'true', '"quoted"', 'null', '{not json}', '[1,', '']) {
      t.is(applyTransform(make('memory:x', plain, type), 'auto').value, plain, `'${plain}' stays a string`);
    }
  }
  const bytes = new Uint8Array([123, 125]);
  t.is(applyTransform(make('memory:x', bytes), 'auto').value, bytes, 'bytes stay bytes');
});

test('a value that is not JSON fails to decode without its length or the parser message', (t) => {
  for (const value of ['x', 'abcdefgh']) {
    const error = t.throws(() => applyTransform(make('memory:x', value), 'json'));
    t.is(error?.message, 'Secret(memory:x) is not valid JSON');
  }
});
