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
import { extractBody } from './html-body.ts';
import { JsonLd, type LdNode } from './html-jsonld.ts';
import { absoluteUrl, dedupeAuthors, escapeRegExp, isText, looksLikeUrl, nonEmpty, normalize, splitByline } from './html-text.ts';
import { DateTime } from 'luxon';
import {
  DEFAULT_TIME_ZONE,
  ImportError,
  type ArticleAuthor,
  type ArticleDraft,
  type DraftImage,
} from './model.ts';

export interface HtmlImportOptions {
  /** Where the page was saved from; the base for relative URLs and the fallback source URL. */
  url?: string;
  /** Used for timeZone and for dates written without an offset. */
  defaultTimeZone?: string;
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
): DraftImage | null {
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

