// Publication date lines as news sites print them, e.g. "Monday 07 August 2017 16:47 BST".
//
// A zone abbreviation plays two roles: it states a fixed offset (BST is always +01:00), which decides
// the instant even if the site printed BST in winter, and it names the publication's home zone, in
// which Parley later shows times. The weekday is ignored: it is redundant with the date, and when a
// site gets it wrong the numeric date is the more trustworthy part.

import type * as chrono from 'chrono-node';
import { lazyModule } from '../lazy-module.ts';
import { DateTime, FixedOffsetZone, IANAZone, type Zone } from 'luxon';

export interface ParsedDate {
  publishedAt: Date;
  timeZone: string;
}

interface KnownAbbreviation {
  offsetMinutes: number;
  zone: string;
}

// Only abbreviations whose meaning is settled in English-language news; e.g. IST is Irish here, not Indian.
const ZONE_ABBREVIATIONS: Readonly<Record<string, KnownAbbreviation>> = {
  GMT: { offsetMinutes: 0, zone: 'Europe/London' },
  BST: { offsetMinutes: 60, zone: 'Europe/London' },
  UTC: { offsetMinutes: 0, zone: 'UTC' },
  IST: { offsetMinutes: 60, zone: 'Europe/Dublin' },
  CET: { offsetMinutes: 60, zone: 'Europe/Paris' },
  CEST: { offsetMinutes: 120, zone: 'Europe/Paris' },
  EST: { offsetMinutes: -300, zone: 'America/New_York' },
  EDT: { offsetMinutes: -240, zone: 'America/New_York' },
  CST: { offsetMinutes: -360, zone: 'America/Chicago' },
  CDT: { offsetMinutes: -300, zone: 'America/Chicago' },
  MST: { offsetMinutes: -420, zone: 'America/Denver' },
  MDT: { offsetMinutes: -360, zone: 'America/Denver' },
  PST: { offsetMinutes: -480, zone: 'America/Los_Angeles' },
  PDT: { offsetMinutes: -420, zone: 'America/Los_Angeles' },
  AEST: { offsetMinutes: 600, zone: 'Australia/Sydney' },
  AEDT: { offsetMinutes: 660, zone: 'Australia/Sydney' },
};

const DATE_FORMATS = ['d MMMM yyyy', 'd MMM yyyy', 'MMMM d yyyy', 'MMM d yyyy'];
const TIME_FORMATS = ['H:mm', 'H:mm:ss', 'h:mm a', 'h:mm:ss a', 'h a'];
const HUMAN_FORMATS = DATE_FORMATS.flatMap((date) => [date, ...TIME_FORMATS.map((time) => `${date} ${time}`)]);

// Date lines are short; anything longer is prose and not worth handing to the parser.
const MAX_DATE_LINE_LENGTH = 80;

// Checking a zone builds an Intl.DateTimeFormat; importers ask for the same few zones on every line.
const validZones = new Map<string, boolean>();

export function isValidTimeZone(zone: string): boolean {
  let valid = validZones.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (validZones.size < 1000) validZones.set(zone, valid);
  }
  return valid;
}

export function isDateLine(line: string): boolean {
  return parseDateLine(line) !== null;
}

/**
 * The instant and home zone stated by a date line, or null when the line is not a date.
 * Without a zone in the line, the time is read in `defaultZone` (UTC when absent), which is also
 * the zone reported: a bare or numeric offset does not say which IANA zone the publication is in.
 */
