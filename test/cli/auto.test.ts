// rxsecrets/auto: the zero-config client built from the same configuration as the CLI, a provider per scheme
// created on first use, and an import that loads no SDK.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { ConfigurationError, createAutoSecrets, resolveConfig } from '../../src/auto/index.js';
import { type AwsEmulator, startAwsEmulator } from '../../src/emulators/aws/index.js';
import { modulesLoadedBy } from '../support/child-process.js';

let aws: AwsEmulator;
let work: string;

test.before(async () => {
  [aws, work] = await Promise.all([startAwsEmulator(), mkdtemp(join(tmpdir(), 'rxs-auto-'))]);
  aws.store.parameters.putParameter({ Name: '/auto/db', Value: '{"password":"pw"}', Type: 'SecureString' });
});
test.after.always(async () => {
  await aws?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

test('importing rxsecrets/auto loads no AWS, Azure or D-Bus module', async (t) => {
  const urls = await modulesLoadedBy('src/auto/index.ts');
  t.true(urls.some((url) => url.includes('/rxjs/')));
  t.deepEqual(
    urls.filter((url) => /@aws-sdk|@smithy|@azure|dbus-next/.test(url)),
    [],
  );
});

test('the auto client reads through the configured schemes and creates only the providers used', async (t) => {
  await writeFile(
    join(work, 'rxsecrets.config.json'),
    JSON.stringify({ schemes: { demo: { provider: 'memory', secrets: { greeting: 'hello' } } } }),
  );
  const config = resolveConfig(
    { endpoint: aws.endpoint, region: aws.region },
    { AWS_ACCESS_KEY_ID: 'AKIAEMULATOR', AWS_SECRET_ACCESS_KEY: 'x' },
    join(work),
  );
  t.is(config.configFile, join(work, 'rxsecrets.config.json'));
  t.deepEqual([...config.schemes.keys()].sort(), ['aws-sm', 'aws-ssm', 'azure-kv', 'demo', 'secret-service']);
  const { createLazySecrets } = await import('../../src/auto/index.js');
  const { accessKeyId, secretAccessKey } = aws.clientConfig().credentials;
  process.env.AWS_ACCESS_KEY_ID ??= accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= secretAccessKey;
  const secrets = createLazySecrets(config);
  t.teardown(() => secrets.close());
  const password = await firstValueFrom(secrets.get('aws-ssm:/auto/db#password'));
  t.is(password.value, 'pw');
  const results = await firstValueFrom(secrets.getMany(['demo:greeting', 'aws-ssm:/auto/db', 'demo:absent']));
  t.deepEqual(
    results.map((r) => (r.ok ? r.secret.value : r.error.name)),
    ['hello', '{"password":"pw"}', 'SecretNotFoundError'],
  );
  // azure-kv has no vault URL: it fails only when used, with a configuration error
  t.throws(() => secrets.provider('azure-kv'), { instanceOf: ConfigurationError });
});

test('createAutoSecrets takes the RXSECRETS_* environment', async (t) => {
  const previous = process.env.RXSECRETS_CONFIG;
  const file = join(work, 'explicit.json');
  await writeFile(file, JSON.stringify({ schemes: { other: { provider: 'memory', secrets: { k: 'v' } } } }));
  process.env.RXSECRETS_CONFIG = file;
  t.teardown(() => {
    if (previous === undefined) delete process.env.RXSECRETS_CONFIG;
    else process.env.RXSECRETS_CONFIG = previous;
  });
  const secrets = createAutoSecrets();
  t.teardown(() => secrets.close());
  t.is((await firstValueFrom(secrets.get('other:k'))).value, 'v');
});
