// Headline and authors of an HTML page (its publication date: published-date.ts), each chosen among candidates from every
// source the page offers: JSON-LD, microdata, Open Graph and other <meta>, and the visible page (the
// <h1>, byline and date elements near it). No source is trusted alone: metadata is often a shortened
// or search-engine rewrite of the visible headline, names the publication instead of the writer, or
// gives the modified date; the visible page is laid out for people and carries the site's furniture.
// Sources that agree with each other gain; the reasons are kept for --explain.
import type { ArticleAuthor } from '../model.ts';
import type { JsonLd, LdNode } from '../html-jsonld.ts';
import { types } from '../html-jsonld.ts';
import { adjust, candidate, choose, type Candidate, type FieldChoice } from './candidates.ts';
import { parseByline, type Person } from './names.ts';
import { normalizeTitle, sameTitle, stripSiteSuffix, titleSimilarity, titleTokens, type SiteEvidence } from './titles.ts';

export type MetaIndex = Map<string, string[]>;

/** Every <meta> keyed by each lower-cased property/name/itemprop it declares (space-separated lists count once each). */
export function metaIndex(doc: Document): MetaIndex {
  const index: MetaIndex = new Map();
  for (const el of doc.querySelectorAll('meta[content]')) {
    const content = clean(el.getAttribute('content'));
    if (!content) continue;
    const keys = [el.getAttribute('property'), el.getAttribute('name'), el.getAttribute('itemprop')]
      .filter((k): k is string => !!k)
      .flatMap((k) => k.trim().toLowerCase().split(/\s+/));
    for (const k of new Set(keys)) index.set(k, [...(index.get(k) ?? []), content]);
  }
  return index;
}

export function metaAll(meta: MetaIndex, ...keys: string[]): string[] {
  return keys.flatMap((k) => meta.get(k) ?? []);
}

export function metaFirst(meta: MetaIndex, ...keys: string[]): string | null {
  return metaAll(meta, ...keys)[0] ?? null;
}

function clean(text: string | null | undefined): string | null {
  const t = text?.replace(/[\s\u00A0\u200B]+/g, ' ').trim();
  return t ? t : null;
}

/** The story's own container: the element the visible-page candidates are searched in first. */
export function storyRoot(doc: Document): Element {
  return (
    doc.querySelector('article') ??
    doc.querySelector('[itemprop~="articleBody"]')?.parentElement ??
    doc.querySelector('main, [role="main"]') ??
    doc.body ??
    doc.documentElement
  );
}

// Page furniture a headline, byline or date is never in.
const FURNITURE = 'nav, footer, aside, [role="navigation"], [role="contentinfo"], [class*="comment" i], [id*="comment" i], [class*="related" i], [class*="sidebar" i], [class*="footer" i], [class*="promo" i], [class*="newsletter" i]';

export function inFurniture(el: Element): boolean {
  const match = el.closest(FURNITURE);
  if (!match) return false;
  // A container that holds the story itself (a <body class="has-sidebar">) is layout, not furniture.
  const doc = el.ownerDocument;
  return match !== doc.body && match !== doc.documentElement && !match.contains(storyRoot(doc)) && match.querySelector('h1') === null;
}

/** Document order of every element, to tell how far a byline or date stands from the headline. */
export function elementOrder(doc: Document): Map<Element, number> {
  const order = new Map<Element, number>();
  let i = 0;
  for (const el of doc.querySelectorAll('body *')) order.set(el, i++);
  return order;
}

/** Points for standing just after the headline (or a little before it), as bylines and dates do. */
export function proximity(order: Map<Element, number>, headline: Element | null, el: Element): [number, string] {
  if (!headline) return [0, ''];
  const h = order.get(headline);
  const e = order.get(el);
  if (h === undefined || e === undefined) return [0, ''];
  const distance = e - h;
  if (distance > 0 && distance <= 60) return [14, 'just after the headline'];
  if (distance > 0 && distance <= 200) return [7, 'soon after the headline'];
  if (distance < 0 && distance >= -30) return [6, 'just before the headline'];
  return [0, ''];
}

export function visibleText(el: Element): string | null {
  const copy = el.cloneNode(true) as Element;
  // A line break separates as a comma would: "Written by A<br>Edited by B".
  for (const br of copy.querySelectorAll('br')) br.replaceWith(', ');
  for (const hidden of copy.querySelectorAll('script, style, noscript, template, [hidden], [aria-hidden="true"]')) hidden.remove();
  return clean(copy.textContent);
}

