// The publication date of an HTML page, chosen among the dates its sources give (html-fields.ts has
// the headline and authors): JSON-LD and <meta> claim publication or modification, <time> elements and
// dates printed near the headline show what the reader sees. Sources that agree on the day gain; a
// "published" instant that is the modified one, while another source gives an earlier one, loses.
import { DateTime } from 'luxon';
import { findDatesInText, parseMachineDate, type FoundDate } from '../dates.ts';
import { adjust, candidate, choose, type Candidate, type FieldChoice } from './candidates.ts';
import { inFurniture, metaFirst, near, proximity, storyRoot, visibleText, type PageFacts } from './html-fields.ts';

export interface DateValue extends FoundDate {}

export function choosePublished(facts: PageFacts, headline: Element | null, zone: string, zoneKnown: boolean): FieldChoice<DateValue> {
  const { doc, ld, article, meta } = facts;
  const dates: Candidate<DateValue>[] = [];
  const add = (text: string | null | undefined, source: string, score: number) => {
    const found = parseMachineDate(text, zone, zoneKnown);
    if (found) dates.push(candidate(found, `${text}`, source, score, `from ${source}`));
  };
  add(ld.text(article?.datePublished), 'json-ld datePublished', 90);
  add(metaFirst(meta, 'article:published_time', 'og:published_time', 'datepublished', 'published_time'), 'meta article:published_time', 86);
  add(metaFirst(meta, 'parsely-pub-date', 'sailthru.date', 'pubdate', 'publishdate', 'publish-date', 'publish_date', 'date', 'dc.date', 'dc:date', 'dcterms.issued', 'dcterms:issued', 'dc.date.issued', 'dcterms.created', 'citation_publication_date', 'citation_date', 'article.published', 'originalpublicationdate'), 'meta date', 76);
  add(ld.text(article?.dateCreated), 'json-ld dateCreated', 55);
  add(ld.text(article?.dateModified), 'json-ld dateModified', 30);
  add(metaFirst(meta, 'article:modified_time', 'og:updated_time', 'datemodified', 'last-modified', 'dcterms.modified'), 'meta modified time', 28);

  const root = storyRoot(doc);
  const times = [...doc.querySelectorAll('time, [itemprop~="datePublished"]:not(meta), [itemprop~="dateCreated"]:not(meta)')].slice(0, 12);
  times.forEach((el, order) => {
    if (inFurniture(el)) return;
    const attr = el.getAttribute('datetime') ?? el.getAttribute('content');
    const label = `${el.getAttribute('itemprop') ?? ''} ${el.className} ${el.parentElement?.className ?? ''}`;
    const modified = /modif|updat|edited/i.test(label);
    const published = /publish|pubdate|posted|created/i.test(label) || el.hasAttribute('pubdate');
    const base = (published ? 74 : 60) - (modified ? 35 : 0) - Math.min(order, 5) * 2;
    const inRoot = root !== doc.body && root.contains(el);
    const before = dates.length;
    if (attr) add(attr, 'visible <time datetime>', base);
    if (dates.length === before) {
      for (const found of findDatesInText(visibleText(el) ?? '', zone, zoneKnown).slice(0, 1)) {
        dates.push(candidate(found, found.text, 'visible <time> text', base - 4, 'from the text of a <time> element'));
      }
    }
    if (dates.length > before && inRoot) adjust(dates[dates.length - 1], 6, 'inside the article');
    if (dates.length > before && modified) dates[dates.length - 1].reasons.push('labelled as modified');
  });

  // Dates only printed on the page, near the headline: "8 January 2020, 3:51 pm", "28.01.2020".
  const printed = [
    ...doc.querySelectorAll('[class*="date" i], [class*="time" i], [class*="publish" i], [class*="posted" i], [class*="meta" i], [class*="byline" i], [class*="dateline" i], [id*="date" i], [class*="datum" i], [class*="fecha" i], [class*="data" i], [class*="zeit" i], [class*="heure" i]'),
  ].filter((el) => el.tagName !== 'TIME' && el.tagName !== 'META' && !inFurniture(el) && !el.closest('head, script, noscript'));
  let taken = 0;
  let tried = 0;
  const order = facts.order;
  for (const el of printed) {
    if (taken >= 4 || tried >= 60) break;
    const raw = el.textContent ?? '';
    if (raw.length > 400 || !/\d/.test(raw)) continue;
    tried++;
    const text = visibleText(el);
    if (!text || text.length > 200) continue;
    const found = findDatesInText(text, zone, zoneKnown)[0];
    if (!found) continue;
    taken++;
    const label = `${el.className} ${el.id}`;
    const modified = /modif|updat/i.test(label) || /\b(?:updated|modified|aktualisiert|mis à jour|actualizado)\b/i.test(text.slice(0, Math.max(0, found.index)));
    const c = candidate(found, found.text, 'printed date', modified ? 30 : 58, 'a date printed in a date/byline element');
    if (modified) c.reasons.push('labelled as modified');
    if (headline && near(headline, el)) adjust(c, 8, 'near the headline');
    adjust(c, ...proximity(order, headline, el));
    if (root !== doc.body && root.contains(el)) adjust(c, 4, 'inside the article');
    dates.push(c);
  }

  // Agreement on the calendar day (in the article's zone) between sources that claim publication;
  // a "published" value that is exactly the modified instant, while another source gives an earlier
  // publication, is the CMS filling the field with the last edit.
  const modified = new Set(dates.filter((c) => isModified(c)).map((c) => c.value.publishedAt.getTime()));
  const publishedInstants = new Set(dates.filter((c) => !isModified(c) && /json-ld|meta/.test(c.source)).map((c) => c.value.publishedAt.getTime()));
  for (const c of dates) {
    if (!isModified(c) && modified.has(c.value.publishedAt.getTime()) && [...publishedInstants].some((t) => t < c.value.publishedAt.getTime() && !modified.has(t))) {
      adjust(c, -25, 'the same instant as the modified date, while another source gives an earlier one');
    }
  }
  for (const c of dates) {
    const day = dayOf(c.value);
    const agreeing = new Set(dates.filter((o) => o !== c && !isModified(o) && dayOf(o.value) === day).map((o) => o.source)).size;
    adjust(c, Math.min(agreeing, 3) * 5, `${agreeing} other source${agreeing === 1 ? '' : 's'} give the same day`);
    // With the same day, the one that gives the time of day (and its zone) says more.
    adjust(c, c.value.hasTime ? 2 : 0, 'gives the time of day');
    const timed = !c.value.hasTime && dates.some((o) => o !== c && o.value.hasTime && !isModified(o) && dayOf(o.value) === day);
    adjust(c, timed ? -20 : 0, 'another source gives the time of that day');
    adjust(c, c.value.hasZone ? 1 : 0, 'states its offset');
  }
  return choose('published', dates);
}

function isModified(c: Candidate<DateValue>): boolean {
  return /modified|updated/i.test(c.source) || c.reasons.some((r) => r.startsWith('labelled as modified'));
}

function dayOf(d: DateValue): string {
  return DateTime.fromJSDate(d.publishedAt, { zone: d.timeZone }).toISODate() ?? '';
}
