import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

const FILE_MODE = 0o600;

/** Writes `bytes` to `path` atomically: a 0600 temp file in the same directory, synced, then renamed over it. */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', FILE_MODE);
  try {
    try {
      await handle.chmod(FILE_MODE); // the umask may have narrowed the mode, never widened it: this is for clarity
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await chmod(path, FILE_MODE);
}

/** Reads the file, or undefined when it does not exist. An existing file readable by others is chmod-ed to 0600. */
export async function readPrivateFile(path: string): Promise<Buffer | undefined> {
  try {
    const info = await stat(path);
    if ((info.mode & 0o077) !== 0) await chmod(path, FILE_MODE);
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A short, value-free description of a file-system error: its code or its name. */
export function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'error';
}
