// Starts moto's standalone server (an independent AWS implementation, https://github.com/getmoto/moto) for the
// interop tests: one server per test file, on a port of its own, stopped with its whole process group.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The region the interop clients use (moto serves any). */
export const MOTO_REGION = 'us-east-1';
/** Static credentials for moto (it checks no signature). */
export const MOTO_CREDENTIALS = { accessKeyId: 'AKIDMOTOINTEROP', secretAccessKey: 'moto-interop-secret' };

/** A running moto server. */
export interface MotoServer {
  /** `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  /** What an SDK client (or a provider) needs to talk to it. */
  clientConfig(): { endpoint: string; region: string; credentials: typeof MOTO_CREDENTIALS };
  /** Forgets every resource of every service (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  /** Stops the server (its process group) and waits for it to exit. */
  stop(): Promise<void>;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** How to start moto's server: a command and the arguments before moto_server's own. */
export interface MotoCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * How to start moto's server, found the way a user's machine has it: `$MOTO_SERVER` when set (an explicit choice is
 * not second-guessed: undefined when it is not executable), else `moto_server` on the PATH (what `pip install
 * 'moto[server]'` installs), else `python3 -m moto.server` when the PATH's python3 can import moto; undefined when
 * there is none.
 */
export function findMotoServer(env: NodeJS.ProcessEnv = process.env): MotoCommand | undefined {
  const override = env.MOTO_SERVER;
  if (override !== undefined && override !== '')
    return isExecutable(override) ? { command: override, args: [] } : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, 'moto_server'))) return { command: join(dir, 'moto_server'), args: [] };
  }
  const probe = spawnSync(
    'python3',
    ['-c', 'import importlib.util, sys; sys.exit(importlib.util.find_spec("moto.server") is None)'],
    {
      env,
      stdio: 'ignore',
      timeout: 20_000,
    },
  );
  return probe.status === 0 ? { command: 'python3', args: ['-m', 'moto.server'] } : undefined;
}

/** Why moto is required, and how to get it: the message of a missing moto. */
export const MOTO_MISSING =
  "moto's server was not found (MOTO_SERVER, moto_server on the PATH, or python3 -m moto.server): pip install 'moto[server]'";

/** Options of {@link startMotoServer}. */
export interface StartMotoOptions {
  /** The command; default {@link findMotoServer}'s. */
  readonly command?: MotoCommand;
  /** How long to wait for the server to answer. Default 20 s (a cold Python start takes 1–3 s). */
  readonly timeoutMs?: number;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the port the child announces (`Running on http://127.0.0.1:PORT`), or rejects when it exits. */
function announcedPort(child: ChildProcess, output: () => string, deadline: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`moto_server announced no port in time; its output:\n${output()}`)),
      deadline - Date.now(),
    );
    const onData = () => {
      const match = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(output());
      if (match) finish(undefined, Number(match[1]));
    };
    const onExit = (code: number | null, signal: string | null) =>
      finish(new Error(`moto_server exited (${signal ?? code}) before serving; its output:\n${output()}`));
    function finish(error: Error | undefined, port?: number) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(port as number);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    onData();
  });
}

/** Polls `POST /moto-api/reset` until the server answers 200 (which also proves it is moto), or the deadline. */
async function waitUntilServing(endpoint: string, deadline: number, output: () => string): Promise<void> {
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST', signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.ok) return;
      last = new Error(`HTTP ${response.status}`);
    } catch (error) {
      last = error;
    }
    await delay(50);
  }
  throw new Error(`moto_server at ${endpoint} did not answer in time (${String(last)}); its output:\n${output()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal); // the whole group: moto_server and anything it started
      } catch {
        // already gone
      }
    };
    const force = setTimeout(() => kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    kill('SIGTERM');
  });
}

/**
 * Starts moto_server on a free port of 127.0.0.1 and resolves once it answers. Port 0 lets the OS pick the port
 * (no race with other servers); the port is read from the server's own start line, then HTTP is polled until it
 * answers. The server runs in its own process group; {@link MotoServer.stop} ends the group.
 */
export async function startMotoServer(options: StartMotoOptions = {}): Promise<MotoServer> {
  const moto = options.command ?? findMotoServer();
  if (moto === undefined) throw new Error(MOTO_MISSING);
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  const child = spawn(moto.command, [...moto.args, '-H', '127.0.0.1', '-p', '0'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  // moto logs every request: keep draining its pipes, remembering only the start for diagnostics.
  let captured = '';
  const capture = (chunk: Buffer) => {
    if (captured.length < 16_384) captured += chunk.toString('utf8');
  };
  child.stdout?.on('data', capture);
  child.stderr?.on('data', capture);
  const spawnFailed = new Promise<never>((_, reject) => child.once('error', reject));
  const output = () => captured;
  try {
    const port = await Promise.race([announcedPort(child, output, deadline), spawnFailed]);
    const endpoint = `http://127.0.0.1:${port}`;
    await Promise.race([waitUntilServing(endpoint, deadline, output), spawnFailed]);
    return {
      endpoint,
      clientConfig: () => ({ endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS }),
      async reset() {
        const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
      },
      stop: () => stopChild(child),
    };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}