export function parseDateLine(line: string, defaultZone?: string): ParsedDate | null {
  const fallbackZone = defaultZone ?? 'UTC';
  if (!isValidTimeZone(fallbackZone)) throw new RangeError(`Unknown time zone "${fallbackZone}"`);

  let text = line.replace(/\s+/g, ' ').trim();
  if (text.length === 0 || text.length > MAX_DATE_LINE_LENGTH || !/\d/.test(text)) return null;
  text = text.replace(/^(?:first published|published|posted|last updated|updated)(?: on)?\s*:?\s*/i, '');

  const { rest, stated } = takeTrailingZone(text);

  if (/^\d{4}-\d{2}-\d{2}/.test(rest)) {
    const iso = rest.replace(/^(\d{4}-\d{2}-\d{2}) (?=\d)/, '$1T');
    const parsed = DateTime.fromISO(iso, { zone: stated?.zone ?? fallbackZone });
    if (!parsed.isValid) return null;
    return { publishedAt: parsed.toJSDate(), timeZone: stated?.home ?? fallbackZone };
  }

  const human = normaliseHumanDate(rest);
  for (const format of HUMAN_FORMATS) {
    const parsed = DateTime.fromFormat(human, format, { zone: stated?.zone ?? fallbackZone, locale: 'en-US' });
    if (parsed.isValid) return { publishedAt: parsed.toJSDate(), timeZone: stated?.home ?? fallbackZone };
  }
  return null;
}

/** "Monday 07 August 2017 16:47 BST": the instant as shown in the article's own zone. */
export function formatPublicationTime(instant: Date, timeZone: string): string {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone "${timeZone}"`);
  const local = DateTime.fromJSDate(instant, { zone: timeZone }).setLocale('en-GB');
  if (!local.isValid) throw new RangeError('Invalid publication instant');
  return `${local.toFormat('cccc dd MMMM yyyy HH:mm')} ${zoneLabel(local, timeZone)}`;
}

/**
 * The publication time in a reader's language, in the article's own zone. English (and the English
 * pseudo-locale) keep the form above exactly; other languages read as Intl writes them, e.g.
 * "lundi 7 août 2017 à 16:47 UTC+1" in French.
 */
export function formatPublicationTimeIn(locale: string, instant: Date, timeZone: string): string {
  if (/^en(?:-|$)/i.test(locale)) return formatPublicationTime(instant, timeZone);
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone "${timeZone}"`);
  if (Number.isNaN(instant.getTime())) throw new RangeError('Invalid publication instant');
  return publicationFormat(locale, timeZone).format(instant);
}

// Building an Intl.DateTimeFormat costs far more than using one; a page shows many times in one zone.
const publicationFormats = new Map<string, Intl.DateTimeFormat>();

function publicationFormat(locale: string, timeZone: string): Intl.DateTimeFormat {
  const id = `${locale} ${timeZone}`;
  let format = publicationFormats.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short',
    });
    if (publicationFormats.size < 1000) publicationFormats.set(id, format);
  }
  return format;
}

interface StatedZone {
  zone: Zone;
  /** The IANA zone the statement implies, when it implies one. */
  home: string | null;
}

