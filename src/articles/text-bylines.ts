// Bylines in a whole-page text copy: the time stamps beside them, and telling a writer's name from the
// page's own words. A line of two or three
// capitalised words can be a person ("Dave Steer") or interface ("Start A Wiki", "US Editions",
// "All Share Services", "Fiction Page"): the page itself tells which, because the words of its
// interface and sections are ordinary words that its prose also uses in lower case, and names are not.
// Also the marked bylines ("By", "Par", "Autor:", "作者："), an agency signing a dispatch on its date
// line, and the words a title opens with that no given name is.
import type { ArticleAuthor } from './model.ts';
import { isNewsAgency, parseByline as namesInByline } from './extract/names.ts';
import { endsSentence, wordCount } from './text-lines.ts';

const SOCIAL = new Set(['facebook', 'twitter', 'whatsapp', 'linkedin', 'reddit', 'pinterest', 'instagram', 'youtube', 'tiktok', 'telegram', 'email', 'e-mail', 'rss']);

/** The words the page writes in lower case somewhere (its ordinary vocabulary). */
export function lowerCaseVocabulary(texts: readonly string[]): Set<string> {
  const words = new Set<string>();
  for (const text of texts) {
    // Whole words only: handles, addresses and links ("@ahiza_garcia", "dan.goodin@…") spell names in lower case.
    for (const token of text.split(/\s+/)) {
      const word = /^[("“'‘«¿¡]*(\p{Ll}[\p{Ll}'’-]*)[)"”'’»,;:.!?]*$/u.exec(token)?.[1];
      if (word) words.add(word);
    }
  }
  return words;
}

/**
 * A "name" made only of the page's ordinary words, social networks' names and short acronyms: a menu
 * entry, a section or a button, not a person. One word of a name that is also an ordinary word
 * ("Mark Young", "Rose Green") is not enough: every word must be.
 */
export function isInterfaceName(name: string, vocabulary: ReadonlySet<string>): boolean {
  const words = name.split(/\s+/).filter(Boolean);
  if (words.length === 0 || /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(name)) return false;
  return words.every((word) => {
    const lower = word.toLowerCase().replace(/[.,:;]+$/u, '');
    return vocabulary.has(lower) || SOCIAL.has(lower) || /^\p{Lu}{2,3}$/u.test(word) || lower.length <= 1;
  });
}

export function withoutInterfaceNames(authors: ArticleAuthor[], vocabulary: ReadonlySet<string>): ArticleAuthor[] {
  return authors.filter((author) => !isInterfaceName(author.name, vocabulary));
}

// Credits that are not authorship: "Adrian Malloch (photography)", "(video)", "(illustrations)".
const NOT_WRITING = String.raw`photography|photos?|pictures|images|illustrations?|graphics|video|design|editing|edited|translation|translated`;

/**
 * A byline line without what is not a writer's name: "by Eleanor Ainge Roy (reporting) and Adrian
 * Malloch (photography)" → "by Eleanor Ainge Roy". Roles in parentheses are dropped; a person credited
 * with something other than writing is dropped with the role.
 */
export function writersOnly(line: string): string {
  return line
    // The credited person's capitalised name (case matters: no i flag, which would make \p{Lu} match any letter).
    .replace(new RegExp(String.raw`(?:,|\s(?:and|&|et|und|y|e))?\s*(?:\p{Lu}[\p{L}.'’-]*\s+){0,4}\p{Lu}[\p{L}.'’-]*\s*\((?:${NOT_WRITING})\)`, 'gu'), '')
    .replace(/\s*\((?:reporting|text|words|writing|reportage|texte|texto)\)/giu, '')
    .trim();
}

// An age or a time of day: "1:39 PM ET", "14:05", "8h", "3 hours ago", "před 2 hodinami", "il y a 2 heures".
const CLOCK_OR_AGE = String.raw`\d{1,2}[:.h]\d{2}\s*(?:[aApP]\.?[mM]\.?)?(?:\s+\p{Lu}{2,5})?|\d{1,3}\s*(?:s|m|h|d|w|mins?|minutes?|hrs?|hours?|days?|weeks?|months?)(?:\s+ago)?`;
// In languages that put a word before the number: lower-case words, a number, a lower-case unit
// ("před 2 hodinami", "hace 3 horas"), or German's capitalised unit ("vor 2 Stunden").
const AGE_AFTER_WORD = String.raw`(?:\p{Ll}+\s+){1,3}\d{1,3}\s+\p{Ll}{3,}|vor\s+\d{1,3}\s+\p{Lu}\p{Ll}+`;
const STAMP = `(?:${CLOCK_OR_AGE}|${AGE_AFTER_WORD})`;
// Case matters in AGE_AFTER_WORD (a flag would make \p{Ll} match capitals too); the units are written in lower case.
const WHOLE_STAMP = new RegExp(String.raw`^${STAMP}$`, 'u');
// The stamp after a name: "Name • 8h", "Name - 14:05", "Name 1 day ago".
const NAME_THEN_STAMP = new RegExp(String.raw`^(.{2,60}?)(?:\s+[•·|–—-])?\s+${STAMP}$`, 'u');

/** A time of day or an age with nothing else, or after a name: where a date would stand. */
export function isTimeStamp(text: string): boolean {
  return WHOLE_STAMP.test(text.trim()) || nameBeforeStamp(text) !== null;
}

/** "Alex Perry 1 day ago" → "Alex Perry"; null when the line does not end with a stamp after a name. */
export function nameBeforeStamp(text: string): string | null {
  const match = NAME_THEN_STAMP.exec(text.trim());
  if (!match) return null;
  const name = match[1].trim();
  // Two to five capitalised words: a person's name, not a sentence ending in a number.
  const words = name.split(/\s+/);
  return words.length >= 2 && words.length <= 5 && words.every((w) => /^\p{Lu}/u.test(w)) ? name : null;
}

/** Only a marked byline ("By Jane Doe", "Par …", "Autor: …", "作者：…"): unmarked lines are left to the header reader. */
export function strictByline(text: string): ArticleAuthor[] | null {
  if (text.length > 160) return null;
  // "作者：王小明", "本报记者 王小明": a Chinese or Japanese label, then a name of two to four characters.
  const cjk = CJK_BYLINE.exec(text.trim());
  if (cjk) return [{ name: cjk[1] }];
  if (!BYLINE_WORD.test(text)) return null;
  const people = namesInByline(writersOnly(text.replace(BYLINE_LABEL, ''))).filter((p) => p.kind === 'person');
  return people.length > 0 ? people.map((p) => ({ name: p.name })) : null;
}

// "By" in several languages, or a label naming the writer ("Autor: Hans Müller", "Texto: Ana Souza").
const BYLINE_WORD = /^\s*(?:(?:(?:written|reported|posted|words|text|story) by|by|par|por|von|door|di|av|af|przez|escrito por|publicado por|publié par)\b[\s:]|(?:author|autor(?:in)?|auteur|autore|text|texto|testo|tekst)\s*[:：])/iu;
const BYLINE_LABEL = /^\s*(?:author|autor(?:in)?|auteur|autore|text|texto|testo|tekst)\s*[:：]\s*/iu;
// The name must end the line or be set off from what follows, so that prose opening with the word
// for "reporter" ("记者从市政府获悉…") is not read as a byline.
const CJK_BYLINE = /^(?:(?:本报|本報)?(?:作者|记者|記者|撰文|撰稿)\s*[:：/／]?|文\s*[:：/／])\s*([\p{Script=Han}]{2,4})(?=$|[\s，,、|｜])/u;

/** "AFP 30 avril 2015", "Reuters | 8 January 2020", "AFP": the agency a header line opens with. */
export function agencyLead(text: string): string | null {
  // A meta line, not a sentence that happens to open with an agency's name.
  if (wordCount(text) > 20 || endsSentence(text)) return null;
  const lead = /^(\p{L}[\p{L} .-]{1,30}?)\s*(?:$|[|•·,–—-]|\d)/u.exec(text.trim())?.[1]?.trim();
  return lead !== undefined && isNewsAgency(lead) ? lead : null;
}

// Words a title-case headline opens with and no one's given name is: articles, prepositions, question
// words ("On Recent Controversial Events", "How We Built It", "Die Rückkehr der Wölfe"). Words that are
// also given names somewhere ("Can", "Do", "My", "To") are left out.
const TITLE_OPENERS = new Set([
  'the', 'a', 'on', 'of', 'for', 'at', 'with', 'from', 'how', 'why', 'what', 'when', 'where', 'who', 'is', 'are',
  'was', 'does', 'our', 'your', 'their', 'this', 'that', 'these', 'une', 'un', 'aux', 'los', 'las', 'der', 'die',
  'ein', 'eine', 'wie', 'warum', 'wer',
]);

export function opensLikeTitle(text: string): boolean {
  return TITLE_OPENERS.has(text.trim().split(/\s+/)[0]?.toLowerCase() ?? '');
}

// ---------------------------------------------------------------------------------------------
// A byline line's shape: "By X", "X and Y", "X, Y and Z", "… in Place"

const NAME_PARTICLES = new Set(['de', 'da', 'di', 'del', 'della', 'der', 'den', 'van', 'von', 'la', 'le', 'du', 'dos', 'das', 'bin', 'ibn', 'al', 'el', 'ter', 'y']);
const JOB_TITLE = /\b(?:correspondent|editor|reporter|writer|columnist|staff|chief|analyst|critic|contributor|producer)\b/i;
const PLACE_WORDS = new Set(['city', 'county', 'island', 'islands', 'bay', 'beach', 'valley', 'heights', 'springs', 'falls', 'harbour', 'harbor', 'mount', 'fort', 'lake', 'new', 'san', 'los', 'las', 'santa', 'saint', 'st']);

function isNameWord(word: string): boolean {
  return (
    /^\p{Lu}[\p{L}'’.-]*$/u.test(word) ||
    /^\(\p{Lu}[\p{L}'’.-]*\)$/u.test(word) || // a nickname: "Richard (R.J.) Eskow"
    NAME_PARTICLES.has(word) ||
    /^\p{Ll}{1,3}-\p{Lu}[\p{L}'’-]*$/u.test(word) // al-Assad
  );
}

/** "Washington DC", "New York", "LONDON": features person names lack. */
function hasPlaceMarker(text: string): boolean {
  const words = text.replace(/^by\s+/i, '').split(/[\s,]+/).filter(Boolean);
  const last = words[words.length - 1] ?? '';
  return (
    words.some((word) => PLACE_WORDS.has(word.toLowerCase())) ||
    (/^\p{Lu}{2,3}$/u.test(last) && !/^[IVX]+$/.test(last)) ||
    (words.length === 1 && /^\p{Lu}{3,}$/u.test(last))
  );
}

export function looksLikePlace(text: string): boolean {
  const words = text.split(/[\s,]+/).filter(Boolean);
  return (
    words.length > 0 &&
    words.length <= 6 &&
    text.length <= 60 &&
    /^\p{Lu}/u.test(text) &&
    words.every(isNameWord)
  );
}

/** "By X", "X and Y", "X, Y and Z", optionally "… in Place"; null when the line is not a byline. */
export function parseByline(line: string): { authors: ArticleAuthor[]; place: string | null } | null {
  if (line.length > 120 || endsSentence(line.replace(/\b\p{Lu}\.$/u, ''))) return null;
  // "By" in the languages of the pages imported ("Von", "Par", "Por", "Door", "Av").
  const byWord = /^(?:by|von|par|por|door|av|af)\s+(?=\p{Lu})/iu;
  const hasBy = byWord.test(line);
  if (!hasBy && opensLikeTitle(line)) return null;
  let text = line.replace(byWord, '');
  let place: string | null = null;
  // "By Jane Doe in Kyiv"; without "By", "X in Y" is as likely a headline in title case.
  const filedFrom = hasBy ? /^(.*\S)\s+in\s+(\p{Lu}.*)$/u.exec(text) : null;
  if (filedFrom && looksLikePlace(filedFrom[2])) {
    text = filedFrom[1];
    place = filedFrom[2];
  }
  const names = text
    .split(/\s*,\s*(?:and\s+|&\s*)?|\s+(?:and|&)\s+/i)
    .map((part) => part.trim())
    .filter((part) => part !== '' && !JOB_TITLE.test(part));
  if (names.length === 0) return null;
  for (const name of names) {
    const words = name.split(' ');
    if (words.length > 5 || !words.every(isNameWord) || NAME_PARTICLES.has(words[0])) return null;
    // Without "By", a one-word or place-like line is more likely a dateline ("London", "Washington DC").
    if (!hasBy && (words.length < 2 || hasPlaceMarker(name))) return null;
  }
  // The line has the shape of a byline; the names reader decides who in it is a person ("Tech
  // Industry" is a section, "Senior Staff Technologist" a role).
  const people = namesInByline(text).filter((p) => p.kind === 'person');
  if (people.length === 0) return null;
  return { authors: people.map((p) => ({ name: p.name })), place };
}
