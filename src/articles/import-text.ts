// Articles as a reader copies them off a news site: headline, optional standfirst, byline, dateline,
// date line, hero image (alt line + "caption (Credit)" line), then body paragraphs — interleaved with
// the site's furniture (comment prompts, sign-in notices, share buttons, newsletter pitches).
//
// The furniture is recognised by what it is, not by any one site's wording: short calls to action
// addressed to the reader about the site itself, lines made only of share/social vocabulary, account
// notices, and — in the body — short lines that are not sentences, plus anything after the article's
// last finished sentence.

import { DEFAULT_TIME_ZONE, ImportError, type ArticleAuthor, type ArticleDraft, type DraftImage } from './model.ts';
import { findDatesInText, isDateLine, isValidTimeZone, parseDateLine, type ParsedDate } from './dates.ts';
import type { Explanation } from './extract/candidates.ts';
import { locateArticle, weightOf } from './text-locate.ts';
import { parseByline as namesInByline } from './extract/names.ts';
import { buildBody, continues, readImage, readLines, startsImage, type Line } from './text-blocks.ts';
import { endsSentence, wordCount } from './text-lines.ts';
import {
  agencyLead,
  isInterfaceName,
  isTimeStamp,
  looksLikePlace,
  lowerCaseVocabulary,
  nameBeforeStamp,
  opensLikeTitle,
  parseByline,
  strictByline,
  withoutInterfaceNames,
  writersOnly,
} from './text-bylines.ts';

export interface TextImportOptions {
  /** IANA zone for a date line that names no zone, and for articles without a date line. */
  defaultTimeZone?: string;
  sourceUrl?: string;
  publicationName?: string;
}

export interface TextImportResult {
  draft: ArticleDraft;
  /** Where the article was found in the page and why (for `parley import --dry-run --explain`). */
  explanation: Explanation;
}

export function parseTextArticle(text: string, options: TextImportOptions = {}): ArticleDraft {
  return explainTextArticle(text, options).draft;
}

