/**
 * libsecret's mock Secret Services (an independent implementation, used for lock and prompt edge cases), fetched
 * before the tests (`npm run test:deps`, which .ci/run runs; on a contributor's machine also at test time) from
 * Debian's libsecret source package into a cache folder (`$RXSECRETS_CACHE_DIR`, default the OS temp folder) and
 * never committed. `apt-get source` runs against a private apt state in that folder: its own source list (the
 * machine's `deb` entries turned into `deb-src`), lists and archives, so /etc/apt and /var/lib/apt are only read.
 * Needs `apt-get` and `dpkg-source` (package dpkg-dev) and Debian's python3-dbus and python3-gi for /usr/bin/python3.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { requiresEverySuite } from './test-dependencies.js';

const exec = promisify(execFile);
const CACHE = join(process.env.RXSECRETS_CACHE_DIR ?? tmpdir(), 'rxsecrets-libsecret-source');
const PYTHON = '/usr/bin/python3';

/** Where the mock services are (`…/libsecret`), or why they cannot be had (the tests then skip with that reason). */
export type MockSource = { readonly dir: string } | { readonly unavailable: string };

let fetching: Promise<MockSource> | undefined;

/**
 * The mock services for the tests: from the cache; when they are not there, fetched now, except under CI where
 * `npm run test:deps` must have fetched them before the tests (a missing one is then unavailable, and its tests fail).
 */
export async function libsecretMocks(): Promise<MockSource> {
  if (!requiresEverySuite()) return fetchLibsecretMocks();
  const dir = await findMocks();
  return dir
    ? { dir }
    : { unavailable: `libsecret's mock services are not in ${CACHE}: run \`npm run test:deps\` first` };
}

/** Fetches (once, then from the cache) libsecret's source package and returns its `libsecret/` folder. */
export function fetchLibsecretMocks(): Promise<MockSource> {
  fetching ??= fetchMocks().catch((error: unknown) => ({
    unavailable: `libsecret's mock services could not be fetched: ${(error as Error).message.split('\n')[0]}`,
  }));
  return fetching;
}

async function fetchMocks(): Promise<MockSource> {
  const found = await findMocks();
  if (found) return { dir: found };
  for (const tool of ['apt-get', 'dpkg-source']) {
    if (
      !(await exec('sh', ['-c', `command -v ${tool}`]).then(
        () => true,
        () => false,
      ))
    ) {
      return { unavailable: `${tool} is not installed (apt packages apt and dpkg-dev)` };
    }
  }
  const sources = await debSrcSources();
  if (sources === '') return { unavailable: 'no Debian apt source is configured on this machine' };
  const apt = join(CACHE, 'apt');
  await rm(CACHE, { recursive: true, force: true });
  for (const dir of ['parts', 'lists/partial', 'cache/archives/partial']) {
    await mkdir(join(apt, dir), { recursive: true });
  }
  await mkdir(join(CACHE, 'src'));
  await writeFile(join(apt, 'parts', 'rxsecrets-src.sources'), sources);
  const options = [
    '-o',
    'Dir::Etc::SourceList=/dev/null',
    '-o',
    `Dir::Etc::SourceParts=${join(apt, 'parts')}`,
    '-o',
    `Dir::State::Lists=${join(apt, 'lists')}`,
    '-o',
    `Dir::Cache=${join(apt, 'cache')}`,
    '-o',
    'Debug::NoLocking=1',
    '-o',
    'APT::Sandbox::User=root',
    '-o',
    'APT::Update::Post-Invoke-Success::=',
  ];
  await exec('apt-get', [...options, '-qq', 'update'], { timeout: 120_000 });
  await exec('apt-get', [...options, '-qq', 'source', 'libsecret'], { cwd: join(CACHE, 'src'), timeout: 120_000 });
  const dir = await findMocks();
  return dir ? { dir } : { unavailable: 'the libsecret source package has no libsecret/mock-service-*.py' };
}

async function findMocks(): Promise<string | undefined> {
  const src = join(CACHE, 'src');
  if (!existsSync(src)) return undefined;
  for (const entry of await readdir(src)) {
    const dir = join(src, entry, 'libsecret');
    if (existsSync(join(dir, 'mock', 'service.py')) && existsSync(join(dir, 'mock-service-lock.py'))) return dir;
  }
  return undefined;
}

/** The machine's Debian `deb` sources as `deb-src` (deb822 files and one-line sources.list entries). */
async function debSrcSources(): Promise<string> {
  const parts: string[] = [];
  const dir = '/etc/apt/sources.list.d';
  for (const file of existsSync(dir) ? await readdir(dir) : []) {
    if (!file.endsWith('.sources')) continue;
    const text = await readFile(join(dir, file), 'utf8');
    parts.push(text.replace(/^Types:\s*deb\s*$/gm, 'Types: deb-src'));
  }
  if (existsSync('/etc/apt/sources.list')) {
    const lines = (await readFile('/etc/apt/sources.list', 'utf8')).split('\n').filter((l) => /^deb\s/.test(l));
    for (const line of lines) {
      const [, options, uri, suite, ...components] = /^deb\s+(\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s+(.*)$/.exec(line) ?? [];
      if (!uri || !suite) continue;
      const signedBy = /signed-by=(\S+?)[\s\]]/.exec(options ?? '')?.[1];
      parts.push(
        `Types: deb-src\nURIs: ${uri}\nSuites: ${suite}\nComponents: ${components.join(' ')}\n` +
          (signedBy ? `Signed-By: ${signedBy}\n` : ''),
      );
    }
  }
  return parts.join('\n\n');
}

/** A running mock service owning `org.freedesktop.secrets` on a bus. */
export interface MockService {
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** What a mock service's prompts do when `Prompt()` is called. */
export type MockPrompts = 'accept' | 'dismiss';

const LAUNCHER = `
import sys
mock_dir, script, prompts = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, mock_dir)
sys.argv = [script]
import mock  # sets up dbus.glib's main loop before the bus connection exists
import dbus
if prompts == 'dismiss':
    complete = mock.SecretPrompt._complete
    def dismissed(self):
        self.dismiss = True
        return complete(self)
    mock.SecretPrompt._complete = dismissed
# the mocks only take a unique name: own the well-known one too, so clients find them as a real service
dbus.SessionBus().request_name('org.freedesktop.secrets', dbus.bus.NAME_FLAG_DO_NOT_QUEUE)
import runpy
runpy.run_path(script, run_name='__main__')
`;

/** Starts `mock-service-<name>.py` on the bus at `address`; resolves once it answers on the bus. */
export async function startMockService(
  source: { dir: string },
  address: string,
  env: NodeJS.ProcessEnv,
  name: string,
  prompts: MockPrompts = 'accept',
): Promise<MockService> {
  const child = spawn(PYTHON, ['-c', LAUNCHER, source.dir, join(source.dir, `mock-service-${name}.py`), prompts], {
    env: { ...env, DBUS_SESSION_BUS_ADDRESS: address },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit').then(() => {
    throw new Error(`mock-service-${name}.py exited: ${stderr}`);
  });
  try {
    await Promise.race([once(lines, 'line'), exited]); // listen() prints the unique name once serving
  } finally {
    exited.catch(() => {});
  }
  return {
    process: child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = once(child, 'exit');
      child.kill('SIGTERM');
      await gone;
    },
  };
}
