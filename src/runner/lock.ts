/**
 * The lock of a results directory: a file `.rackbench.lock` holding the pid,
 * host and start of the process writing the directory. It is created whole or
 * not at all (written aside, then hard-linked into place), removed when the
 * writer ends, and taken over when stale: its process is gone (same host), or,
 * for a lock of another host sharing the directory (a network volume), it has
 * not been refreshed for STALE_AFTER_MS. A second writer gets a UsageError
 * "… is in use by pid N", so its results cannot silently replace the first's.
 */
import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { UsageError } from '../core/errors.js';
import { pathInside } from '../core/paths.js';

export const LOCK_FILE = '.rackbench.lock';

/** How often a holder refreshes its lock's modification time (for hosts that cannot see its pid). */
const REFRESH_MS = 10_000;
/** A lock of another host not refreshed for this long is stale. */
export const STALE_AFTER_MS = 60_000;

interface LockInfo {
  readonly pid: number;
  readonly host: string;
  /** Wall-clock start, ms since the epoch. */
  readonly since: number;
  readonly token: string;
}

export interface ResultsLock {
  readonly file: string;
  /** Removes the lock (if it is still this holder's). Idempotent. */
  release(): void;
}

/** Tokens of the locks this process holds: a lock with this pid but another token is a previous process's. */
const held = new Set<string>();

const wallClockMs = (): number => performance.timeOrigin + performance.now();

function readLock(file: string): LockInfo | 'absent' | 'damaged' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw e;
  }
  try {
    const data = JSON.parse(text) as Partial<LockInfo>;
    if (Number.isSafeInteger(data.pid) && typeof data.host === 'string' && typeof data.since === 'number' && typeof data.token === 'string') return data as LockInfo;
  } catch {
    // fall through: not a lock this code wrote
  }
  return 'damaged';
}

/** Whether a lock's holder may still be running. */
function isLive(lock: LockInfo, file: string): boolean {
  if (lock.host !== hostname()) {
    try {
      return wallClockMs() - statSync(file).mtimeMs < STALE_AFTER_MS;
    } catch {
      return false;
    }
  }
  // Our own pid: a lock of this process, or of an earlier process that had the same pid (a restarted container).
  if (lock.pid === process.pid) return held.has(lock.token);
  try {
    process.kill(lock.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function inUse(dir: string, file: string, lock: LockInfo): UsageError {
  const seconds = Math.max(0, Math.round((wallClockMs() - lock.since) / 1000));
  const host = lock.host === hostname() ? '' : ` on host ${lock.host}`;
  return new UsageError(
    `${dir} is in use by pid ${lock.pid}${host} (for ${seconds} s): another rackbench is writing there; wait for it to end or choose another output directory` +
      ` (if that process is gone, remove ${file})`,
  );
}

/**
 * Takes the lock of a results directory (creating the directory), or throws
 * UsageError "… is in use by pid N" when another live process holds it.
 */
export function lockResults(dir: string): ResultsLock {
  const file = pathInside(dir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: hostname(), since: Math.round(wallClockMs()), token: randomUUID() };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (create(file, mine)) return holding(file, mine);
    const current = readLock(file);
    if (current === 'absent') continue;
    if (current === 'damaged' ? isFresh(file) : isLive(current, file)) {
      if (current === 'damaged') throw new UsageError(`${dir} is in use: its lock ${file} is being written by another process; try again`);
      throw inUse(dir, file, current);
    }
    takeOver(file, current);
  }
  throw new UsageError(`${dir}: could not take its lock ${file}: other processes keep taking it; try again`);
}

/**
 * Creates the lock file holding `mine`, whole: written aside and hard-linked
 * into place (on a file system without hard links, created exclusively and
 * then written). False when a lock file exists.
 */
function create(file: string, mine: LockInfo): boolean {
  const content = `${JSON.stringify(mine)}\n`;
  const tmp = `${file}.${mine.token}.tmp`;
  writeFileSync(tmp, content, { flag: 'wx' });
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
  try {
    writeFileSync(file, content, { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** Whether a file was modified in the last few seconds (a lock being created without hard links). */
function isFresh(file: string): boolean {
  try {
    return wallClockMs() - statSync(file).mtimeMs < 5_000;
  } catch {
    return false;
  }
}

/**
 * Moves a stale lock aside. If what was moved is not the stale lock read
 * (another process replaced it in the meantime), it is put back.
 */
function takeOver(file: string, stale: LockInfo | 'damaged'): void {
  const aside = `${file}.${randomUUID()}.stale`;
  try {
    renameSync(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = readLock(aside);
  const same = stale === 'damaged' ? moved === 'damaged' : typeof moved === 'object' && moved.token === stale.token;
  try {
    if (!same) linkSync(aside, file);
  } catch {
    // Someone locked it again meanwhile: theirs stands.
  } finally {
    rmSync(aside, { force: true });
  }
}

function holding(file: string, mine: LockInfo): ResultsLock {
  held.add(mine.token);
  const refresh = setInterval(() => {
    try {
      const now = wallClockMs() / 1000;
      utimesSync(file, now, now);
    } catch {
      // The lock is gone or unreachable; release() will find out.
    }
  }, REFRESH_MS);
  refresh.unref();
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    clearInterval(refresh);
    process.off('exit', release);
    held.delete(mine.token);
    const current = readLock(file);
    if (typeof current === 'object' && current.token === mine.token) rmSync(file, { force: true });
  };
  // Covers process.exit() (a second Ctrl-C); a killed process leaves a stale lock, taken over next time.
  process.on('exit', release);
  return { file, release };
}

/** Throws UsageError when a live process holds the lock of `dir` (for commands that read a directory another may be writing). */
export function checkUnlocked(dir: string, what: string): void {
  const file = `${dir}/${LOCK_FILE}`;
  const current = readLock(file);
  if (typeof current === 'object' && isLive(current, file)) {
    throw new UsageError(`${what} ${dir} is in use by pid ${current.pid}${current.host === hostname() ? '' : ` on host ${current.host}`}: it is still being written; wait for it to end`);
  }
}

/** Runs `body` holding the lock of `dir`; the lock is released however `body` ends. */
export async function withResultsLock<T>(dir: string, body: () => Promise<T> | T): Promise<T> {
  const lock = lockResults(dir);
  try {
    return await body();
  } finally {
    lock.release();
  }
}
