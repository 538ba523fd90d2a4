// What the compiled command line loads before it does anything: `--version`, `--help` and `completion` (which a
// shell may run at every start) load neither rxjs nor the client, its providers or the config resolver; a command
// that reads loads them (which shows that the check sees them). Module URLs are recorded in the CLI's own process.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';
import { repoRoot } from '../support/child-process.js';
import { baseEnv, cliMain } from '../support/cli.js';

const execFileAsync = promisify(execFile);
const recorder = pathToFileURL(join(repoRoot, 'test/support/record-module-loads.mjs')).href;
let work: string;

test.before(async () => {
  [work] = await Promise.all([mkdtemp(join(tmpdir(), 'rxs-cli-startup-')), cliMain()]);
});
test.after.always(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** The module URLs a run of the CLI with `args` resolved (its exit code does not matter here). */
async function modulesOf(args: readonly string[]): Promise<string[]> {
  const file = join(work, `${args.join('_').replace(/[^a-z0-9_-]/gi, '')}.json`);
  await execFileAsync(process.execPath, ['--import', recorder, await cliMain(), ...args], {
    env: baseEnv({ RXSECRETS_MODULE_LOADS: file }),
  }).catch(() => undefined);
  return JSON.parse(await readFile(file, 'utf8')) as string[];
}

/** The loaded modules that only a command's work needs (the error classes are not among them: `main` maps errors). */
const heavy = (urls: readonly string[]) =>
  urls.filter((url) =>
    /\/node_modules\/rxjs\/|\/cli\/context\.js$|\/auto\/(?!config-error\.js$)|\/providers\/|\/core\/secrets\.js$/.test(
      url,
    ),
  );

for (const args of [['--version'], ['--help'], ['get', '--help'], ['completion', 'bash']]) {
  test(`rxs ${args.join(' ')} loads no rxjs, client or provider module`, async (t) => {
    const urls = await modulesOf(args);
    t.true(
      urls.some((url) => url.endsWith('/cli/main.js')),
      'the recorder saw the CLI start',
    );
    t.deepEqual(heavy(urls), []);
  });
}

test('a command that reads loads them (the check above sees them)', async (t) => {
  const urls = await modulesOf(['get', 'memory:x']);
  t.true(urls.some((url) => url.includes('/node_modules/rxjs/')));
  t.true(urls.some((url) => url.endsWith('/cli/context.js')));
});
