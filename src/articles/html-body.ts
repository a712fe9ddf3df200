// The story's paragraphs, as Readability separates them from the page around them.
import { lazyModule } from '../lazy-module.ts';

const readability = lazyModule<typeof import('@mozilla/readability')>('@mozilla/readability');
import type { BodyBlock, InlineRun, ListItem } from './model.ts';
import { safeHref, textWithRuns } from './body-blocks.ts';
import { absoluteUrl, normalize } from './html-text.ts';

const CHROME: RegExp[] = [
  /^(?:read|see) (?:more|also)\b/i,
  /^(?:related|more on this(?: story)?|recommended|most read)\s*:/i,
  /^(?:sign[ -]?up|subscribe|register now|get (?:our|the) \w+ newsletter)\b/i,
  /\b(?:sign[ -]?up|subscribe)\b.*\b(?:newsletter|inbox|email)\b|\b(?:newsletter|inbox)\b.*\b(?:sign[ -]?up|subscribe)\b/i,
  /^share (?:this|on|via)\b/i,
  /^(?:follow us|click here)\b/i,
  /^advertisement$/i,
  /\bwe use cookies\b|\baccept (?:all )?cookies\b/i,
];
const CHROME_MAX_LENGTH = 200;

function isChrome(text: string): boolean {
  return text.length <= CHROME_MAX_LENGTH && CHROME.some((re) => re.test(text));
}

/** `base`: the page's address, which relative links are resolved against (without one they are dropped). */
export function extractBody(doc: Document, drop: Set<string>, base: string | null = null): BodyBlock[] {
  // The serializer hands back Readability's content element itself: no HTML round trip.
  const { Readability } = readability();
  const result = new Readability<Element>(doc, { serializer: (node) => node as Element }).parse();
  const content = result?.content;
  if (!content) return [];
  const blocks: BodyBlock[] = [];
  const keep = (text: string) => text !== '' && !drop.has(text) && !isChrome(text);
  walkBlocks(content, (el, kind) => {
    if (kind === 'heading') {
      const text = normalize(el.textContent);
      // A subhead repeating the headline or standfirst, or a "Related" label, is not the story's.
      if (text && keep(text)) blocks.push({ type: 'heading', level: el.tagName === 'H2' || el.tagName === 'H1' ? 2 : 3, text });
    } else if (kind === 'list') {
      const items: ListItem[] = [];
      for (const li of el.children) {
        if (li.tagName !== 'LI') continue;
        const item = textWithRuns(inlineRuns(li, base));
        if (keep(item.text)) items.push(item);
      }
      if (items.length > 0) blocks.push({ type: 'list', ordered: el.tagName === 'OL', items, text: items.map((i) => i.text).join('\n') });
    } else {
      const runs = textWithRuns(inlineRuns(el, base));
      if (keep(runs.text)) blocks.push({ type: kind, ...runs });
    }
  });
  return blocks;
}

type BlockKind = 'paragraph' | 'heading' | 'list' | 'quote';

const HEADINGS = new Set(['H1', 'H2', 'H3', 'H4', 'H5', 'H6']);
// Parts of the story that are not its text: pictures and their captions (the lead picture is its own
// field), code and tables (not shown as body text), forms and media.
const SKIPPED = new Set(['FIGURE', 'FIGCAPTION', 'PICTURE', 'IMG', 'SVG', 'VIDEO', 'AUDIO', 'IFRAME', 'TABLE', 'PRE', 'SCRIPT', 'STYLE', 'NOSCRIPT', 'FORM', 'BUTTON', 'NAV', 'ASIDE']);

/** Calls `found` for every block of the story in document order; a block's inside is not walked again. */
function walkBlocks(root: Element, found: (el: Element, kind: BlockKind) => void): void {
  for (const el of root.children) {
    const tag = el.tagName;
    if (SKIPPED.has(tag)) continue;
    if (HEADINGS.has(tag)) found(el, 'heading');
    else if (tag === 'P') found(el, 'paragraph');
    else if (tag === 'UL' || tag === 'OL') found(el, 'list');
    else if (tag === 'BLOCKQUOTE') found(el, 'quote');
    else walkBlocks(el, found);
  }
}

/** The element's text as runs marked with the links and emphasis around each piece. */
function inlineRuns(root: Element, base: string | null): InlineRun[] {
  const runs: InlineRun[] = [];
  const visit = (node: Node, marks: Omit<InlineRun, 'text'>) => {
    if (node.nodeType === 3) {
      runs.push({ text: node.nodeValue ?? '', ...marks });
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as Element;
    const tag = el.tagName;
    // <br> has no text; without a space "line one<br>line two" would run together.
    if (tag === 'BR') return void runs.push({ text: ' ', ...marks });
    if (SKIPPED.has(tag)) return;
    let next = marks;
    if (tag === 'A') {
      const raw = el.getAttribute('href');
      const href = /^\s*mailto:/i.test(raw ?? '') ? safeHref(raw) : safeHref(absoluteUrl(raw, base));
      next = href ? { ...marks, href } : marks;
    } else if (tag === 'EM' || tag === 'I') next = { ...marks, emphasis: true };
    else if (tag === 'STRONG' || tag === 'B') next = { ...marks, strong: true };
    // Blocks inside a quote or list item (<p>, nested lists) are separated by a space.
    const block = /^(?:P|DIV|LI|UL|OL|BLOCKQUOTE|H[1-6])$/.test(tag) && el !== root;
    if (block) runs.push({ text: ' ', ...marks });
    for (const child of el.childNodes) visit(child, next);
    if (block) runs.push({ text: ' ', ...marks });
  };
  visit(root, {});
  return runs;
}
