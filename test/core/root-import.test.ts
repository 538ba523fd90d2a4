import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

test('importing the package root loads no AWS, Azure or D-Bus module', async (t) => {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'test/support/list-module-loads.mjs', 'src/index.ts'],
    { cwd: root },
  );
  const urls = JSON.parse(stdout) as string[];
  t.true(
    urls.some((url) => url.includes('/rxjs/')),
    'the probe sees dependencies load',
  );
  const heavy = urls.filter((url) => /@aws-sdk|@smithy|@azure|dbus-next/.test(url));
  t.deepEqual(heavy, []);
});