export interface PageFacts {
  doc: Document;
  /** Document order of the body's elements (see elementOrder). */
  order: Map<Element, number>;
  ld: JsonLd;
  article: LdNode | null;
  meta: MetaIndex;
  site: SiteEvidence;
}

// ---------------------------------------------------------------------------------------------
// Headline

interface TitleSource {
  source: string;
  text: string;
  score: number;
}

export function chooseHeadline(facts: PageFacts): FieldChoice<string> {
  const { doc, ld, article, meta, site } = facts;
  const metadata: TitleSource[] = [];
  const add = (source: string, text: string | null, score: number) => {
    const t = normalizeTitle(text);
    if (t) metadata.push({ source, text: t, score });
  };
  add('json-ld headline', ld.text(article?.headline), 80);
  add('json-ld name', article && !article.headline ? ld.text(article.name) : null, 70);
  add('og:title', metaFirst(meta, 'og:title'), 75);
  add('dc:title', metaFirst(meta, 'dc:title', 'dc.title', 'dcterms:title', 'dcterms.title'), 74);
  add('twitter:title', metaFirst(meta, 'twitter:title'), 70);
  add('parsely/sailthru title', metaFirst(meta, 'parsely-title', 'sailthru.title'), 70);
  add('meta title', metaFirst(meta, 'title', 'headline'), 66);
  add('<title>', doc.querySelector('title')?.textContent ?? null, 60);

  const candidates: Candidate<string>[] = [];
  const rawTitles = metadata.map((m) => m.text);
  const stripped = metadata.map((m) => ({ ...m, text: stripSiteSuffix(m.text, site) }));
  for (const m of stripped) {
    const c = candidate(m.text, m.text, m.source, m.score, `from ${m.source}`);
    if (m.text !== metadata.find((x) => x.source === m.source)?.text) c.reasons.push('site name or section cut off');
    const agreeing = stripped.filter((o) => o !== m && sameTitle(o.text, m.text)).length;
    adjust(c, Math.min(agreeing, 3) * 4, `${agreeing} other metadata agree`);
    candidates.push(c);
  }

  // The visible headline: <h1> (and itemprop=headline) elements.
  const root = storyRoot(doc);
  const suffixes = titleSuffixSegments(doc.querySelector('title')?.textContent ?? '');
  const headings = [...doc.querySelectorAll('h1, [itemprop~="headline"]:not(meta)')].slice(0, 20);
  let rootOrder = 0;
  headings.forEach((el, order) => {
    const text = normalizeTitle(visibleText(el));
    if (!text || text.length > 300) return;
    const inRoot = root !== doc.body && root.contains(el);
    const source = el.tagName === 'H1' ? 'visible <h1>' : 'visible itemprop=headline';
    const c = candidate(text, text, source, 40, source);
    const similarity = Math.max(0, ...rawTitles.map((t) => titleSimilarity(text, t)), ...stripped.map((t) => titleSimilarity(text, t.text)));
    if (similarity >= 0.5) adjust(c, Math.round(50 + 40 * similarity), `agrees with the metadata title (similarity ${similarity.toFixed(2)})`);
    const wordy = titleTokens(text).length >= 2;
    if (inRoot) {
      adjust(c, rootOrder === 0 ? 45 : 10, rootOrder === 0 ? 'first heading inside the article' : 'inside the article');
      rootOrder++;
    }
    if (!wordy) adjust(c, -45, 'a single word');
    if (inFurniture(el)) adjust(c, -40, 'inside navigation, footer or sidebar');
    if (siteNamed(text, site) || suffixes.some((s) => sameTitle(s, text))) adjust(c, -90, "the site's name");
    if (/\b(?:logo|brand|site-?title|masthead)\b/i.test(`${el.className} ${el.parentElement?.className ?? ''}`)) adjust(c, -60, 'a logo or masthead');
    adjust(c, -Math.min(order, 10), order > 0 ? 'later on the page' : '');
    candidates.push(c);
  });
  return choose('headline', candidates);
}

function siteNamed(text: string, site: SiteEvidence): boolean {
  return site.names.some((n) => sameTitle(n, text));
}

