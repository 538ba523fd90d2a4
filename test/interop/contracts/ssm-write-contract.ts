// The write side of the Parameter Store interop contract: errors, set, delete. Where moto departs from AWS's
// documented behaviour, the test says so: the emulator is held to AWS, moto tolerated or not asked.
import { GetParameterCommand, ListTagsForResourceCommand } from '@aws-sdk/client-ssm';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import {
  isConflictError,
  isInvalidSecretRefError,
  isSecretNotFoundError,
  isValidationError,
} from '../../../src/index.js';
import type { AwsInteropWorld } from '../../support/aws-interop-fixture.js';
import { rejection } from '../../support/aws-provider-fixture.js';
import { ssmSeed } from './ssm-seed.js';

/** Registers the write and error scenarios of Parameter Store for one backend. */
export function ssmWriteContract(world: AwsInteropWorld): void {
  const { put, describe, get } = ssmSeed(world);
  const tagsOf = async (name: string) =>
    (await world.ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }))).TagList;

  world.test('missing parameters and bad refs map into the core hierarchy', async (t) => {
    const missing = await rejection(get('aws-ssm:/nothing/here'));
    t.true(isSecretNotFoundError(missing));
    t.is((missing.cause as Error).name, 'ParameterNotFound');
    for (const bad of ['aws-ssm:a/b', 'aws-ssm:/a//b', 'aws-ssm:/a b', 'aws-ssm:/x@1abc']) {
      t.true(isInvalidSecretRefError(await rejection(get(bad))), bad);
    }
    t.true(isValidationError(await rejection(firstValueFrom(world.secrets.set('aws-ssm:/aws/mine', 'v')))));
    // A refusal by the service itself: both backends, like AWS, reject an unknown data type with ValidationException.
    const refused = await rejection(firstValueFrom(world.secrets.set('aws-ssm:/dt/p', 'v', { dataType: 'bogus' })));
    t.true(isValidationError(refused));
    t.is((refused.cause as Error).name, 'ValidationException');
  });

  world.test('set creates a SecureString with tags; an update keeps the type and KMS key', async (t) => {
    const created = await firstValueFrom(world.secrets.set('aws-ssm:/set/p', 'first', { tags: { team: 'db' } }));
    t.is(created.version, '1');
    t.is((await describe('/set/p'))?.Type, 'SecureString');
    t.deepEqual(await tagsOf('/set/p'), [{ Key: 'team', Value: 'db' }]);
    await put('/set/p', 'second', { KeyId: 'alias/team-key' });
    const updated = await firstValueFrom(world.secrets.set('aws-ssm:/set/p', 'third', { tags: { env: 'prod' } }));
    t.is(updated.version, '3');
    const stored = await describe('/set/p');
    t.is(stored?.Type, 'SecureString');
    t.is(stored?.KeyId, 'alias/team-key');
    const read = await world.ssm.send(new GetParameterCommand({ Name: '/set/p', WithDecryption: true }));
    t.is(read.Parameter?.Value, 'third');
    t.deepEqual((await tagsOf('/set/p'))?.map((tag) => tag.Key).sort(), ['env', 'team']);

    await put('/set/plain', 'x', { Type: 'String' });
    await firstValueFrom(world.secrets.set('aws-ssm:/set/plain', 'y'));
    t.is((await describe('/set/plain'))?.Type, 'String');
  });

  world.test('set of an array to a StringList; ifNotExists conflicts; bytes are refused', async (t) => {
    await firstValueFrom(world.secrets.set('aws-ssm:/set/list', ['a', 'b'], { type: 'StringList' }));
    const stored = await world.ssm.send(new GetParameterCommand({ Name: '/set/list' }));
    t.deepEqual([stored.Parameter?.Type, stored.Parameter?.Value], ['StringList', 'a,b']);
    t.deepEqual((await get('aws-ssm:/set/list')).value, ['a', 'b']);
    const conflict = await rejection(
      firstValueFrom(world.secrets.set('aws-ssm:/set/list', 'z', { ifNotExists: true })),
    );
    t.true(isConflictError(conflict));
    t.is((conflict.cause as Error).name, 'ParameterAlreadyExists');
    t.true(
      isValidationError(await rejection(firstValueFrom(world.secrets.set('aws-ssm:/set/list', new Uint8Array([1]))))),
    );
  });

  world.test('delete removes a parameter; deleting it again is SecretNotFoundError', async (t) => {
    await put('/del/p', 'x');
    t.true((await lastValueFrom(world.secrets.delete('aws-ssm:/del/p'))).done);
    t.false(await firstValueFrom(world.secrets.exists('aws-ssm:/del/p')));
    t.true(isSecretNotFoundError(await rejection(lastValueFrom(world.secrets.delete('aws-ssm:/del/p')))));
  });

  // AWS refuses a value that does not match the parameter's AllowedPattern (ParameterPatternMismatchException, a
  // ValidationError), on creation and on later updates. moto 5.2 stores the pattern but never checks values.
  if (world.backend !== 'moto') {
    world.test('a value outside the AllowedPattern is refused, on updates too', async (t) => {
      await put('/pattern/p', '42', { Type: 'String', AllowedPattern: '^\\d+$' });
      const refused = await rejection(firstValueFrom(world.secrets.set('aws-ssm:/pattern/p', 'forty-two')));
      t.true(isValidationError(refused));
      t.is((refused.cause as Error).name, 'ParameterPatternMismatchException');
      await firstValueFrom(world.secrets.set('aws-ssm:/pattern/p', '43'));
      t.is((await get('aws-ssm:/pattern/p')).value, '43');
    });
  }
}
