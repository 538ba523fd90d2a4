/**
 * Whether the reader of our stdout pipe has taken what we wrote, from /proc (Linux): the processes of the pipeline
 * around us (our parent and its other children) that hold the pipe's read end, and their state. A reader that
 * exited is gone (`| head -1`); one that sleeps (blocked in a read, a poll, a wait) has taken the data it wanted for
 * now; one that runs is still busy with it. `ls` waits for this before it asks for a second page, so that
 * `ls | head -1` asks for exactly one.
 * @module
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/** What the processes that read our pipe are doing. */
export type PipeReaderState =
  /** No process around us holds the pipe's read end any more (or a reader elsewhere: a write will tell). */
  | 'none'
  /** Every reader sleeps: it has read what it wanted for now. */
  | 'waiting'
  /** A reader is running (reading, or about to exit). */
  | 'busy'
  /** /proc cannot tell (not Linux, not a pipe, not ours to inspect). */
  | 'unknown';

const lines = (path: string) => readFileSync(path, 'utf8').trim().split(/\s+/).filter(Boolean);

/** Whether process `pid` holds `pipe` (a `pipe:[inode]` link) open for reading. */
function readsPipe(pid: number, pipe: string): boolean {
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== pipe) continue;
      const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1];
      // O_ACCMODE: 0 is O_RDONLY
      if (flags !== undefined && (Number.parseInt(flags, 8) & 3) === 0) return true;
    } catch {
      // the descriptor was closed meanwhile
    }
  }
  return false;
}

/** The state of the readers of the pipe on descriptor `fd` (see {@link PipeReaderState}). */
export function pipeReaderState(fd = 1): PipeReaderState {
  if (process.platform !== 'linux') return 'unknown';
  try {
    const pipe = readlinkSync(`/proc/self/fd/${fd}`);
    if (!pipe.startsWith('pipe:')) return 'unknown';
    const parent = process.ppid;
    const siblings = lines(`/proc/${parent}/task/${parent}/children`).map(Number);
    let busy = false;
    let readers = 0;
    for (const pid of [parent, ...siblings]) {
      if (pid === process.pid) continue;
      try {
        if (!readsPipe(pid, pipe)) continue;
        // the state is the field after the command name, which is in parentheses and may hold spaces
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        if (state === 'Z' || state === 'X') continue;
        readers++;
        if (state !== 'S' && state !== 'I') busy = true;
      } catch {
        // exited meanwhile, or not ours to inspect: not a reader we can wait for
      }
    }
    if (readers === 0) return 'none';
    return busy ? 'busy' : 'waiting';
  } catch {
    return 'unknown';
  }
}

/** How long {@link readerSettled} waits for a busy reader at most, and checks between. */
export const READER_WAIT = { maxMs: 250, everyMs: 2, unknownMs: 40 } as const;

/**
 * Resolves once the reader of the pipe on `fd` has taken what was written to it (it sleeps) or is gone, or after
 * {@link READER_WAIT}.maxMs; where /proc cannot tell, after a short pause ({@link READER_WAIT}.unknownMs).
 */
export async function readerSettled(fd = 1): Promise<void> {
  const deadline = Date.now() + READER_WAIT.maxMs;
  for (;;) {
    const state = pipeReaderState(fd);
    if (state === 'unknown') return void (await delay(READER_WAIT.unknownMs));
    if (state !== 'busy' || Date.now() >= deadline) return;
    await delay(READER_WAIT.everyMs);
  }
}
