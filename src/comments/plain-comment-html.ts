import type MarkdownItClass from 'markdown-it';
import { lazyModule } from '../lazy-module.ts';

// Rendering a body with markdown-it (markdown.ts) was half of an import's conversion work and the
// largest piece of a comment POST's JavaScript: it builds a token per word run and per delimiter, for
// bodies that are nearly always paragraphs of text with a little emphasis. Such a body is rendered
// here directly, to the bytes markdown-it writes for it with the options and rules of markdown.ts;
// anything else (a construct below, or a shape whose result depends on markdown-it's finer rules)
// gets null and goes to markdown-it, which stays the reference. test/comments/plain-comment-html.test.ts
// holds the two together on the sample exports, on generated bodies and on random strings of the
// characters that matter.
//
// Followed here: paragraphs (lines separated by empty lines), line breaks (`breaks: true`: every
// newline is a <br>), text (escaped as markdown-it escapes it), `*em*` / `**strong**` when each run
// of asterisks is plainly an opener or plainly a closer and they pair in order, without nesting, and
// links of the plainest kind, `[words](https://…)`.

const markdownIt = lazyModule<typeof MarkdownItClass>('markdown-it');
type MarkdownIt = InstanceType<typeof MarkdownItClass>;
/** An instance for markdown-it's own character classes and its linkify-it (configured as the renderer's). */
let reference: MarkdownIt | null = null;

/**
 * Starts of what this path does not follow: code (`), underscore emphasis, escapes (\), autolinks
 * (<), mentions and e-mail addresses (@), entities (&name; and &#…), and the characters markdown-it
 * first normalises or measures as indentation. Links and web addresses are looked at per paragraph.
 */
