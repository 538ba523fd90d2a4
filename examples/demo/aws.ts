/**
 * The demo on AWS Parameter Store and Secrets Manager, served by the bundled emulator (the real AWS SDK clients
 * talk to it over HTTP): get, a lazy by-path listing, and a watch that sees a rotation.
 */
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { startAwsEmulator } from '../../src/emulators/index.js';
import { createSecrets } from '../../src/index.js';
import { parameterStore, secretsManager } from '../../src/providers/aws/index.js';
import { log, since } from './log.js';

/** Runs the AWS section of the demo. */
export async function awsDemo(): Promise<void> {
  await using emulator = await startAwsEmulator();
  log(`== aws: emulator at ${emulator.endpoint}`);
  const { endpoint, region, credentials } = emulator.clientConfig();
  emulator.store.secrets.createSecret({
    Name: 'demo/db',
    SecretString: JSON.stringify({ user: 'app', password: 'initial-password' }),
  });
  for (let i = 0; i < 30; i++) {
    emulator.store.parameters.putParameter({
      Name: `/demo/app/feature-${String(i).padStart(2, '0')}`,
      Value: `value-${i}`,
      Type: 'SecureString',
    });
  }

  await using secrets = createSecrets({
    providers: [parameterStore({ endpoint, region, credentials }), secretsManager({ endpoint, region, credentials })],
    watch: { interval: '200ms' },
  });

  const password = await firstValueFrom(secrets.get('aws-sm:demo/db#password'));
  log(`aws-sm:demo/db#password -> ${password} (${String(password.value).length} characters)`);
  const feature = await firstValueFrom(secrets.get('aws-ssm:/demo/app/feature-07'));
  log(`aws-ssm:/demo/app/feature-07 -> ${feature} (type ${String(feature.metadata.type)})`);

  emulator.stats.reset();
  const names: string[] = [];
  for await (const info of secrets.list('aws-ssm:/demo/app/')) {
    names.push(info.name);
    if (names.length === 3) break;
  }
  log(`by-path listing, first 3: ${names.join(', ')}`);
  log(`GetParametersByPath calls: ${emulator.stats.count('ssm.GetParametersByPath')} (10 per page, 30 parameters)`);

  const started = performance.now();
  const versions = firstValueFrom(secrets.watch('aws-sm:demo/db').pipe(take(2), toArray()));
  await firstValueFrom(secrets.events.pipe(filter((event) => event.type === 'watch-probe')));
  const rotated = emulator.rotateSecret('demo/db', JSON.stringify({ user: 'app', password: 'rotated-password' }));
  log(`rotated demo/db to version ${rotated.slice(0, 8)}… at +${since(started)} ms`);
  const [first, second] = await versions;
  log(`watch saw ${first?.version?.slice(0, 8)}… then ${second?.version?.slice(0, 8)}… at +${since(started)} ms`);
  log(`watch saw the rotation: ${second?.version === rotated}`);
}
