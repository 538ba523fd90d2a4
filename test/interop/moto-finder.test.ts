// How the interop suites find moto: as a user's machine has it ($MOTO_SERVER, moto_server on the PATH, or
// `python3 -m moto.server`). Checked with stand-in executables in a temp folder, so it runs without moto.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { findMotoServer } from '../support/moto-server.js';

/** A temp folder holding executables with the given shell bodies, removed after the test. */
async function binDir(t: { teardown(fn: () => Promise<void>): void }, scripts: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'rxsecrets-moto-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  for (const [name, body] of Object.entries(scripts)) {
    await writeFile(join(dir, name), `#!/bin/sh\n${body}\n`);
    await chmod(join(dir, name), 0o755);
  }
  return dir;
}

test('moto_server on the PATH is found first', async (t) => {
  const dir = await binDir(t, { moto_server: 'exit 0', python3: 'exit 0' });
  t.deepEqual(findMotoServer({ PATH: dir }), { command: join(dir, 'moto_server'), args: [] });
});

test('else python3 -m moto.server, when that python3 has moto', async (t) => {
  const dir = await binDir(t, { python3: 'exit 0' });
  t.deepEqual(findMotoServer({ PATH: dir }), { command: 'python3', args: ['-m', 'moto.server'] });
});

test('none when the python3 on the PATH has no moto', async (t) => {
  const dir = await binDir(t, { python3: 'exit 1' });
  t.is(findMotoServer({ PATH: dir }), undefined);
});

test('$MOTO_SERVER is taken as given: used when executable, else none (no fallback)', async (t) => {
  const dir = await binDir(t, { custom: 'exit 0', moto_server: 'exit 0' });
  t.deepEqual(findMotoServer({ PATH: dir, MOTO_SERVER: join(dir, 'custom') }), {
    command: join(dir, 'custom'),
    args: [],
  });
  t.is(findMotoServer({ PATH: dir, MOTO_SERVER: join(dir, 'missing') }), undefined);
});