export function explainTextArticle(text: string, options: TextImportOptions = {}): TextImportResult {
  const defaultZone = options.defaultTimeZone ?? DEFAULT_TIME_ZONE;
  if (!isValidTimeZone(defaultZone)) throw new RangeError(`Unknown default time zone "${defaultZone}"`);
  if (text.trim() === '') throw new ImportError({ key: 'articles.importError.textEmpty' });
  const reader: DateReader = { zone: defaultZone, zoneKnown: options.defaultTimeZone !== undefined };

  const page = readLines(text);
  // A whole-page copy: the article is found where it stands, and the page around it is dropped.
  const texts = page.map((line) => line.text);
  // Date lines, and the time stamps that stand where a date would ("1:39 PM ET", "8h", "3 hours ago"):
  // both mark an article's (or a teaser's) header, though only a date gives the publication day.
  const dates = new Set(texts.filter((t) => readDate(t, reader) !== null || isTimeStamp(t)));
  // A byline is "By …", or a person's name right above a date line ("Hazel Sheffield" / "Friday 25 December 2015").
  // "Devindra Hardawar, @devindra" above "11.03.17 in Gadgetry": handles and credits around the name too.
  const vocabulary = lowerCaseVocabulary(texts);
  // (A title-case headline above its date, "On Recent Controversial Events", is made of the page's ordinary words.)
  const namesAboveDates = new Set(
    texts.filter((t, i) => i + 1 < texts.length && dates.has(texts[i + 1]) && (parseByline(t) !== null || onlyNames(t)) && !isInterfaceName(t, vocabulary)),
  );
  const located = locateArticle(texts, {
    isDate: (t) => dates.has(t),
    isByline: (t) => strictByline(t) !== null || namesAboveDates.has(t),
    isTableRow: (i) => page[i].tabular,
  });
  const explanation: Explanation = located ? [located.choice] : [];
  const lines = located ? page.slice(located.headline, located.bodyEnd + 1) : page;
  const headline = lines[0]?.text;
  if (headline === undefined) {
    throw new ImportError({ key: 'articles.importError.textAllFurniture' });
  }
  if (isDateLine(headline) || wordCount(headline) > MAX_HEADLINE_WORDS) {
    throw new ImportError({ key: 'articles.importError.textFirstLine', values: { line: headline.slice(0, 60) } });
  }

  const header = readHeader(lines, reader);
  const onlyPeople = (authors: ArticleAuthor[]) => withoutInterfaceNames(peopleIn(authors), vocabulary);
  header.authors = onlyPeople(header.authors);
  // A name with the story's age beside it ("Alex Perry 1 day ago") is the writer; a bare pair of
  // capitalised words above it is as likely the partner site or section ("Tech Insider").
  // Likewise a "By …" line in the header ("By STEVEN DAVIDOFF SOLOMON JULY 29, 2016") beats a bare
  // name-like line above it ("Deal Professor", a column's name).
  const headerTexts = lines.slice(1, Math.max(header.next + 2, 8)).map((line) => line.text);
  // (The header's own reading of a "By" line also knows its place: "By Alexandra Wilts in Manila".)
  // A meta line strings several things together ("Le Monde | 04.05.2015 à 13h36 | Par Martin
  // Untersinger"): each piece is judged on its own.
  const byLine = headerTexts
    .flatMap((t) => [t, ...t.split(/\s+[|•·]\s+/u).slice(1)])
    .map((t) => (strictByline(t) === null ? [] : onlyPeople(parseByline(t)?.authors ?? strictByline(t) ?? [])))
    .find((people) => people.length > 0);
  // "by" / "Sleyca" right above a chapter's heading: an explicit byline, which beats a bare
  // capitalised line below the headline ("Fiction Page" is a button).
  const byAbove = located ? explicitBylineAbove(page, located.headline) : [];
  if (byLine) header.authors = byLine;
  else if (byAbove.length > 0) header.authors = onlyPeople(byAbove);
  else {
    const stamped = headerTexts.map(nameBeforeStamp).find((name): name is string => name !== null && onlyNames(name));
    const writers = stamped === undefined ? [] : onlyPeople([{ name: stamped }]);
    if (writers.length > 0) header.authors = writers;
  }
  const bodyStart = located ? located.bodyStart - located.headline : lines.length;
  if (header.authors.length === 0) header.authors = onlyPeople(findByline(lines, Math.max(bodyStart, 1), namesAboveDates));
  // Some layouts put the writer and date above the headline (name, then "on Mar 27 · 14 min").
  if (header.authors.length === 0 && located) {
    const above = page.slice(Math.max(0, located.headline - 6), located.headline);
    // (A bare capitalised line above a headline is a menu entry or a section label unless a date or read time follows it.)
    header.authors = onlyPeople(findByline([{ text: '', block: -1, tabular: false }, ...above], above.length + 1, namesAboveDates, 'beforeMeta'));
  }
  // The headline shown twice (a title bar, then the article in a panel): the byline may stand under the other copy.
  if (header.authors.length === 0 && located) {
    for (let k = 0; k < page.length && header.authors.length === 0; k++) {
      if (k === located.headline || page[k].text !== headline) continue;
      const copy = page.slice(k, k + 8);
      header.authors = onlyPeople(findByline(copy, copy.length - 2, namesAboveDates));
    }
  }
  // No person named: a dispatch signed by an agency on its header's date line ("AFP 30 avril 2015 à 07:19").
  if (header.authors.length === 0) {
    const signed = lines.slice(1, Math.min(lines.length, Math.max(bodyStart, header.next) + 1)).map((line) => agencyLead(line.text)).find((a) => a !== null);
    if (signed) header.authors = [{ name: signed }];
  }
  if (header.publishedAt === null && located) {
    const found = findDateNear(page, located.headline, located.bodyStart, reader);
    if (found) [header.publishedAt, header.timeZone] = [found.publishedAt, found.timeZone];
  }
  const { image, next } = readImage(lines, header.next);
  const body = buildBody(lines.slice(next));
  if (body.length === 0) throw new ImportError({ key: 'articles.importError.noBody', values: { headline } });

  const draft: ArticleDraft = {
    headline,
    standfirst: header.standfirst,
    authors: header.authors,
    dateline: header.dateline,
    publishedAt: header.publishedAt,
    timeZone: header.timeZone,
    image,
    body: body.map((paragraph) => ({ type: 'paragraph', text: paragraph })),
    sourceUrl: options.sourceUrl ?? null,
    publicationName: options.publicationName ?? null,
  };
  return { draft, explanation };
}

// ---------------------------------------------------------------------------------------------
// Dates and bylines anywhere in the header area

interface DateReader {
  zone: string;
  /** The caller named the publication's zone: a stated offset then only fixes the instant. */
  zoneKnown: boolean;
}

const DATE_LABEL = /\b(?:first published|published|posted|updated|last updated|last modified|modified|veröffentlicht|aktualisiert|stand|publié|mis à jour|publicado|actualizado|atualizado|pubblicato|aggiornato|gepubliceerd|bijgewerkt|date|on|am|le|el|il|em)\b[\s:：]*/giu;

