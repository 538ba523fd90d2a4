// Assume-role against moto's STS (served on the same port as SSM and Secrets Manager; AssumeRole speaks the AWS
// Query protocol): the providers get temporary credentials from STS and sign their calls with them. The counting
// proxy, in front of STS and the services alike, records which key signed each call. Skipped without moto_server.
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { firstValueFrom } from 'rxjs';
import { isSecretNotFoundError, type Secrets } from '../../src/index.js';
import type { AssumeRoleOptions } from '../../src/providers/aws/index.js';
import { type AwsInteropWorld, withAwsBackend } from '../support/aws-interop-fixture.js';
import { rejection } from '../support/aws-provider-fixture.js';

const ASSUME_ROLE = 'sts.AssumeRole';

withAwsBackend('moto', (world) => {
  /** A facade whose two providers assume `roleArn` through the proxy (STS calls counted too). */
  const assuming = (w: AwsInteropWorld, roleArn: string): Secrets => {
    const assumeRole: AssumeRoleOptions = {
      roleArn,
      sessionName: 'rxsecrets-interop',
      durationSeconds: 900,
      clientConfig: { endpoint: w.proxy.endpoint },
    };
    return w.facade({ ssm: { assumeRole }, sm: { assumeRole } });
  };

  world.serial(
    'get with assumed-role credentials: STS signed by the source key, the services by the temporary one',
    async (t) => {
      await world.ssm.send(new PutParameterCommand({ Name: '/assumed/p', Value: 'ssm-value', Type: 'SecureString' }));
      await world.sm.send(new CreateSecretCommand({ Name: 'assumed/s', SecretString: 'sm-value' }));
      const secrets = assuming(world, 'arn:aws:iam::123456789012:role/interop-reader');
      world.proxy.reset();
      t.is((await firstValueFrom(secrets.get('aws-ssm:/assumed/p'))).value, 'ssm-value');
      t.is((await firstValueFrom(secrets.get('aws-sm:assumed/s'))).value, 'sm-value');

      const source = world.clientConfig.credentials.accessKeyId;
      const sts = world.proxy.requests.filter((call) => call.target === ASSUME_ROLE);
      t.is(sts.length, 2, 'one AssumeRole per provider client');
      for (const call of sts) {
        t.is(call.accessKeyId, source, 'AssumeRole is signed with the source credentials');
        t.is(call.securityToken, undefined);
      }
      const reads = world.proxy.requests.filter((call) => call.target !== ASSUME_ROLE);
      t.deepEqual(
        reads.map((call) => call.target),
        ['AmazonSSM.GetParameter', 'secretsmanager.GetSecretValue'],
      );
      for (const call of reads) {
        t.regex(call.accessKeyId ?? '', /^ASIA[A-Z0-9]{16}$/, 'signed with STS temporary credentials');
        t.not(call.accessKeyId, source);
        t.truthy(call.securityToken, 'the session token travels with the call');
      }

      world.proxy.reset();
      await firstValueFrom(secrets.get('aws-ssm:/assumed/p'));
      t.deepEqual(world.proxy.calls, ['AmazonSSM.GetParameter'], 'the temporary credentials are reused');
    },
  );

  world.serial("a role of another account sees that account's data, not the source account's", async (t) => {
    // moto, like AWS, scopes calls signed with an assumed role's key to the role's account.
    await world.ssm.send(new PutParameterCommand({ Name: '/cross/p', Value: 'home', Type: 'String' }));
    const secrets = assuming(world, 'arn:aws:iam::111111111111:role/interop-writer');
    const missing = await rejection(firstValueFrom(secrets.get('aws-ssm:/cross/p')));
    t.true(isSecretNotFoundError(missing));
    await firstValueFrom(secrets.set('aws-ssm:/cross/p', 'away'));
    t.is((await firstValueFrom(secrets.get('aws-ssm:/cross/p'))).value, 'away');
    const home = await world.ssm.send(new GetParameterCommand({ Name: '/cross/p' }));
    t.is(home.Parameter?.Value, 'home', 'the source account is untouched');
  });
});
