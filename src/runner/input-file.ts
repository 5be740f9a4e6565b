/** Reading a user's input file, with an InputError naming it when it cannot be read. */
import { readFileSync } from 'node:fs';
import { InputError } from '../model/scenario-file.js';

export function readInputText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(file, [{ path: '', message: code === 'ENOENT' ? 'no such file' : `cannot read: ${String(e)}` }]);
  }
}