/** The date a line states, when stating a date is what the line is for (a date line, "Published …", "By X, 8 January 2020"). */
function readDate(text: string, reader: DateReader): ParsedDate | null {
  if (text.length > 120) return null;
  const strict = parseDateLine(text, reader.zone);
  if (strict) return strict;
  const all = findDatesInText(text, reader.zone, reader.zoneKnown);
  const found = all[0];
  if (!found) return null;
  const rest = all.reduce((t, d) => t.replace(d.text, ' '), text).replace(DATE_LABEL, ' ').replace(/[|·•,–—\-/()\s]+/g, ' ').trim();
  if (weightOf(rest) <= 3 || strictByline(rest) !== null) return found;
  // "发稿时间：2017-03-10 08:42:00 来源：…", "2017-03-10 09:58:03 Source: …": a line that opens with
  // the date (after at most a short label) is a date line, whatever follows it.
  if (text.length <= 100 && weightOf(text.slice(0, found.index).replace(/[:：\s]+$/u, '')) <= 3) return found;
  return null;
}

/** A short line that is nothing but people's names (with handles or credits the name reader drops). */
function onlyNames(text: string): boolean {
  if (wordCount(text) > 8 || endsSentence(text) || opensLikeTitle(text)) return false;
  const people = namesInByline(text);
  return people.length > 0 && people.every((p) => p.kind === 'person' && wordCount(p.name) >= 2 && wordCount(p.name) <= 4 && p.name.split(/\s+/).every((w) => /^\(?\p{Lu}/u.test(w)));
}

/** The authors that name people: credentials ("MA"), organisations and interface labels dropped. */
function peopleIn(authors: ArticleAuthor[]): ArticleAuthor[] {
  return authors.flatMap((a) => namesInByline(a.name).filter((p) => p.kind === 'person').map((p) => ({ name: p.name })));
}

/** A byline between the headline and the body that the header reader did not reach. */
function findByline(lines: Line[], limit: number, namesAboveDates: Set<string>, bareNames: 'any' | 'beforeMeta' = 'any'): ArticleAuthor[] {
  for (let i = 1; i < Math.min(lines.length, limit + 2, 16); i++) {
    const text = lines[i].text;
    const strict = strictByline(text);
    if (strict) return strict;
    // "Alex Perry 1 day ago", "James Akinaka • 8h": the writer and the story's age.
    const stamped = nameBeforeStamp(text);
    if (stamped !== null && onlyNames(stamped)) return namesInByline(stamped).filter((p) => p.kind === 'person').map((p) => ({ name: p.name }));
    if (namesAboveDates.has(text)) {
      const people = namesInByline(text).filter((p) => p.kind === 'person');
      if (people.length > 0) return people.map((p) => ({ name: p.name }));
    }
    // "By" on its own line, the name on the next.
    if (/^(?:by|par|por|von|door|di)$/i.test(text) && lines[i + 1]) {
      const joined = strictByline(`${text} ${lines[i + 1].text}`);
      if (joined) return joined;
    }
  }
  // Failing those, a line that is only a person's name (two to four capitalised words) between the
  // headline and the story: "Dave Steer" under the standfirst.
  for (let i = 1; i < Math.min(lines.length, limit, 16); i++) {
    const text = lines[i].text;
    if (wordCount(text) < 2 || wordCount(text) > 4 || text === lines[0].text || parseByline(text) === null) continue;
    // Above a headline, only a name heading a short meta line ("Pippin Lee" / "on Mar 1711 min"), not a menu entry.
    const meta = lines[i + 1]?.text ?? '';
    if (bareNames === 'beforeMeta' && (!/\d/.test(meta) || wordCount(meta) > 6)) continue;
    const people = namesInByline(text).filter((p) => p.kind === 'person');
    if (people.length === 1) return [{ name: people[0].name }];
  }
  return [];
}

/** A "By" byline on one of the two lines right above the headline, or "by" and the name on those two lines. */
function explicitBylineAbove(page: Line[], headline: number): ArticleAuthor[] {
  const [before, last] = [page[headline - 2]?.text, page[headline - 1]?.text];
  if (last === undefined) return [];
  if (before !== undefined && /^(?:by|par|por|von|door|di)$/i.test(before)) return strictByline(`${before} ${last}`) ?? [];
  return strictByline(last) ?? [];
}

/** The first date line near the headline: a few lines above it (kickers, date bars) or below it. */
function findDateNear(page: Line[], headline: number, bodyStart: number, reader: DateReader): ParsedDate | null {
  const order: number[] = [];
  for (let i = headline + 1; i <= Math.min(page.length - 1, Math.max(bodyStart, headline + 12)); i++) order.push(i);
  for (let i = headline - 1; i >= Math.max(0, headline - 5); i--) order.push(i);
  for (const i of order) {
    const found = readDate(page[i].text, reader);
    if (found) return found;
  }
  return null;
}

const MAX_HEADLINE_WORDS = 40;

// ---------------------------------------------------------------------------------------------
// Header: standfirst, byline, dateline, date

interface Header {
  standfirst: string | null;
  authors: ArticleAuthor[];
  dateline: string | null;
  publishedAt: Date | null;
  timeZone: string;
  /** Index of the first line after the header. */
  next: number;
}

// The date line sits within the first few lines after the headline, or there is none.
const HEADER_SCAN = 6;

function readHeader(lines: Line[], reader: DateReader): Header {
  const limit = Math.min(lines.length, 1 + HEADER_SCAN);
  for (let index = 1; index < limit; index++) {
    const date = readDate(lines[index].text, reader);
    if (date) return readHeaderAroundDate(lines, index, date, reader);
  }
  return readHeaderWithoutDate(lines, reader.zone);
}

function readHeaderAroundDate(lines: Line[], dateIndex: number, date: ParsedDate, reader: DateReader): Header {
  const standfirst: string[] = [];
  let authors: ArticleAuthor[] = [];
  let dateline: string | null = null;
  const before = lines.slice(1, dateIndex).map((line) => line.text);

  // Byline and dateline are both short runs of capitalised words; which is which is decided by
  // features (By, "and", place markers like "DC") and, failing those, by order: byline first.
  for (const text of before) {
    const byline = parseByline(text);
    if (authors.length === 0 && dateline === null && !byline && !looksLikePlace(text)) {
      standfirst.push(text);
    } else if (authors.length === 0 && byline) {
      authors = byline.authors;
      dateline ??= byline.place;
    } else if (dateline === null && looksLikePlace(text)) {
      dateline = text;
    }
  }

  // "Le Monde | 04.05.2015 à 13h36 | Par Martin Untersinger", "// By Arun Sai Krishnan • Nov 11, 2020",
  // "by Steven Musil January 18, 2017 11:00 PM PST": a byline sharing the date's line.
  if (authors.length === 0) {
    for (const whole of lines[dateIndex].text.replace(/^[/\s]+/, '').split(/\s+[|•·]\s+/u)) {
      // "on March 10, 2015 by Nikhil Marathe": the byline after the date.
      const by = /(?:^|\s)(?:by|par|por|von|door|di|av|af)\s+(?=\p{Lu})/iu.exec(whole);
      if (!by) continue;
      const segment = writersOnly(whole.slice(by.index));
      const people = namesInByline(segment).filter((p) => p.kind === 'person');
      if (people.length > 0) {
        authors = people.map((p) => ({ name: p.name }));
        break;
      }
    }
  }
  // "Dan Goodin - Apr 16, 2015 8:02 pm UTC": the writer's name on the date line, before the date.
  if (authors.length === 0) {
    const lead = /^(.*?\S)\s+[-–—|·•]\s+\S/u.exec(lines[dateIndex].text)?.[1];
    const named = lead === undefined ? null : parseByline(lead);
    if (named) authors = named.authors;
  }

  let next = dateIndex + 1;
  // "Updated …" lines repeat the date; some sites also put the byline under the date.
  while (next < lines.length && readDate(lines[next].text, reader) !== null) next++;
  if (authors.length === 0 && next < lines.length && !startsImage(lines, next)) {
    const late = parseByline(lines[next].text);
    if (late) {
      authors = late.authors;
      dateline ??= late.place;
      next++;
    }
  }

  return {
    standfirst: standfirst.length > 0 ? standfirst.join(' ') : null,
    authors,
    dateline,
    publishedAt: date.publishedAt,
    timeZone: date.timeZone,
    next,
  };
}

/**
 * Without a date line the header ends at the first line that is not header-like. A sentence right
 * after the headline is the standfirst when it is unfinished (standfirsts often lack a full stop) or
 * when a byline or image follows it; otherwise it is the first paragraph.
 */
function readHeaderWithoutDate(lines: Line[], defaultZone: string): Header {
  let next = 1;
  let standfirst: string | null = null;
  let authors: ArticleAuthor[] = [];
  let dateline: string | null = null;

  const candidate = lines[next]?.text;
  if (candidate !== undefined && !startsImage(lines, next) && !parseByline(candidate) && !looksLikePlace(candidate)) {
    const following = lines[next + 1]?.text;
    const headerFollows =
      following !== undefined && (parseByline(following) !== null || looksLikePlace(following) || startsImage(lines, next + 1));
    const wrapped = lines[next + 1] !== undefined && continues(candidate, lines[next], lines[next + 1]);
    if ((!endsSentence(candidate) && !wrapped) || headerFollows) {
      standfirst = candidate;
      next++;
    }
  }
  const byline = next < lines.length && !startsImage(lines, next) ? parseByline(lines[next].text) : null;
  if (byline) {
    authors = byline.authors;
    dateline = byline.place;
    next++;
    if (dateline === null && next < lines.length && !startsImage(lines, next) && looksLikePlace(lines[next].text)) {
      dateline = lines[next].text;
      next++;
    }
  }
  return { standfirst, authors, dateline, publishedAt: null, timeZone: defaultZone, next };
}
