// Imports an HTML page saved from a news site ("Save page as…", curl, a browser extension).
//
// Headline, authors and date are each chosen among candidates from every source the page offers
// (JSON-LD, microdata, Open Graph and other <meta>, the visible <h1>, byline and date elements):
// see extract/html-fields.ts. The body comes from Readability, which is good at separating the story
// from the page around it; we only turn its output into plain paragraphs and drop leftover chrome.
//
// Time zone: an ArticleDraft wants the publication's IANA zone. No common markup carries one. When
// the caller names the zone (defaultTimeZone) it is used; otherwise the chosen date's own UTC offset
// becomes the zone (Etc/GMT+7 for -07:00), so the article shows the day and hour its page showed,
// not a UTC time that can fall on another day. Without any offset: UTC.

import { lazyModule } from '../lazy-module.ts';
import { extractBody } from './html-body.ts';
import { JsonLd, type LdNode } from './html-jsonld.ts';
import { absoluteUrl, dedupeAuthors, isText, normalize } from './html-text.ts';
import { DateTime } from 'luxon';
import { DEFAULT_TIME_ZONE, ImportError, type ArticleDraft, type BodyBlock, type DraftImage } from './model.ts';
import type { Explanation } from './extract/candidates.ts';
import {
  chooseAuthors,
  elementOrder,
  chooseHeadline,
  headlineElement,
  metaAll,
  metaFirst,
  metaIndex,
  storyRoot,
  type MetaIndex,
} from './extract/html-fields.ts';
import { choosePublished } from './extract/published-date.ts';
import type { SiteEvidence } from './extract/titles.ts';

export interface HtmlImportOptions {
  /** Where the page was saved from; the base for relative URLs and the fallback source URL. */
  url?: string;
  /** Used for timeZone and for dates written without an offset. */
  defaultTimeZone?: string;
}


export interface HtmlImportResult {
  draft: ArticleDraft;
  /** The candidates for each field and why the winner won (for `parley import --dry-run --explain`). */
  explanation: Explanation;
}

export function parseHtmlArticle(html: string, options: HtmlImportOptions = {}): ArticleDraft {
  return explainHtmlArticle(html, options).draft;
}

export function explainHtmlArticle(html: string, options: HtmlImportOptions = {}): HtmlImportResult {
  if (html.trim() === '') throw new ImportError({ key: 'articles.importError.emptyDocument' });
  const zoneKnown = options.defaultTimeZone !== undefined;
  const defaultZone = options.defaultTimeZone ?? DEFAULT_TIME_ZONE;
  if (!DateTime.local().setZone(defaultZone).isValid) throw new RangeError(`unknown time zone: ${defaultZone}`);
  const pageUrl = absoluteUrl(options.url, null);

  const doc = loadDocument(html, pageUrl);
  const ld = new JsonLd(doc);
  const meta = metaIndex(doc);
  const article = ld.article();

  const canonical = doc.querySelector('link[rel~="canonical" i][href]')?.getAttribute('href') ?? null;
  const declaredUrl = ld.url(article) ?? metaFirst(meta, 'og:url') ?? canonical;
  const base = pageUrl ?? absoluteUrl(canonical, null) ?? absoluteUrl(metaFirst(meta, 'og:url'), null);
  const sourceUrl = absoluteUrl(declaredUrl, pageUrl) ?? pageUrl;

  const publicationName =
    ld.name(ld.deref(article?.publisher)) ??
    metaFirst(meta, 'og:site_name', 'application-name') ??
    null;
  const site = siteEvidence(ld, article, meta, publicationName, sourceUrl ?? base);
  const facts = { doc, ld, article, meta, site, order: elementOrder(doc) };

  const headlineChoice = chooseHeadline(facts);
  const headline = headlineChoice.chosen?.value ?? null;
  if (!headline) throw new ImportError({ key: 'articles.importError.noHeadline' });
  const headlineEl = headlineElement(doc, headline);
  const authorsChoice = chooseAuthors(facts, headlineEl);
  const dateChoice = choosePublished(facts, headlineEl, defaultZone, zoneKnown);

  const standfirst =
    ld.text(article?.description) ?? metaFirst(meta, 'og:description', 'twitter:description', 'description');

  const figure = leadFigure(doc);
  const image = findImage(ld, article, meta, figure, base);
  const dateline = ld.text(article?.dateline) ?? ld.name(ld.deref(article?.locationCreated));

  // Readability rewrites the document, so it runs after every metadata read above.
  const drop = new Set([standfirst, figure?.fullCaption, figure?.caption, image?.caption].filter(isText));
  const body = safeBody(doc, drop, base);

  const published = dateChoice.chosen?.value ?? null;
  const draft: ArticleDraft = {
    headline,
    standfirst,
    authors: dedupeAuthors(authorsChoice.chosen?.value ?? []),
    dateline,
    publishedAt: published?.publishedAt ?? null,
    // Without a zone from the caller, the page's own offset is the best statement of where it is.
    timeZone: published?.timeZone ?? defaultZone,
    image,
    body,
    sourceUrl,
    publicationName,
  };
  return { draft, explanation: [headlineChoice, authorsChoice, dateChoice] as Explanation };
}

