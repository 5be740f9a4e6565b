/**
 * Input text shown in messages. A value quoted in an error is cut to
 * QUOTE_LIMIT characters and shown with every control character escaped, so
 * a 10 MB field or a binary file cannot flood a terminal or drive it with
 * escape sequences.
 */

/** The most characters of an offending value a message quotes. */
export const QUOTE_LIMIT = 80;

/**
 * Characters a terminal may act on, beyond those JSON.stringify escapes (C0
 * controls): DEL, the C1 controls (U+009B is a one-byte CSI), the line and
 * paragraph separators, the byte order mark and the bidirectional overrides
 * and isolates, which reorder what follows them.
 */
const TERMINAL_CONTROLS = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const hex = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The first `limit` characters of `text`, not splitting a surrogate pair. */
function head(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const end = /[\ud800-\udbff]/.test(text[limit - 1] ?? '') ? limit - 1 : limit;
  return text.slice(0, end);
}

/**
 * A value as a message quotes it: in double quotes with JSON escapes, every
 * control character escaped, and at most `limit` characters of it, followed
 * by its full length when cut: `"1111…" (10,485,760 characters)`.
 */
export function quote(value: string, limit = QUOTE_LIMIT): string {
  const shown = head(value, limit);
  const quoted = JSON.stringify(shown).replace(TERMINAL_CONTROLS, hex);
  return shown.length === value.length ? quoted : `${quoted.slice(0, -1)}…" (${value.length.toLocaleString('en-US')} characters)`;
}

/**
 * A message made safe for a terminal: control characters other than newline
 * and tab escaped as \uXXXX (ESC included), lone surrogates too, and every
 * line cut to `lineLimit` characters. For text that may carry input not
 * quoted by quote() (a library's message, a file name).
 */
export function safeText(text: string, lineLimit = 2000): string {
  return text
    .split('\n')
    .map((line) => {
      const escaped = head(line, lineLimit)
        // eslint-disable-next-line no-control-regex -- escaping control characters is the point
        .replace(/[\u0000-\u0008\u000b-\u001f]/g, hex)
        .replace(TERMINAL_CONTROLS, hex)
        .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, hex);
      return line.length > lineLimit ? `${escaped}… (line cut at ${lineLimit.toLocaleString('en-US')} characters)` : escaped;
    })
    .join('\n');
}
