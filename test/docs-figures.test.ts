/**
 * `npm run docs:figures` (bench/docs-figures.ts): the marked blocks of the
 * README and docs/ it rewrites, and every block there naming a figure it
 * knows. CI runs it with --check, which regenerates the figures from their
 * commands and fails when the committed text differs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csvRows, FIGURES, section } from '../bench/docs-figures.js';
import { blocksOf, rewriteBlocks } from '../bench/figure-blocks.js';

const DOC = ['intro', '<!-- figures: a -->', 'old a', '<!-- /figures: a -->', 'middle', '<!-- figures: b -->', '<!-- /figures: b -->', 'end'].join('\n');

describe('figures blocks', () => {
  it('are found with their line and content', () => {
    expect(blocksOf(DOC, 'x.md')).toEqual([
      { id: 'a', line: 2, content: 'old a' },
      { id: 'b', line: 6, content: '' },
    ]);
  });

  it('are rewritten in place, the text around them untouched', () => {
    const next = rewriteBlocks(DOC, 'x.md', (id) => (id === 'a' ? 'new a\nsecond line' : 'b!'));
    expect(next).toBe(['intro', '<!-- figures: a -->', 'new a', 'second line', '<!-- /figures: a -->', 'middle', '<!-- figures: b -->', 'b!', '<!-- /figures: b -->', 'end'].join('\n'));
    // Rewriting with the same content gives the same text: what --check compares.
    expect(rewriteBlocks(next, 'x.md', (id) => blocksOf(next, 'x.md').find((b) => b.id === id)!.content)).toBe(next);
  });

  it('reject a block never closed, a stray close and an unknown figure, naming file and line', () => {
    expect(() => blocksOf('a\n<!-- figures: a -->\nx', 'x.md')).toThrow('x.md:2: figures block "a" is never closed');
    expect(() => blocksOf('<!-- /figures: a -->', 'x.md')).toThrow('x.md:1: "/figures: a" closes no open block');
    expect(() => blocksOf('<!-- figures: a -->\n<!-- figures: b -->', 'x.md')).toThrow('x.md:2: figures block "b" opens inside "a" (line 1)');
    expect(() => rewriteBlocks(DOC, 'x.md', () => undefined)).toThrow('x.md:2: no figure named "a"');
  });

  it('in README.md and docs/ each name a known figure, and every figure is used', () => {
    const files = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    const ids = files.flatMap((f) => blocksOf(readFileSync(f, 'utf8'), f).map((b) => b.id));
    expect(new Set(ids)).toEqual(new Set(FIGURES.map((f) => f.id)));
  });
});

describe('reading a command output', () => {
  it('takes a section up to the next blank line', () => {
    expect(section('x\nTitle: y\nrow 1  \nrow 2\n\nwrote z\n', 'Title')).toBe('Title: y\nrow 1\nrow 2');
    expect(() => section('x', 'Title')).toThrow('no line starting "Title"');
  });

  it('reads CSV with quoted fields', () => {
    expect(csvRows('a,b\n1,"x, ""y"""\n2,\n')).toEqual([
      { a: '1', b: 'x, "y"' },
      { a: '2', b: '' },
    ]);
  });
});
