// The story's body as typed blocks (paragraphs, subheads, lists, quotes) with inline links and
// emphasis: the rules every reader of the body relies on, wherever the blocks came from.
import type { BodyBlock, InlineRun, ListItem } from './model.ts';

const SAFE_SCHEME = /^(?:https?|mailto):$/i;

/**
 * The link's address when it may be shown: absolute http(s) or mailto only. Relative addresses
 * (without a page address to resolve them against), `javascript:`, `data:` and the like are dropped,
 * and with them the link (its words stay).
 */
export function safeHref(href: string | null | undefined): string | null {
  if (!href) return null;
  try {
    const url = new URL(href.trim());
    return SAFE_SCHEME.test(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** Whether a link leaves the site (every stored link does today: they point at the publisher's pages). */
export function isExternal(href: string, ownOrigin: string | null): boolean {
  if (!/^https?:/i.test(href)) return false;
  try {
    return ownOrigin === null || new URL(href).origin !== ownOrigin;
  } catch {
    return true;
  }
}

/** Adjacent runs with the same marks joined, whitespace collapsed across them, ends trimmed. */
export function tidyRuns(runs: InlineRun[]): InlineRun[] {
  const out: InlineRun[] = [];
  for (const run of runs) {
    let text = run.text.replace(/[\s\u200B]+/g, ' ');
    const previous = out[out.length - 1];
    // One space between words, whichever run it came in.
    if ((previous === undefined || previous.text.endsWith(' ')) && text.startsWith(' ')) text = text.slice(1);
    if (text === '') continue;
    if (previous && sameMarks(previous, run)) previous.text += text;
    else out.push(withMarks(text, run));
  }
  const last = out[out.length - 1];
  if (last) {
    last.text = last.text.replace(/ $/, '');
    if (last.text === '') out.pop();
  }
  return out;
}

function sameMarks(a: InlineRun, b: InlineRun): boolean {
  return a.href === b.href && !!a.emphasis === !!b.emphasis && !!a.strong === !!b.strong;
}

function withMarks(text: string, marks: InlineRun): InlineRun {
  return {
    text,
    ...(marks.href ? { href: marks.href } : {}),
    ...(marks.emphasis ? { emphasis: true } : {}),
    ...(marks.strong ? { strong: true } : {}),
  };
}

/** Text and, only when something in it is marked, its runs. */
export function textWithRuns(runs: InlineRun[]): { text: string; inline?: InlineRun[] } {
  const tidy = tidyRuns(runs);
  const text = tidy.map((r) => r.text).join('');
  return tidy.some((r) => r.href || r.emphasis || r.strong) ? { text, inline: tidy } : { text };
}

// ---------------------------------------------------------------------------------------------
// Reading stored bodies: rows written before typed blocks, or by another version, are read safely.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readRuns(value: unknown): InlineRun[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const runs = value.flatMap((r): InlineRun[] => {
    if (!isRecord(r) || typeof r.text !== 'string') return [];
    const href = typeof r.href === 'string' ? safeHref(r.href) : null;
    return [withMarks(r.text, { text: r.text, href: href ?? undefined, emphasis: r.emphasis === true, strong: r.strong === true })];
  });
  return runs.length > 0 ? runs : undefined;
}

function readItem(value: unknown): ListItem | null {
  if (typeof value === 'string') return { text: value };
  if (!isRecord(value) || typeof value.text !== 'string') return null;
  const inline = readRuns(value.inline);
  return inline ? { text: value.text, inline } : { text: value.text };
}

export function readBodyBlock(value: unknown): BodyBlock | null {
  if (!isRecord(value) || typeof value.text !== 'string') return null;
  const inline = readRuns(value.inline);
  switch (value.type) {
    case 'heading':
      return { type: 'heading', level: value.level === 3 ? 3 : 2, text: value.text };
    case 'list': {
      const items = Array.isArray(value.items) ? value.items.map(readItem).filter((i): i is ListItem => i !== null) : [];
      if (items.length === 0) return { type: 'paragraph', text: value.text };
      return { type: 'list', ordered: value.ordered === true, items, text: value.text };
    }
    case 'quote':
      return inline ? { type: 'quote', text: value.text, inline } : { type: 'quote', text: value.text };
    default:
      return inline ? { type: 'paragraph', text: value.text, inline } : { type: 'paragraph', text: value.text };
  }
}

/** The body column's JSON as blocks; anything unreadable is left out rather than failing the page. */
export function parseStoredBody(json: string): BodyBlock[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [];
  }
  return Array.isArray(value) ? value.map(readBodyBlock).filter((b): b is BodyBlock => b !== null) : [];
}
