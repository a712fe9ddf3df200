// Imports an HTML page saved from a news site ("Save page as…", curl, a browser extension).
//
// Metadata is read field by field, best source first: JSON-LD, then Open Graph (and Twitter cards),
// then plain <meta>/<title>/<link rel=canonical>, then the visible DOM. Publishers keep JSON-LD
// accurate because search engines consume it; the DOM is the last resort because it is laid out
// for people, not machines. The body comes from Readability, which is good at separating the story
// from the page around it; we only turn its output into plain paragraphs and drop leftover chrome.
//
// Time zone: an ArticleDraft wants the publication's IANA zone. No common markup carries one, and a
// UTC offset does not identify a zone (+01:00 is Paris, Lagos, and London in summer; many CMSs emit
// UTC or their server's offset whatever the newsroom's location). So we never infer a zone from an
// offset: timeZone is always options.defaultTimeZone ?? UTC, and offsets only pin down the instant.

import { JSDOM, VirtualConsole } from 'jsdom';
import { Readability } from '@mozilla/readability';
import { DateTime } from 'luxon';
import {
  DEFAULT_TIME_ZONE,
  ImportError,
  type ArticleAuthor,
  type ArticleDraft,
  type ArticleImage,
  type BodyBlock,
} from './model.ts';

export interface HtmlImportOptions {
  /** Where the page was saved from; the base for relative URLs and the fallback source URL. */
  url?: string;
  /** Used for timeZone and for dates written without an offset. */
  defaultTimeZone?: string;
}

/** True when the text is an HTML document or fragment rather than a plain-text article. */
export function looksLikeHtml(text: string): boolean {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  // Saved pages open with a doctype, an XML prolog, a comment ("saved from url=") or a tag; a text
  // article that merely mentions a tag further down must not count.
  if (!start.startsWith('<')) return false;
  return /<!doctype\s+html|<(?:html|head|body|article)[\s>]/i.test(start.slice(0, 2048));
}

export function parseHtmlArticle(html: string, options: HtmlImportOptions = {}): ArticleDraft {
  if (html.trim() === '') throw new ImportError('empty document');
  const timeZone = options.defaultTimeZone ?? DEFAULT_TIME_ZONE;
  if (!DateTime.local().setZone(timeZone).isValid) throw new RangeError(`unknown time zone: ${timeZone}`);
  const pageUrl = absoluteUrl(options.url, null);

  const doc = loadDocument(html, pageUrl);
  const ld = new JsonLd(doc);
  const meta = metaIndex(doc);
  const article = ld.article();

  const canonical = doc.querySelector('link[rel~="canonical" i][href]')?.getAttribute('href') ?? null;
  const declaredUrl = ld.url(article) ?? first(meta, 'og:url') ?? canonical;
  const base = pageUrl ?? absoluteUrl(canonical, null) ?? absoluteUrl(first(meta, 'og:url'), null);
  const sourceUrl = absoluteUrl(declaredUrl, pageUrl) ?? pageUrl;

  const publicationName =
    ld.name(ld.deref(article?.publisher)) ??
    first(meta, 'og:site_name', 'application-name') ??
    null;

  const headline = findHeadline(doc, meta, ld.text(article?.headline) ?? ld.text(article?.name), publicationName);
  if (!headline) throw new ImportError('no headline found');

  const standfirst =
    ld.text(article?.description) ?? first(meta, 'og:description', 'twitter:description', 'description');

  const authors = dedupeAuthors(
    nonEmpty(ld.people(article?.author)) ??
      nonEmpty(all(meta, 'article:author').filter((a) => !looksLikeUrl(a)).flatMap(splitByline)) ??
      nonEmpty(all(meta, 'author', 'parsely-author').flatMap(splitByline)) ??
      domAuthors(doc),
  );

  const dateText =
    ld.text(article?.datePublished) ??
    first(meta, 'article:published_time', 'date', 'pubdate', 'parsely-pub-date') ??
    domDate(doc);

  const figure = leadFigure(doc);
  const image = findImage(ld, article, meta, figure, base);
  const dateline = ld.text(article?.dateline) ?? ld.name(ld.deref(article?.locationCreated));

  // Readability rewrites the document, so it runs after every metadata read above.
  const drop = new Set([standfirst, figure?.fullCaption, figure?.caption, image?.caption].filter(isText));
  const body = extractBody(doc, drop);

  return {
    headline,
    standfirst,
    authors,
    dateline,
    publishedAt: parseInstant(dateText, timeZone),
    timeZone,
    image,
    body,
    sourceUrl,
    publicationName,
  };
}

// ---------------------------------------------------------------------------------------------
// Document

