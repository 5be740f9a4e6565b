/**
 * Paths written under an output directory. A name taken from input data (a
 * run key, a table name) is checked to be one plain file name, and the path
 * is resolved through any symbolic links to check that it stays inside the
 * directory: a results directory never writes, nor reads back as its own,
 * anything outside itself.
 */
import { existsSync, lstatSync, mkdirSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError } from './errors.js';
import { quote } from './text.js';

/** Whether `name` is one plain file name: not empty, no separator or NUL, not `.` or `..`, at most 255 characters. */
export function isPlainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && name.length <= 255 && !/[/\\]/.test(name) && !name.includes('\u0000');
}

/** The real path of `path`: of its deepest existing ancestor, with the rest of the path appended. */
function realPathOf(path: string): string {
  let existing = resolve(path);
  const rest: string[] = [];
  for (;;) {
    let exists = existsSync(existing);
    // A dangling symbolic link exists as a link: resolving it is refused below (realpath fails).
    if (!exists) {
      try {
        lstatSync(existing);
        exists = true;
      } catch {
        exists = false;
      }
    }
    if (exists) break;
    const parent = dirname(existing);
    if (parent === existing) break;
    rest.unshift(existing.slice(parent.length).replace(/^[/\\]/, ''));
    existing = parent;
  }
  let real: string;
  try {
    real = realpathSync(existing);
  } catch {
    throw new UsageError(`${path}: ${existing} is a symbolic link that leads nowhere`);
  }
  return rest.length === 0 ? real : join(real, ...rest);
}

/** Whether `path` resolves (symbolic links followed) to `root` or a path under it. */
export function resolvesInside(root: string, path: string): boolean {
  const r = realPathOf(root);
  const p = realPathOf(path);
  return p === r || p.startsWith(r.endsWith(sep) ? r : r + sep);
}

/**
 * The path of `names` under `root`, each name checked to be a plain file name
 * and the whole path checked to resolve inside `root`. Creates `root` when it
 * does not exist. Throws UsageError naming the path and why.
 */
export function pathInside(root: string, ...names: string[]): string {
  for (const name of names) {
    if (!isPlainName(name)) throw new UsageError(`${quote(name)} is not a plain file name, so it cannot name a file inside ${root}`);
  }
  mkdirSync(root, { recursive: true });
  const path = join(root, ...names);
  if (!resolvesInside(root, path)) {
    throw new UsageError(`${path} resolves to ${realPathOf(path)}, outside ${root} (through a symbolic link): rackbench writes only inside its output directory`);
  }
  return path;
}

/** `path` relative to `root` for messages, or `path` itself when outside it. */
export function shownPath(root: string, path: string): string {
  const rel = relative(root, path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}
