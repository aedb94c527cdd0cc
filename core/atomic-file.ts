/**
 * Crash-safe file writes: write a temporary file in the same directory, fsync it, rename it over
 * the target, fsync the directory. After `kill -9` at any point the target is either the old or the
 * new content, never a mix.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export async function writeFileAtomic(file: string, content: string | Buffer, mode = 0o644): Promise<void> {
  const dir = path.dirname(file);
  await fs.promises.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`);
  const handle = await fs.promises.open(tmp, 'w', mode);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

export function writeFileAtomicSync(file: string, content: string | Buffer, mode = 0o644): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, 'w', mode);
  try {
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename itself durable; some file systems refuse to open a directory: ignore that.
  try {
    const handle = await fs.promises.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}

/** A JSON file's content, or null when the file does not exist (other errors are thrown). */
export async function readJsonFile<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await fs.promises.readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * A random secret kept in `dataDir/fileName` (0600), made on first use: dev and single-machine
 * installs get credentials without anyone typing one, and keep them across restarts.
 */
export function loadOrCreateSecret(dataDir: string, fileName: string): string {
  const file = path.join(dataDir, fileName);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileAtomicSync(file, crypto.randomBytes(32).toString('base64url'), 0o600);
    // Read back: if two processes raced, both now use the one that won the rename.
    return fs.readFileSync(file, 'utf8').trim();
  }
}