function loadDocument(html: string, url: string | null): Document {
  // No runScripts and no resources: jsdom then neither executes the page's scripts (inline or
  // event-handler attributes) nor fetches stylesheets, images, frames or scripts. Saved pages carry
  // vendor CSS jsdom cannot parse; those reports are noise for an importer, so only jsdom errors
  // that would signal a real fault are passed on.
  const virtualConsole = new VirtualConsole().forwardTo(console, {
    jsdomErrors: ['not-implemented', 'unhandled-exception'],
  });
  const dom = new JSDOM(html, { virtualConsole, ...(url ? { url } : {}) });
  return dom.window.document;
}

type MetaIndex = Map<string, string[]>;

/** Every <meta> keyed by lower-cased property/name/itemprop, values in document order. */
function metaIndex(doc: Document): MetaIndex {
  const index: MetaIndex = new Map();
  for (const el of doc.querySelectorAll('meta[content]')) {
    const content = normalize(el.getAttribute('content'));
    const key = el.getAttribute('property') ?? el.getAttribute('name') ?? el.getAttribute('itemprop');
    if (!key || !content) continue;
    const k = key.trim().toLowerCase();
    index.set(k, [...(index.get(k) ?? []), content]);
  }
  return index;
}

function all(meta: MetaIndex, ...keys: string[]): string[] {
  return keys.flatMap((k) => meta.get(k) ?? []);
}

function first(meta: MetaIndex, ...keys: string[]): string | null {
  return all(meta, ...keys)[0] ?? null;
}

/** The story's own container: the element the DOM fallbacks search before the whole page. */
function storyRoot(doc: Document): Element {
  return doc.querySelector('article') ?? doc.querySelector('main, [role="main"]') ?? doc.body ?? doc.documentElement;
}

// ---------------------------------------------------------------------------------------------
// JSON-LD

type LdNode = Record<string, unknown>;

const ARTICLE_TYPE = /(?:Article|BlogPosting|Report)$/;

class JsonLd {
  private readonly nodes: LdNode[] = [];
  private readonly byId = new Map<string, LdNode>();

  constructor(private readonly doc: Document) {
    for (const script of doc.querySelectorAll('script')) {
      if (script.getAttribute('type')?.trim().toLowerCase() !== 'application/ld+json') continue;
      // Some CMSs wrap the block in CDATA or comment markers for ancient browsers.
      const text = (script.textContent ?? '').replace(/^\s*(?:\/\/\s*)?(?:<!\[CDATA\[|<!--)|(?:\/\/\s*)?(?:\]\]>|-->)\s*$/g, '');
      try {
        this.collect(JSON.parse(text));
      } catch {
        // A malformed block is skipped: other blocks, Open Graph or the DOM still describe the page.
      }
    }
  }

  private collect(value: unknown): void {
    if (Array.isArray(value)) value.forEach((v) => this.collect(v));
    if (!isObject(value)) return;
    this.nodes.push(value);
    if (typeof value['@id'] === 'string') this.byId.set(value['@id'], value);
    if ('@graph' in value) this.collect(value['@graph']);
  }

  article(): LdNode | null {
    return this.nodes.find((n) => types(n).some((t) => ARTICLE_TYPE.test(t))) ?? null;
  }

  /** Follows {"@id": …} references, which @graph documents (Yoast and friends) use for people and images. */
  deref(value: unknown): unknown {
    if (!isObject(value) || typeof value['@id'] !== 'string') return value;
    const target = this.byId.get(value['@id']);
    return target && target !== value ? { ...target, ...value } : value;
  }

  text(value: unknown): string | null {
    if (Array.isArray(value)) return this.text(value[0]);
    return typeof value === 'string' ? normalize(decodeEntities(this.doc, value)) : null;
  }

  name(value: unknown): string | null {
    return isObject(value) ? this.text(value.name) : null;
  }

  /** author: a string, a Person/Organization, or an array of either. */
  people(value: unknown): ArticleAuthor[] {
    if (Array.isArray(value)) return value.flatMap((v) => this.people(v));
    if (typeof value === 'string') return splitByline(decodeEntities(this.doc, value));
    const name = this.name(this.deref(value));
    return name ? [{ name }] : [];
  }

  url(article: LdNode | null): string | null {
    if (!article) return null;
    const page = this.deref(article.mainEntityOfPage);
    return this.text(article.url) ?? this.text(page) ?? (isObject(page) ? this.text(page.url) ?? this.text(page['@id']) : null);
  }

