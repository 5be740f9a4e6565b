/** Checks shared by the tests of the report pages: what a page may hold outside its inline scripts. */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';

/** The page with the contents of every script element taken out (the runtime's own strings are no requests). */
export function outsideScripts(html: string): string {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '<script></script>');
}

/**
 * A page that loads nothing: outside its scripts no URL but the SVG namespaces, no external
 * script, stylesheet or import; a Content-Security-Policy that loads nothing from anywhere, allows
 * no eval and lists the hash of every executable inline script (the JSON specs are not run).
 */
export function expectSelfContained(html: string): void {
  const rest = outsideScripts(html);
  expect(rest).not.toMatch(/<link|@import|\bsrc=|url\((?!#)/i);
  const urls = new Set(rest.match(/https?:\/\/[^"' )<]+/g) ?? []);
  for (const u of urls) expect(['http://www.w3.org/1999/xlink', 'http://www.w3.org/2000/svg']).toContain(u);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
  expect(csp).toMatch(/^default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src /);
  expect(csp).not.toContain('unsafe-eval');
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  const scripts = [...html.matchAll(/<script(\b[^>]*)>([\s\S]*?)<\/script>/g)].filter((m) => !/type="application\/json"/.test(m[1]!));
  expect(scripts.length).toBeGreaterThanOrEqual(3);
  for (const m of scripts) {
    const hash = `'sha256-${createHash('sha256').update(m[2]!, 'utf8').digest('base64')}'`;
    expect(csp).toContain(hash);
  }
}
