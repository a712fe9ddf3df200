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
  const out: Chunk[] = [template.parts[0]!];
  for (let i = 0; i < template.holes.length; i++) {
    const fill = fills[template.holes[i]!];
    if (fill !== undefined) {
      if (Array.isArray(fill)) out.push(...(fill as readonly Chunk[]));
      else out.push(fill as Chunk);
    }
    out.push(template.parts[i + 1]!);
  }
  return joinChunks(out);
}

/**
 * Pieces of HTML as one buffer, the text ones encoded straight into it: a Buffer.from for each of a
 * page's small per-reader pieces (a comment's actions, the account area) took a tenth of a signed-in
 * page's time, in allocations alone.
 */
export function joinChunks(chunks: readonly Chunk[]): Buffer {
  let length = 0;
  for (const chunk of chunks) length += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (const chunk of chunks) at += typeof chunk === 'string' ? out.write(chunk, at) : chunk.copy(out, at);
  return out;
}

/** Text for HTML text or a double-quoted attribute, escaped by Preact as every rendered page is (", &, <). */
export function escapeHtml(text: string): string {
  return renderToString(h('i', null, text)).slice(3, -4);
}