/** The parts of "Headline - Section - Site" after the first: names of the site and its sections. */
function titleSuffixSegments(title: string): string[] {
  const parts = title.split(/\s+(?:[|\-–—·»@]|::)\s+/).map((p) => p.trim()).filter(Boolean);
  return parts.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Authors

// Where pages put their bylines; a selector's weight says how directly it names the writer.
const BYLINE_SELECTORS: Array<[string, number, string]> = [
  ['[itemprop~="author"] [itemprop~="name"], [itemprop~="creator"] [itemprop~="name"]', 74, 'microdata author name'],
  ['[itemprop~="author"], [itemprop~="creator"]', 70, 'microdata author'],
  ['a[rel~="author" i]', 68, 'rel=author link'],
  ['[class*="byline" i], [id*="byline" i], [class*="by-line" i], [data-testid*="byline" i], [class*="byl" i]', 66, 'byline element'],
  ['[class*="author" i], [class*="writer" i], [class*="contributor" i], [rel~="author" i]', 58, 'author element'],
  ['address', 50, '<address>'],
];
const MAX_BYLINE_LENGTH = 160;

export function chooseAuthors(facts: PageFacts, headline: Element | null): FieldChoice<ArticleAuthor[]> {
  const { doc, ld, article, meta, site } = facts;
  const lists: Candidate<Person[]>[] = [];
  const add = (people: Person[], source: string, score: number) => {
    if (people.length === 0) return;
    lists.push(candidate(people, people.map((p) => p.name).join(', '), source, score, `from ${source}`));
  };

  add(ldPeople(ld, article?.author, site.names), 'json-ld author', 84);
  if (article && !article.author) add(ldPeople(ld, article.creator, site.names), 'json-ld creator', 70);
  // Dublin Core and citation metadata write one author per tag, often as "Last, First".
  const dc = firstKey(meta, 'dc:creator', 'dc.creator', 'dcterms:creator', 'dcterms.creator');
  add(dc.flatMap((a) => parseByline(invertName(a), site.names)), 'dc:creator', 72);
  add(metaAll(meta, 'author').flatMap((a) => parseByline(a, site.names)), 'meta author', 70);
  add(metaAll(meta, 'article:author', 'parsely-author', 'sailthru.author', 'byl', 'citation_author', 'cxenseparse:author').filter((a) => !/^(?:https?:)?\/\//i.test(a)).flatMap((a) => parseByline(a, site.names)), 'meta article:author', 72);

  // The visible byline: elements near the headline, inside the story first.
  const root = storyRoot(doc);
  const order = facts.order;
  const seen = new Set<Element>();
  const bylineElements = new Map<Candidate<Person[]>, Element>();
  for (const [selector, weight, label] of BYLINE_SELECTORS) {
    let found = 0;
    for (const el of doc.querySelectorAll(selector)) {
      if (found >= 8 || [...seen].some((s) => s.contains(el) || el.contains(s))) continue;
      if (el.closest('head, script, noscript, template')) continue;
      // Microdata says what it is wherever it stands (an <aside> under the post); other bylines in
      // navigation or sidebars belong to other stories.
      const furniture = inFurniture(el);
      if (furniture && !label.startsWith('microdata')) continue;
      const text = visibleText(el);
      if (!text || text.length > MAX_BYLINE_LENGTH) continue;
      const fromLinks = el.tagName !== 'A' ? [...el.querySelectorAll('a')].map((a) => visibleText(a)).filter((t): t is string => !!t) : [];
      let people = parseByline(text, site.names);
      // A byline whose names are links: the links are the names, the rest is "By", roles and dates.
      const linked = fromLinks.flatMap((t) => parseByline(t, site.names));
      if (linked.length > 0 && linked.every((p) => people.some((q) => q.name === p.name) || text.includes(p.name))) people = mergePeople(linked, people);
      if (people.length === 0) continue;
      seen.add(el);
      // Several author links or microdata authors side by side are one byline: "By <a>A</a> and <a>B</a>".
      const sibling = /microdata|rel=author/.test(label)
        ? lists.find((c) => {
            const other = bylineElements.get(c);
            return c.source === label && other !== undefined && other.parentElement === el.parentElement && Math.abs((order.get(other) ?? 0) - (order.get(el) ?? 0)) <= 6;
          })
        : undefined;
      if (sibling) {
        sibling.value = mergePeople(sibling.value, people);
        sibling.shown = sibling.value.map((p) => p.name).join(', ');
        continue;
      }
      found++;
      const c = candidate(people, people.map((p) => p.name).join(', '), label, weight, `from a ${label}`);
      bylineElements.set(c, el);
      if (root !== doc.body && root.contains(el)) adjust(c, 8, 'inside the article');
      if (furniture) adjust(c, -15, 'in an aside or footer');
      if (headline && near(headline, el)) adjust(c, 10, 'near the headline');
      adjust(c, ...proximity(order, headline, el));
      if (/^\s*(?:by|par|por|von|di|door)\s/i.test(text)) adjust(c, 6, 'reads "By …"');
      lists.push(c);
    }
  }

  // "by" alone, with the name in the next element: <span>by</span> <h3><a>Sleyca</a></h3>.
  for (const el of doc.querySelectorAll('span, em, small, div, p, li, strong, b')) {
    if (el.children.length > 0 || !/^(?:by|par|por|von|di|door|av|af)$/i.test(el.textContent?.trim() ?? '')) continue;
    const next = el.nextElementSibling;
    const text = next ? visibleText(next) : null;
    if (!next || !text || text.length > MAX_BYLINE_LENGTH || inFurniture(el)) continue;
    const people = parseByline(text, site.names);
    if (people.length === 0) continue;
    const c = candidate(people, people.map((p) => p.name).join(', '), '"by" and the next element', 64, 'the element after a lone "by"');
    adjust(c, ...proximity(order, headline, next));
    lists.push(c);
  }

  // Agreement: a writer named by several sources is the writer.
  for (const c of lists) {
    const names = new Set(c.value.map((p) => key(p.name)));
    const others = lists.filter((o) => o !== c && o.value.some((p) => names.has(key(p.name))));
    const sources = new Set(others.map((o) => o.source)).size;
    adjust(c, Math.min(sources, 3) * 8, `named by ${sources} other source${sources === 1 ? '' : 's'}`);
    // The fuller list of the same writers wins over one that names only the first.
    const fuller = others.some((o) => o.value.length < c.value.length && o.value.every((p) => names.has(key(p.name))));
    adjust(c, fuller ? 6 : 0, 'names more of the same writers');
    if (c.value.every((p) => site.names.some((n) => key(n) === key(p.name)))) adjust(c, -15, "the site's own name");
    if (c.value.every((p) => p.kind === 'organisation')) adjust(c, -45, 'names an organisation, not a person');
    else if (c.value.some((p) => p.kind === 'organisation')) {
      c.value = c.value.filter((p) => p.kind === 'person');
      c.shown = c.value.map((p) => p.name).join(', ');
      c.reasons.push('organisations dropped');
    }
  }
  const choice = choose('authors', lists, 0);
  return {
    field: 'authors',
    chosen: choice.chosen && { ...choice.chosen, value: choice.chosen.value.map((p) => ({ name: p.name })) },
    candidates: choice.candidates.map((c) => ({ ...c, value: c.value.map((p) => ({ name: p.name })) })),
  };
}

function firstKey(meta: MetaIndex, ...keys: string[]): string[] {
  for (const k of keys) if (meta.has(k)) return meta.get(k) ?? [];
  return [];
}

/** "Jong, Michiel de" → "Michiel de Jong"; other forms are left alone. */
function invertName(value: string): string {
  const m = /^([^,]+),\s*([^,]+)$/.exec(value.trim());
  if (!m || m[1].trim().split(/\s+/).length > 2) return value;
  return `${m[2].trim()} ${m[1].trim()}`;
}

function key(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function mergePeople(first: Person[], second: Person[]): Person[] {
  const out = [...first];
  for (const p of second) if (!out.some((q) => key(q.name) === key(p.name))) out.push(p);
  // A text name that only repeats a linked one with extra words ("Alex Perry Tech Reporter") is dropped.
  return out.filter((p, i) => i < first.length || !first.some((f) => key(p.name).includes(key(f.name))));
}

function ldPeople(ld: JsonLd, value: unknown, siteNames: string[]): Person[] {
  if (Array.isArray(value)) return value.flatMap((v) => ldPeople(ld, v, siteNames));
  if (typeof value === 'string') return parseByline(ld.text(value), siteNames);
  const node = ld.deref(value);
  if (!node || typeof node !== 'object') return [];
  const name = ld.name(node);
  const organisation = types(node as LdNode).some((t) => /Organization|Corporation|NewsMediaOrganization/i.test(t));
  return parseByline(name, siteNames).map((p) => (organisation ? { ...p, kind: 'organisation' as const } : p));
}

/** Whether `el` sits within a few elements of the headline, in the same part of the page. */
export function near(headline: Element, el: Element): boolean {
  let ancestor: Element | null = headline.parentElement;
  for (let depth = 0; ancestor && depth < 4; depth++, ancestor = ancestor.parentElement) {
    if (ancestor.contains(el)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Publication date

/** The element of the chosen visible headline, for "near the headline" checks. */
export function headlineElement(doc: Document, headline: string | null): Element | null {
  if (!headline) return doc.querySelector('article h1, main h1, h1');
  for (const el of doc.querySelectorAll('h1, [itemprop~="headline"]:not(meta), h2')) {
    const text = normalizeTitle(el.textContent);
    if (text && (sameTitle(text, headline) || titleSimilarity(text, headline) >= 0.8)) return el;
  }
  return doc.querySelector('article h1, main h1, h1');
}