const UNFOLLOWED = /[`_\\<@\0\r\t\v\f]|&(?:#|[a-z][a-z0-9]{1,31};)/i;
/**
 * A line starting so may be a block quote or a list item (which also end a paragraph), or be indented
 * (markdown-it measures and strips it): the whole body goes to markdown-it. Conservative: `-x` or
 * `1.5` at a line's start are refused too.
 */
const BLOCK_START = /^(?:[ >+-]|\*(?: |$)|\d+[.)])/;

interface Run {
  at: number;
  length: number;
  open: boolean;
  close: boolean;
}

/** Whether markdown-it counts the character as punctuation (its Unicode test, read once for ASCII). */
let asciiPunct: boolean[] | null = null;
function isPunct(md: MarkdownIt, code: number): boolean {
  asciiPunct ??= Array.from({ length: 128 }, (_, c) => md.utils.isMdAsciiPunct(c) || md.utils.isPunctCharCode(c));
  return code < 128 ? asciiPunct[code]! : md.utils.isMdAsciiPunct(code) || md.utils.isPunctCharCode(code);
}

/** markdown-it's StateInline.scanDelims for a run of `*` (which may split words). */
function scanRun(src: string, start: number, length: number, md: MarkdownIt): Run {
  const { isWhiteSpace } = md.utils;
  let lastChar: number;
  if (start === 0) lastChar = 0x20;
  else if (start === 1) {
    lastChar = src.charCodeAt(0);
    if ((lastChar & 0xf800) === 0xd800) lastChar = 0xfffd;
  } else {
    lastChar = src.charCodeAt(start - 1);
    if ((lastChar & 0xfc00) === 0xdc00) {
      const high = src.charCodeAt(start - 2);
      lastChar = (high & 0xfc00) === 0xd800 ? 0x10000 + ((high - 0xd800) << 10) + (lastChar - 0xdc00) : 0xfffd;
    } else if ((lastChar & 0xfc00) === 0xd800) lastChar = 0xfffd;
  }
  const pos = start + length;
  let nextChar = pos < src.length ? src.charCodeAt(pos) : 0x20;
  if ((nextChar & 0xfc00) === 0xd800) {
    const low = src.charCodeAt(pos + 1);
    nextChar = (low & 0xfc00) === 0xdc00 ? 0x10000 + ((nextChar - 0xd800) << 10) + (low - 0xdc00) : 0xfffd;
  } else if ((nextChar & 0xfc00) === 0xdc00) nextChar = 0xfffd;
  const lastPunct = isPunct(md, lastChar);
  const nextPunct = isPunct(md, nextChar);
  const lastWhite = isWhiteSpace(lastChar);
  const nextWhite = isWhiteSpace(nextChar);
  // With `*` (canSplitWord) an opener is any left-flanking run and a closer any right-flanking one.
  const open = !nextWhite && (!nextPunct || lastWhite || lastPunct);
  const close = !lastWhite && (!lastPunct || nextWhite || nextPunct);
  return { at: start, length, open, close };
}

/** Text between delimiters: escaped, each newline a break, the spaces before it dropped (markdown-it's newline rule). */
function text(md: MarkdownIt, raw: string): string {
  const escaped = md.utils.escapeHtml(raw);
  return escaped.includes('\n') ? escaped.replace(/ *\n/g, '<br>\n') : escaped;
}

/**
 * The HTML of one stretch of a paragraph between links, or null when markdown-it would find more in
 * it than this path follows: a link of linkify-it's, a bracket, emphasis that is not the plain kind.
 * The runs of asterisks are measured against the whole paragraph, as markdown-it measures them.
 */
function textWithEmphasis(md: MarkdownIt, content: string, from: number, to: number): string | null {
  const stretch = content.slice(from, to);
  // markdown-it turns what linkify-it finds into links, after a scheme at once ("://"); this path does not.
  if (stretch.includes(']') || stretch.includes('://') || md.linkify.test(stretch)) return null;
  if (!stretch.includes('*')) return text(md, stretch);
  const runs: Run[] = [];
  // Each run of asterisks, found without a match object per run (a body has dozens).
  for (let at = content.indexOf('*', from); at >= 0 && at < to; ) {
    let end = at + 1;
    while (content.charCodeAt(end) === 0x2a) end++;
    runs.push(scanRun(content, at, end - at, md));
    at = content.indexOf('*', end);
  }
  if (runs.length % 2 !== 0) return null;
  let html = '';
  let last = from;
  for (let i = 0; i < runs.length; i += 2) {
    const opener = runs[i]!;
    const closer = runs[i + 1]!;
    // Plainly an opener, then plainly a closer of the same length: markdown-it pairs them with each
    // other whatever else the paragraph holds (the rule of three applies only to runs that can do both).
    if (!opener.open || opener.close || closer.open || !closer.close) return null;
    if (opener.length !== closer.length || opener.length > 2) return null;
    const tag = opener.length === 2 ? 'strong' : 'em';
    html += `${text(md, content.slice(last, opener.at))}<${tag}>${text(md, content.slice(opener.at + opener.length, closer.at))}</${tag}>`;
    last = closer.at + closer.length;
  }
  return html + text(md, content.slice(last, to));
}

/** What every link in a comment carries: readers' content, which passes no ranking and no opener. */
export const COMMENT_LINK_REL = 'nofollow ugc noopener';

/**
 * `[text](https://…)` with plain text (no emphasis, brackets or scheme in it) and a web address with
 * no spaces, parentheses or title. markdown-it's own normalisation gives the address (punycode,
 * percent-encoding), as it does for the links it renders.
 */
const PLAIN_LINK = /\[([^[\]\n*]+)\]\((https?:\/\/[^\s()<>[\]]+)\)/y;

/** The HTML of one paragraph's inline content, or null when it holds what this path does not follow. */
function inline(md: MarkdownIt, content: string): string | null {
  let html = '';
  let last = 0;
  for (let at = content.indexOf('['); at >= 0; at = content.indexOf('[', last)) {
    PLAIN_LINK.lastIndex = at;
    const link = PLAIN_LINK.exec(content);
    // "![" would be an image to CommonMark (not enabled here, but not followed either).
    if (!link || content.charCodeAt(at - 1) === 0x21 || link[1]!.includes('://')) return null;
    const before = textWithEmphasis(md, content, last, at);
    if (before === null) return null;
    const href = md.normalizeLink(link[2]!);
    html += `${before}<a href="${md.utils.escapeHtml(href)}" rel="${COMMENT_LINK_REL}">${text(md, link[1]!)}</a>`;
    last = at + link[0].length;
  }
  const rest = textWithEmphasis(md, content, last, content.length);
  return rest === null ? null : html + rest;
}

/**
 * The HTML markdown-it gives this body (renderWithMarkdownIt in markdown.ts), when the body is of the
 * plain kind this follows; null otherwise.
 */
export function plainCommentHtml(source: string): string | null {
  if (UNFOLLOWED.test(source)) return null;
  const md = (reference ??= new (markdownIt())('zero'));
  const lines = source.split('\n');
  const paragraphs: string[] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line === '') {
      if (current.length) paragraphs.push(current.join('\n'));
      current = [];
    } else if (BLOCK_START.test(line)) return null;
    else current.push(line);
  }
  if (current.length) paragraphs.push(current.join('\n'));
  let html = '';
  for (const paragraph of paragraphs) {
    // A paragraph's content ends without its last line's spaces (tabs and CRs were refused above).
    const content = paragraph.endsWith(' ') ? paragraph.replace(/ +$/, '') : paragraph;
    const body = inline(md, content);
    if (body === null) return null;
    html += `<p>${body}</p>\n`;
  }
  return html.trim();
}
