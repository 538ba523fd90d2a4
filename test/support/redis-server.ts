// A real redis-server per test file: a free port, a temporary directory, no persistence (a restart starts empty).
// Or a real Redis Cluster of three such servers, for the fleet's cluster test.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A redis-server that a test can stop and start again on the same port. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGKILL: no goodbye to clients). */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty). */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

function freePort(): Promise<number> {
  return anyPort().then(async (port) => {
    // A cluster node also listens on port + 10000 (its bus): keep both in range and free.
    if (port > 55_000 || !(await isFree(port + 10_000))) return freePort();
    return port;
  });
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function anyPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts a redis-server for one test file (`args`: extra server options). */
export async function startRedisServer(args: readonly string[] = []): Promise<RedisServer> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'rxsecrets-redis-'));
  let child: ChildProcess | undefined;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', ...args],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = proc;
      let out = '';
      proc.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
      proc.once('error', reject);
      proc.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-500)}`)));
    });
  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A Redis Cluster of three primaries (no replicas), each a {@link RedisServer}. */
export interface RedisCluster {
  readonly nodes: readonly RedisServer[];
  dispose(): Promise<void>;
}

function redisCli(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('redis-cli', [...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`redis-cli ${args.join(' ')}: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** Starts three cluster-enabled redis-servers, joins them into one cluster and waits until it serves every slot. */
export async function startRedisCluster(): Promise<RedisCluster> {
  const nodes = await Promise.all(
    [0, 1, 2].map(() => startRedisServer(['--cluster-enabled', 'yes', '--cluster-node-timeout', '5000'])),
  );
  const dispose = async () => {
    await Promise.all(nodes.map((node) => node.dispose()));
  };
  try {
    await redisCli(['--cluster', 'create', ...nodes.map((node) => `127.0.0.1:${node.port}`), '--cluster-yes']);
    // `--cluster create` returns once slots are assigned; each node says `ok` once it has learnt the others'.
    for (const node of nodes) {
      for (let attempt = 0; ; attempt += 1) {
        const info = await redisCli(['-p', String(node.port), 'cluster', 'info']);
        if (info.includes('cluster_state:ok')) break;
        if (attempt > 300) throw new Error(`cluster node ${node.port} never reached cluster_state:ok`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  } catch (error) {
    await dispose();
    throw error;
  }
  return { nodes, dispose };
}
