import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

test('the README demo runs and shows what it claims', async (t) => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/demo.ts'], { cwd: root });
  t.regex(stdout, /db\/config#port -> 5432/);
  t.regex(stdout, /pages fetched: 1\n/);
  t.regex(stdout, /watch saw versions 1, 2, 3, 4;/);
  t.regex(stdout, /1000 reads in \d+ ms; backend get calls: 1\n/);
  t.false(stdout.includes('initial-password'), 'the demo never prints a value');
});

test('the quick start runs', async (t) => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/quick-start.ts'], { cwd: root });
  t.regex(stdout, /Secret\(memory:db\/config@1\) holds a string/);
  t.regex(stdout, /db\/config 1/);
  t.false(stdout.includes('s3cret'));
});