  /** image: a URL, an ImageObject, or an array of either (the first is the lead). */
  image(value: unknown): { url: string | null; caption: string | null; credit: string | null } | null {
    if (Array.isArray(value)) return this.image(value[0]);
    if (typeof value === 'string') return { url: this.text(value), caption: null, credit: null };
    const img = this.deref(value);
    if (!isObject(img)) return null;
    const credit = this.text(img.creditText) ?? joinNames(this.people(img.author)) ?? this.name(this.deref(img.copyrightHolder));
    return { url: this.text(img.url) ?? this.text(img.contentUrl), caption: this.text(img.caption), credit };
  }
}

function types(node: LdNode): string[] {
  const t = node['@type'];
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string');
}

// ---------------------------------------------------------------------------------------------
// Individual fields

function findHeadline(doc: Document, meta: MetaIndex, fromLd: string | null, site: string | null): string | null {
  if (fromLd) return fromLd;
  const og = first(meta, 'og:title', 'twitter:title');
  if (og) return stripSiteSuffix(og, site);
  const h1 = normalize(storyRoot(doc).querySelector('h1')?.textContent) ?? normalize(doc.querySelector('h1')?.textContent);
  const title = normalize(doc.querySelector('title')?.textContent);
  if (title) {
    // <title> is usually "Headline | Site"; when the page's <h1> is exactly that headline, the <h1>
    // is the same words without the suffix.
    if (h1 && title.startsWith(h1)) return h1;
    const stripped = stripSiteSuffix(title, site);
    return (stripped === title ? normalize(title.replace(/\s+\|\s+[^|]*$/, '')) : stripped) ?? h1;
  }
  return h1;
}

function stripSiteSuffix(title: string, site: string | null): string {
  if (!site) return title;
  const suffix = new RegExp(`\\s+[|\\-–—:·]\\s+${escapeRegExp(site)}$`, 'i');
  return normalize(title.replace(suffix, '')) ?? title;
}

function domAuthors(doc: Document): ArticleAuthor[] {
  const root = storyRoot(doc);
  const linked = [...root.querySelectorAll('a[rel~="author" i], [itemprop~="author"] [itemprop="name"]')];
  if (linked.length > 0) return linked.flatMap((el) => splitByline(el.textContent ?? ''));
  const byline = [...root.querySelectorAll('[class]')].find((el) => /byline/i.test(el.getAttribute('class') ?? ''));
  if (!byline) return [];
  const links = [...byline.querySelectorAll('a')];
  return links.length > 0 ? links.flatMap((a) => splitByline(a.textContent ?? '')) : splitByline(byline.textContent ?? '');
}

function domDate(doc: Document): string | null {
  const root = storyRoot(doc);
  const time =
    root.querySelector('time[datetime][itemprop="datePublished"], time[datetime][pubdate]') ??
    root.querySelector('time[datetime]') ??
    doc.querySelector('time[datetime]');
  return normalize(time?.getAttribute('datetime'));
}

/** Splits "By Jane Doe and John Roe" / "Jane Doe, John Roe" into people. */
function splitByline(text: string): ArticleAuthor[] {
  const cleaned = normalize(text)?.replace(/^by\s+/i, '') ?? '';
  return cleaned
    .split(/\s*(?:,|;|&|\band\b)\s*/i)
    .map((name) => normalize(name))
    .filter(isText)
    .map((name) => ({ name }));
}

function dedupeAuthors(authors: ArticleAuthor[]): ArticleAuthor[] {
  const seen = new Set<string>();
  return authors.filter((a) => !seen.has(a.name.toLowerCase()) && seen.add(a.name.toLowerCase()));
}

function joinNames(authors: ArticleAuthor[]): string | null {
  return authors.length > 0 ? authors.map((a) => a.name).join(', ') : null;
}