function takeTrailingZone(text: string): { rest: string; stated: StatedZone | null } {
  const abbreviation = /^(.*?)\s*\(?\b([A-Z]{3,4})\)?$/.exec(text);
  if (abbreviation) {
    const known = ZONE_ABBREVIATIONS[abbreviation[2]];
    if (known) {
      return { rest: abbreviation[1], stated: { zone: FixedOffsetZone.instance(known.offsetMinutes), home: known.zone } };
    }
  }
  // "16:47 GMT+1" or "16:47 +0100" after a human date; ISO offsets are left to the ISO parser.
  const offset = /^(.*\d(?::\d{2})?(?: ?[AP]M)?)\s+(?:GMT|UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(text);
  if (offset && !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const minutes = Number(offset[3]) * 60 + Number(offset[4] ?? 0);
    const signed = offset[2] === '-' ? -minutes : minutes;
    return { rest: offset[1], stated: { zone: FixedOffsetZone.instance(signed), home: null } };
  }
  return { rest: text, stated: null };
}

function normaliseHumanDate(text: string): string {
  return text
    .replace(/^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+/i, '')
    .replace(/,/g, ' ')
    .replace(/\s+(?:at|-|–|—|\|)\s+/gi, ' ')
    .replace(/(\d)(?:st|nd|rd|th)\b/gi, '$1')
    .replace(/\bsept\b\.?/gi, 'Sep')
    .replace(/\b([A-Za-z]{3})\.(?=\s)/g, '$1')
    .replace(/\b(\d{1,2})\.(\d{2})(?=\s|$)/g, '$1:$2')
    .replace(/(\d)\s*([ap])\.?m\.?(?=\s|$)/gi, (_, digit: string, letter: string) => `${digit} ${letter.toUpperCase()}M`)
    .replace(/\s+/g, ' ')
    .trim();
}

function zoneLabel(local: DateTime, timeZone: string): string {
  const intlName = local.offsetNameShort ?? '';
  if (intlName !== '' && !/^(?:GMT|UTC)[+-]/.test(intlName)) return intlName;
  // en-GB Intl names American and Australian zones only as "GMT-4"; our own table knows better.
  for (const [abbreviation, known] of Object.entries(ZONE_ABBREVIATIONS)) {
    if (known.zone === timeZone && known.offsetMinutes === local.offset) return abbreviation;
  }
  return intlName || local.toFormat('ZZ');
}

// ---------------------------------------------------------------------------------------------
// Dates in machine markup (JSON-LD, <meta>, <time datetime>) and in free text, any of several languages

/**
 * The IANA zone that stands for a bare UTC offset when nothing better is known: "Etc/GMT+7" for
 * -07:00 (POSIX signs are inverted), or, for the half- and quarter-hour offsets, the one zone that
 * keeps that offset all year. Null when no zone keeps the offset (then the caller keeps its default).
 */
export function zoneForOffset(offsetMinutes: number): string | null {
  if (offsetMinutes === 0) return 'UTC';
  if (offsetMinutes % 60 === 0 && Math.abs(offsetMinutes) <= 14 * 60) {
    const hours = -offsetMinutes / 60;
    return `Etc/GMT${hours > 0 ? '+' : '-'}${Math.abs(hours)}`;
  }
  return FRACTIONAL_OFFSET_ZONES[offsetMinutes] ?? null;
}

// Zones without daylight saving whose standard offset is not a whole hour.
const FRACTIONAL_OFFSET_ZONES: Readonly<Record<number, string>> = {
  [-570]: 'Pacific/Marquesas',
  210: 'Asia/Tehran',
  270: 'Asia/Kabul',
  330: 'Asia/Kolkata',
  345: 'Asia/Kathmandu',
  390: 'Asia/Yangon',
  570: 'Australia/Darwin',
  525: 'Australia/Eucla',
};

export interface FoundDate extends ParsedDate {
  /** Whether the source gave a time of day, not only a day. */
  hasTime: boolean;
  /** Whether the source stated its own offset or zone. */
  hasZone: boolean;
}

/**
 * A date as markup carries it: ISO 8601 (with or without offset), RFC 2822, HTTP, SQL, or what Java
 * and JavaScript print ("Tue Jan 28 12:00:00 CET 2020"). `zone` reads a date without an offset; a date
 * with one keeps it as the article's zone unless `zoneKnown` (the caller was told the publication's
 * IANA zone).
 */
export function parseMachineDate(text: string | null | undefined, zone: string, zoneKnown = false): FoundDate | null {
  const value = text?.replace(/\s+/g, ' ').trim();
  if (!value || value.length > 60) return null;
  const parsers = [DateTime.fromISO, DateTime.fromRFC2822, DateTime.fromHTTP, DateTime.fromSQL];
  for (const parse of parsers) {
    const dt = parse.call(DateTime, value, { zone, setZone: true });
    if (!dt.isValid) continue;
    const hasZone = /(?:Z|[+-]\d{2}:?\d{2}|\bGMT|\bUTC)$/i.test(value);
    const hasTime = /\d:\d/.test(value) || /T\d{2}/.test(value);
    const timeZone = hasZone && !zoneKnown ? (zoneForOffset(dt.offset) ?? zone) : zone;
    return { publishedAt: dt.toJSDate(), timeZone, hasTime, hasZone };
  }
  return findDatesInText(value, zone, zoneKnown)[0] ?? null;
}

export interface DateInText extends FoundDate {
  /** The words that gave the date, and where they start in the text. */
  text: string;
  index: number;
}

type ChronoParser = { parse(text: string, ref?: Date, option?: { forwardDate?: boolean }): chrono.ParsedResult[] };

// Every language chrono reads whole dates in; English first, as the most common on the web. A text
// is read by each until one finds a complete date, so "28.01.2020" and "4. November 2021" both work.
// chrono-node is loaded by the first text that may hold a date, not when the server starts.
const chronoNode = lazyModule<typeof chrono>('chrono-node');
let chronoLocales: ChronoParser[] | null = null;
const CHRONO_LOCALES = (): ChronoParser[] => {
  const c = chronoNode();
  return (chronoLocales ??= [c.en, c.en.GB, c.de, c.fr, c.es, c.pt, c.it, c.nl, c.sv, c.fi, c.ru, c.uk, c.ja, c.zh]);
};

/**
 * Complete calendar dates (day, month and year all written) in free text, in the order they appear.
 * Times without a stated zone are read in `zone`; a stated offset or zone becomes the article's zone
 * unless `zoneKnown`.
 */
export function findDatesInText(text: string, zone: string, zoneKnown = false): DateInText[] {
  // A complete date always writes its year in digits; most text has none and needs no parsing.
  if (!/\b(?:1[89]|20|21)\d{2}\b|\d{4}\s*年|\b\d{1,2}[./-]\d{1,2}[./-]\d{2}\b/.test(text)) return [];
  if (text.length > 2000) text = text.slice(0, 2000);
  for (const locale of CHRONO_LOCALES()) {
    let results: chrono.ParsedResult[];
    try {
      results = locale.parse(text, REFERENCE_DATE, { forwardDate: false });
    } catch {
      continue;
    }
    const found = results.flatMap((r) => toDateInText(r, zone, zoneKnown));
    if (found.length > 0) return found;
  }
  return [];
}

// A fixed reference keeps parsing deterministic; only complete dates are kept, so it never fills a gap.
const REFERENCE_DATE = new Date('1970-01-01T00:00:00Z');

function toDateInText(result: chrono.ParsedResult, zone: string, zoneKnown: boolean): DateInText[] {
  const c = result.start;
  if (!c.isCertain('year') || !c.isCertain('month') || !c.isCertain('day')) return [];
  const year = c.get('year');
  if (year === null || year < 1990 || year > 2100) return [];
  const hasTime = c.isCertain('hour');
  const offset = c.isCertain('timezoneOffset') ? c.get('timezoneOffset') : null;
  const readZone = offset !== null ? FixedOffsetZone.instance(offset) : zone;
  const dt = DateTime.fromObject(
    {
      year,
      month: c.get('month') ?? 1,
      day: c.get('day') ?? 1,
      ...(hasTime ? { hour: c.get('hour') ?? 0, minute: c.get('minute') ?? 0, second: c.get('second') ?? 0 } : {}),
    },
    { zone: readZone },
  );
  if (!dt.isValid) return [];
  const abbreviation = /\b([A-Z]{3,4})\b/.exec(result.text)?.[1];
  const named = abbreviation ? ZONE_ABBREVIATIONS[abbreviation]?.zone : undefined;
  const timeZone = offset === null || zoneKnown ? zone : (named ?? zoneForOffset(offset) ?? zone);
  return [{ publishedAt: dt.toJSDate(), timeZone, hasTime, hasZone: offset !== null, text: result.text, index: result.index }];
}
