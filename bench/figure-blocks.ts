/**
 * The marked blocks of README.md and docs/*.md that `npm run docs:figures`
 * writes: everything between
 *
 *   <!-- figures: ID -->
 *   <!-- /figures: ID -->
 *
 * is the output of figure ID, and nothing else may be edited there by hand.
 */

export interface Block {
  readonly id: string;
  /** 1-based line of the opening marker. */
  readonly line: number;
  readonly content: string;
}

const OPEN = /^<!-- figures: ([a-z0-9-]+) -->$/;
const CLOSE = /^<!-- \/figures: ([a-z0-9-]+) -->$/;

/** The blocks of a file, in order; an unclosed, stray or nested marker is an error naming the file and line. */
export function blocksOf(text: string, file: string): Block[] {
  const lines = text.split('\n');
  const out: Block[] = [];
  let open: { id: string; line: number; body: string[] } | undefined;
  lines.forEach((line, i) => {
    const o = OPEN.exec(line);
    const c = CLOSE.exec(line);
    if (o !== null) {
      if (open !== undefined) throw new Error(`${file}:${i + 1}: figures block "${o[1]}" opens inside "${open.id}" (line ${open.line})`);
      open = { id: o[1]!, line: i + 1, body: [] };
    } else if (c !== null) {
      if (open === undefined || open.id !== c[1]) throw new Error(`${file}:${i + 1}: "/figures: ${c[1]}" closes no open block${open ? ` (open: "${open.id}", line ${open.line})` : ''}`);
      out.push({ id: open.id, line: open.line, content: open.body.join('\n') });
      open = undefined;
    } else if (open !== undefined) {
      open.body.push(line);
    }
  });
  if (open !== undefined) throw new Error(`${file}:${open.line}: figures block "${open.id}" is never closed (expected "<!-- /figures: ${open.id} -->")`);
  return out;
}

/** The text with each block's content replaced by `content(id)`; an id without content is an error. */
export function rewriteBlocks(text: string, file: string, content: (id: string) => string | undefined): string {
  const blocks = blocksOf(text, file);
  const lines = text.split('\n');
  const out: string[] = [];
  let skip = false;
  for (const line of lines) {
    const o = OPEN.exec(line);
    if (o !== null) {
      const body = content(o[1]!);
      if (body === undefined) throw new Error(`${file}:${blocks.find((b) => b.id === o[1])!.line}: no figure named "${o[1]}"`);
      out.push(line, ...(body === '' ? [] : body.split('\n')));
      skip = true;
    } else if (CLOSE.test(line)) {
      out.push(line);
      skip = false;
    } else if (!skip) {
      out.push(line);
    }
  }
  return out.join('\n');
}
