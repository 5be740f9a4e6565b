/** Escaping user-controlled strings (scenario, scheduler and queue names) for each output format. */

const HTML: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML[c]!);
}

/**
 * Text for a markdown table cell: markdown punctuation is backslash-escaped
 * and HTML's & < > become entities (GitHub renders inline HTML in comments);
 * line breaks would end the row, so they become spaces.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]|#~]/g, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => HTML[c]!);
}

/** An id for an HTML anchor: lowercase letters, digits and dashes, made unique by a number. */
export function anchorId(s: string, n: number): string {
  const slug = s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return `${slug === '' ? 's' : slug}-${n}`;
}