function siteEvidence(ld: JsonLd, article: LdNode | null, meta: MetaIndex, publicationName: string | null, url: string | null): SiteEvidence {
  const names = [
    publicationName,
    ...metaAll(meta, 'og:site_name', 'application-name', 'apple-mobile-web-app-title', 'al:ios:app_name', 'al:android:app_name'),
    metaFirst(meta, 'twitter:site')?.replace(/^@/, '') ?? null,
    ld.name(ld.deref(article?.publisher)),
    ld.name(ld.deref(article?.isPartOf)),
  ].filter(isText);
  let host: string | null = null;
  try {
    host = url ? new URL(url).hostname : null;
  } catch {
    host = null;
  }
  return { names: [...new Set(names)], host };
}

function safeBody(doc: Document, drop: Set<string>, base: string | null): BodyBlock[] {
  try {
    return extractBody(doc, drop, base);
  } catch {
    // Readability reads inline styles to skip hidden parts; a style jsdom cannot parse must not cost
    // the import: without the styles the story is still found.
    for (const el of doc.querySelectorAll('[style]')) el.removeAttribute('style');
    try {
      return extractBody(doc, drop, base);
    } catch {
      return [];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Document

// jsdom is loaded by the first import, not when the server starts (src/lazy-module.ts).
const jsdom = lazyModule<typeof import('jsdom')>('jsdom');

function loadDocument(html: string, url: string | null): Document {
  // No runScripts and no resources: jsdom then neither executes the page's scripts (inline or
  // event-handler attributes) nor fetches stylesheets, images, frames or scripts. Saved pages carry
  // vendor CSS jsdom cannot parse; those reports are noise for an importer, so only jsdom errors
  // that would signal a real fault are passed on.
  const { JSDOM, VirtualConsole } = jsdom();
  const virtualConsole = new VirtualConsole().forwardTo(console, {
    jsdomErrors: ['not-implemented', 'unhandled-exception'],
  });
  // jsdom parses every <style> block as it builds the tree, and its CSS library throws on some valid
  // stylesheets ("Cannot create property 'border-width' on string 'inherit'"). The importer never
  // needs page CSS, so the blocks are removed from the source before parsing.
  const source = html.replace(/<style\b[^>]*>[\s\S]*?<\/style\s*>/gi, '');
  try {
    return new JSDOM(source, { virtualConsole, ...(url ? { url } : {}) }).window.document;
  } catch (error) {
    throw new ImportError({ key: 'articles.importError.unreadableHtml', values: { problem: error instanceof Error ? error.message : String(error) } });
  }
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
    absoluteUrl(metaFirst(meta, 'og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image'), base) ??
    absoluteUrl(figure?.src, base);
  if (!src) return null;
  return {
    src,
    // The lead <figure> shows the same picture as the metadata, usually in another crop, so its
    // alt text and caption describe it too.
    alt: metaFirst(meta, 'og:image:alt', 'twitter:image:alt') ?? normalize(figure?.alt) ?? '',
    caption: fromLd?.caption ?? figure?.caption ?? '',
    credit: cleanCredit(fromLd?.credit ?? null) ?? figure?.credit ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Body

// Calls to action that Readability keeps when they sit inside the story's container. Short
// paragraphs only: a long paragraph that mentions a newsletter is reporting, not a prompt.

