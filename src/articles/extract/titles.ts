// Comparing and trimming headline-like strings: the site's name glued to a <title> or og:title, and
// whether two sources speak of the same headline (a rewrite for search engines shares most words).

export function normalizeTitle(text: string | null | undefined): string | null {
  const t = text?.replace(/[\s\u00A0\u200B]+/g, ' ').replace(/\s*¶\s*$/, '').trim();
  return t ? t : null;
}

/** Words for comparison; Chinese, Japanese and Korean are compared by pairs of characters. */
export function titleTokens(text: string): string[] {
  const lower = text.normalize('NFKC').toLowerCase().replace(/[‘’'`´"“”«»]/g, '');
  const tokens: string[] = [];
  for (const word of lower.split(/[^\p{L}\p{N}]+/u).filter(Boolean)) {
    if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(word)) {
      const chars = [...word];
      if (chars.length === 1) tokens.push(word);
      for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i] + chars[i + 1]);
    } else {
      tokens.push(word);
    }
  }
  return tokens;
}

/** Dice coefficient of the two titles' words: 1 for the same words, 0 for none in common. */
export function titleSimilarity(a: string, b: string): number {
  const x = titleTokens(a);
  const y = new Set(titleTokens(b));
  if (x.length === 0 || y.size === 0) return 0;
  const xs = new Set(x);
  let common = 0;
  for (const t of xs) if (y.has(t)) common++;
  return (2 * common) / (xs.size + y.size);
}

export function sameTitle(a: string, b: string): boolean {
  return titleKey(a) === titleKey(b);
}

export function titleKey(text: string): string {
  return titleTokens(text).join(' ');
}

// Separators sites put between a headline and their name or section. The first group is never part
// of a headline in practice; the dash-like ones often are ("Minecraft 1.8 - The Bountiful Update"), so
// a dash only cuts off a segment that names the site or is at most two words.
const HARD_SEPARATOR = /\s+(?:\||::|»|@|\/\/)\s+|\s*[_＿]\s*(?=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])|\s*\[[^\]]+\]\s*$/u;
const DASH_SEPARATOR = /\s+[-–—·•]\s+/;
const MAX_SUFFIX_WORDS = 5;

export interface SiteEvidence {
  /** Names the page gives itself (og:site_name, the publisher's name, application-name). */
  names: string[];
  /** The page's host name, e.g. www.example.com. */
  host: string | null;
}

function namesSite(segment: string, site: SiteEvidence): boolean {
  const key = titleKey(segment);
  if (key === '') return true;
  if (site.names.some((n) => titleKey(n) === key || (key.length > 3 && titleKey(n).includes(key)))) return true;
  if (site.host) {
    const hostWords = site.host.toLowerCase().replace(/^www\./, '').split('.').slice(0, -1).join('');
    const compact = key.replace(/ /g, '');
    if (compact.length >= 3 && (hostWords.includes(compact) || compact.includes(hostWords))) return true;
  }
  return false;
}

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function cjkLength(text: string): number {
  return [...text].filter((c) => /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(c)).length;
}

function substantial(text: string): boolean {
  return words(text) >= 2 || cjkLength(text) >= 6;
}

/**
 * The headline without the site's name, section or author glued after it:
 * "Friday Facts #282 | Factorio", "Obama admits … - BBC News", "海外留学生看两会_教育频道_中国青年网".
 */
export function stripSiteSuffix(title: string, site: SiteEvidence): string {
  let text = normalizeTitle(title) ?? '';
  for (let guard = 0; guard < 6; guard++) {
    const cut = lastSegment(text, HARD_SEPARATOR) ?? lastSegment(text, DASH_SEPARATOR);
    if (!cut) break;
    const [head, segment, hard] = cut;
    const short = (words(segment) <= MAX_SUFFIX_WORDS && segment.length <= 40) || (cjkLength(segment) > 0 && cjkLength(segment) <= 8);
    const isSuffix = namesSite(segment, site) || (hard ? short : words(segment) <= 2 && words(head) >= 4);
    if (!isSuffix || !substantial(head)) break;
    text = head;
  }
  // A site name in front: "Silicon Exposed: Open Verilog flow…", "BBC News - Obama admits…".
  for (const name of site.names) {
    const front = new RegExp(`^${escapeRegExp(name)}\\s*(?:[:|\\-–—·»]\\s+)`, 'i');
    if (front.test(text) && substantial(text.replace(front, ''))) text = text.replace(front, '');
  }
  return text;
}

function lastSegment(text: string, separator: RegExp): [string, string, boolean] | null {
  const global = new RegExp(separator.source, separator.flags.includes('g') ? separator.flags : `${separator.flags}g`);
  let match: RegExpExecArray | null;
  let last: RegExpExecArray | null = null;
  while ((match = global.exec(text)) !== null) {
    if (match[0] === '') {
      global.lastIndex++;
      continue;
    }
    last = match;
  }
  if (!last || last.index === 0) return null;
  const head = text.slice(0, last.index).trim();
  const bracket = /^\s*\[([^\]]+)\]\s*$/.exec(last[0]);
  const segment = bracket ? bracket[1] : text.slice(last.index + last[0].length).trim();
  return [head, segment, separator === HARD_SEPARATOR];
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
