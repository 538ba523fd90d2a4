import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';
import { firstValueFrom } from 'rxjs';
import { createSecrets, memoryProvider } from '../src/index.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

test('the README demo runs every section and shows what it claims', async (t) => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/demo.ts'], { cwd: root });
  t.regex(stdout, /db\/config#port -> 5432/);
  t.regex(stdout, /pages fetched: 1\n/);
  t.regex(stdout, /watch saw versions 1, 2, 3, 4;/);
  t.regex(stdout, /1000 reads in \d+ ms; backend get calls: 1\n/);
  t.regex(stdout, /GetParametersByPath calls: 1 /);
  t.regex(stdout, /watch saw the rotation: true/);
  t.regex(stdout, /state deleting \(done: false\)[\s\S]*deleted: true; exists now: false/);
  t.regex(stdout, /state recovered \(done: true\)\nrecovered Secret\(azure-kv:db-password@/);
  t.regex(stdout, /watch saw the new value \d+ ms after the write, pushed by a D-Bus signal/);
  t.regex(stdout, /watch probes \(polling calls\) for that change: 0;/);
  t.regex(stdout, /GetParameters per interval for the whole fleet: 3\n/);
  t.regex(stdout, /every instance saw each new version once: true/);
  t.regex(stdout, /== done\n$/);
  for (const value of ['initial-password', 'rotated-password', 'value-7']) {
    t.false(stdout.includes(value), 'the demo never prints a value');
  }
});

test('the quick start runs', async (t) => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/quick-start.ts'], { cwd: root });
  t.regex(stdout, /Secret\(memory:db\/config@1\) holds a string/);
  t.regex(stdout, /db\/config 1/);
  t.false(stdout.includes('s3cret'));
});

test('the demo says plainly when no Secret Service can be had', async (t) => {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: '/nonexistent' };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/demo.ts', 'secret-service'], {
    cwd: root,
    env,
  });
  t.regex(stdout, /== secret-service: skipped — gnome-keyring-daemon and dbus-daemon are not installed/);
  const fleet = await run(process.execPath, ['--import', 'tsx', 'examples/demo.ts', 'fleet'], { cwd: root, env });
  t.regex(fleet.stdout, /== fleet: skipped — redis-server is not installed/);
  t.regex(stdout, /== done\n$/);
});

test("the README's claims match what runs: the quick start's comments, and an install line per peer dependency", async (t) => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const claim = (code: string) =>
    readme
      .split('\n')
      .find((line) => line.startsWith(code))
      ?.split('//')[1]
      ?.trim();
  await using secrets = createSecrets({
    providers: [memoryProvider({ secrets: { 'db/config': { host: 'db', password: 's3cret' } } })],
  });
  const password = await firstValueFrom(secrets.get('memory:db/config#password'));
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the README line, quoted as it is written
  t.is(claim('console.log(`${password}`);'), `${password}`);
  t.regex(claim('console.log(password.value);') ?? '', new RegExp(`^${password.value}\\b`));
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    peerDependencies: Record<string, string>;
  };
  const installLines = readme.split('\n').filter((line) => line.startsWith('npm install '));
  for (const name of Object.keys(pkg.peerDependencies)) {
    t.true(
      installLines.some((line) => line.split(/\s+/).includes(name)),
      `README has no install line for the peer dependency ${name}`,
    );
  }
});
