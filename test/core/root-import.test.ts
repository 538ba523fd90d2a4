import test from 'ava';
import { modulesLoadedBy } from '../support/child-process.js';

test('importing the package root loads no AWS, Azure or D-Bus module', async (t) => {
  const urls = await modulesLoadedBy('src/index.ts');
  t.true(
    urls.some((url) => url.includes('/rxjs/')),
    'the probe sees dependencies load',
  );
  t.deepEqual(
    urls.filter((url) => /@aws-sdk|@smithy|@azure|dbus-next/.test(url)),
    [],
  );
});