function parseInstant(text: string | null, zone: string): Date | null {
  if (!text) return null;
  // `zone` only applies when the text has no offset of its own; an explicit offset always wins.
  const parsers = [DateTime.fromISO, DateTime.fromRFC2822, DateTime.fromHTTP, DateTime.fromSQL];
  for (const parse of parsers) {
    const dt = parse.call(DateTime, text, { zone });
    if (dt.isValid) return dt.toJSDate();
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Lead image

interface Figure {
  src: string | null;
  alt: string | null;
  caption: string | null;
  credit: string | null;
  /** The figcaption's whole text, so a body paragraph repeating it can be recognised. */
  fullCaption: string | null;
}

function leadFigure(doc: Document): Figure | null {
  const fig = [...storyRoot(doc).querySelectorAll('figure')].find((f) => f.querySelector('img'));
  const img = fig?.querySelector('img');
  if (!fig || !img) return null;
  const captionEl = fig.querySelector('figcaption');
  const fullCaption = normalize(captionEl?.textContent);
  let caption = fullCaption;
  let credit: string | null = null;
  if (captionEl) {
    const copy = captionEl.cloneNode(true) as Element;
    const creditEl = [...copy.querySelectorAll('[class]')].find((el) => /credit/i.test(el.getAttribute('class') ?? ''));
    if (creditEl) {
      credit = normalize(creditEl.textContent);
      creditEl.remove();
      caption = normalize(copy.textContent);
    } else {
      // "Crowds outside the court on Monday. (Jane Doe/Reuters)": a trailing parenthesis is the credit.
      const match = fullCaption?.match(/^(.*?)\s*\(([^()]+)\)$/);
      if (match) [caption, credit] = [normalize(match[1]), normalize(match[2])];
    }
  }
  return { src: imgSrc(img), alt: img.getAttribute('alt'), caption, credit: cleanCredit(credit), fullCaption };
}

/** Lazy-loading pages leave a placeholder in src and the real address in data-src or srcset. */
function imgSrc(img: Element): string | null {
  const src = img.getAttribute('src');
  if (src && !src.startsWith('data:')) return src.trim();
  const lazy = img.getAttribute('data-src') ?? img.getAttribute('data-original');
  const srcset = img.getAttribute('srcset') ?? img.getAttribute('data-srcset');
  return normalize(lazy) ?? normalize(srcset?.split(',')[0]?.trim().split(/\s+/)[0]);
}

function cleanCredit(credit: string | null): string | null {
  return normalize(credit?.replace(/^(?:photo(?:graph)?|picture|image|credit)s?\s*:\s*/i, ''));
}

function findImage(
  ld: JsonLd,
  article: LdNode | null,
  meta: MetaIndex,
  figure: Figure | null,
  base: string | null,
): ArticleImage | null {
  const fromLd = ld.image(article?.image);
  // A URL we cannot make absolute (relative, no base) or that is not http(s) is not an image we can
  // show, so the image is left out rather than stored broken.
  const src =
    absoluteUrl(fromLd?.url, base) ??
    absoluteUrl(first(meta, 'og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image'), base) ??
    absoluteUrl(figure?.src, base);
  if (!src) return null;
  return {
    src,
    // The lead <figure> shows the same picture as the metadata, usually in another crop, so its
    // alt text and caption describe it too.
    alt: first(meta, 'og:image:alt', 'twitter:image:alt') ?? normalize(figure?.alt) ?? '',
    caption: fromLd?.caption ?? figure?.caption ?? '',
    credit: cleanCredit(fromLd?.credit ?? null) ?? figure?.credit ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Body

// Calls to action that Readability keeps when they sit inside the story's container. Short
// paragraphs only: a long paragraph that mentions a newsletter is reporting, not a prompt.
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

function extractBody(doc: Document, drop: Set<string>): BodyBlock[] {
  // The serializer hands back Readability's content element itself: no HTML round trip.
  const result = new Readability<Element>(doc, { serializer: (node) => node as Element }).parse();
  const content = result?.content;
  if (!content) return [];
  const blocks: BodyBlock[] = [];
  for (const p of content.querySelectorAll('p')) {
    if (p.closest('figure, figcaption')) continue;
    // <br> has no text; without this "line one<br>line two" would run together.
    for (const br of p.querySelectorAll('br')) br.replaceWith(' ');
    const text = normalize(p.textContent);
    if (!text || drop.has(text) || isChrome(text)) continue;
    blocks.push({ type: 'paragraph', text });
  }
  return blocks;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function normalize(text: string | null | undefined): string | null {
  const t = text?.replace(/[\s\u200B]+/g, ' ').trim();
  return t ? t : null;
}

function isText(value: string | null | undefined): value is string {
  return typeof value === 'string' && value !== '';
}

function nonEmpty<T>(list: T[]): T[] | null {
  return list.length > 0 ? list : null;
}

function isObject(value: unknown): value is LdNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looksLikeUrl(text: string): boolean {
  return /^(?:https?:)?\/\/|^www\./i.test(text);
}

/** JSON-LD strings from WordPress and others often still carry HTML entities (&#8217;, &amp;). */
function decodeEntities(doc: Document, text: string): string {
  if (!/&(?:#\d+|#x[\da-f]+|[a-z]+\d*);/i.test(text)) return text;
  // A <textarea>'s content is parsed as text with entities, never as elements.
  const area = doc.createElement('textarea');
  area.innerHTML = text;
  return area.value;
}

function absoluteUrl(url: string | null | undefined, base: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url.trim(), base ?? undefined);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
