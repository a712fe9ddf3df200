import { randomBytes } from 'node:crypto';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';

// A page rendered once with named holes where each reader's parts go, kept as encoded bytes, and
// filled per request by joining buffers: no render and no re-encoding of the parts every reader
// shares. (Joining a page as one long string of many pieces is what costs: Node flattens and encodes
// it again for every response.)

// Letters and digits only, so escaping leaves a hole's mark as it is wherever Preact writes it (text
// or attribute); random per process, so no text a reader wrote can contain one.
const MARK = `h${randomBytes(9).toString('hex')}h`;
const HOLE = new RegExp(`${MARK}([a-z]+)${MARK}`, 'g');

/** The mark for a hole named `name` (lower-case letters), to render in place of its content. */
export const hole = (name: string): string => `${MARK}${name}${MARK}`;

export interface PageTemplate {
  /** The bytes around the holes: parts.length === holes.length + 1. */
  parts: Buffer[];
  holes: string[];
  /** What it holds in memory. */
  bytes: number;
}

/** Cuts rendered HTML at its holes. */
export function cutTemplate(html: string): PageTemplate {
  const parts: Buffer[] = [];
  const holes: string[] = [];
  let from = 0;
  for (const match of html.matchAll(HOLE)) {
    parts.push(Buffer.from(html.slice(from, match.index)));
    holes.push(match[1]!);
    from = match.index + match[0].length;
  }
  parts.push(Buffer.from(html.slice(from)));
  return { parts, holes, bytes: parts.reduce((n, p) => n + p.length + 64, 200) };
}

/** A piece of a page: HTML text or bytes already encoded (cached parts). */
export type Chunk = string | Buffer;

/** The page with each hole filled; a hole without a fill stays empty. */
export function fillTemplate(template: PageTemplate, fills: Record<string, Chunk | readonly Chunk[]>): Buffer {
  const out: Buffer[] = [template.parts[0]!];
  for (let i = 0; i < template.holes.length; i++) {
    const fill = fills[template.holes[i]!];
    if (fill !== undefined) for (const chunk of Array.isArray(fill) ? fill : [fill]) out.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    out.push(template.parts[i + 1]!);
  }
  return Buffer.concat(out);
}

/** Text for HTML text or a double-quoted attribute, escaped by Preact as every rendered page is (", &, <). */
export function escapeHtml(text: string): string {
  return renderToString(h('i', null, text)).slice(3, -4);
}
