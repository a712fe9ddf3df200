// People in bylines, as pages print them: "By Jane Marlow, Porthallow", "Par Sébastien Farcis",
// "Martin Untersinger (avec Damien Leloup et Morgane Tual)", "By Brenda Goodman, MA", "JOE HILDEBRAND",
// "by Lucas Nolan22 Dec 2016651". Shared by the HTML and the text importers.

// "By" in the languages of the pages we import, and the labels CMSs put before a name.
const BY_PREFIX =
  /^\s*(?:(?:written|posted|reported|words|text|story|compiled|edited|published)\s+by|by|from|par|por|von|di|da|door|av|af|przez|autor(?:in)?|auteur|author|autore|text|texto|redacción|escrito por|publié par)\s*[:：]?\s+/iu;

// Joins between names: "and" and "with" in several languages, commas, ampersands, slashes, pipes.
const NAME_SEPARATORS = /\s*(?:[,;、，|/·•]|&|\s(?:and|und|et|y|e|en|och|og|i|и|with|avec|mit|con|com)\s)\s*/iu;

// Credentials and roles printed after a name; none of them is a person.
const CREDENTIAL = /^(?:MA|MS|MSc|BA|BSc|PhD|Ph\.D\.|MD|M\.D\.|RN|MPH|DO|DDS|JD|MBA|Jr\.?|Sr\.?|II|III|IV)$/i;
// Job titles after a name ("Senior Staff Technologist", "Contributing Correspondent", "staff writer"): a
// role noun preceded only by modifiers. "Sam Writer" is a person: "Sam" modifies nothing.
const ROLE_NOUN =
  /^(?:correspondents?|editors?|reporters?|writers?|columnists?|staff|analysts?|critics?|contributors?|producers?|photographers?|technologists?|engineers?|developers?|designers?|attorneys?|directors?|managers?|president|officer|fellow|professor|researcher|scientist|intern|journalist|redakteur(?:in)?|journaliste|periodista|redattore|correspondant|envoyé|spécial)$/i;
const ROLE_MODIFIER =
  /^(?:senior|chief|staff|contributing|special|political|foreign|national|international|deputy|associate|assistant|managing|executive|economics|business|science|technology|tech|software|web|product|research|engineering|marketing|health|sports?|culture|arts|music|film|food|travel|investigations?|investigative|legal|diplomatic|security|defen[cs]e|environment|climate|data|digital|news|guest|freelance|regional|local|royal|education|media|transport|crime|court|fashion|books?|consumer|markets?|energy|white|house|washington|europe|asia|africa|middle|east|the|a|an|and|of|for|at|&)$/i;
// Desks and services that sign instead of people.
const DESK_WORDS = /\b(?:bureau|desk|team|redaktion|rédaction|redacción|redazione|newsroom|health news|news service|special to)\b/i;

function isRole(part: string): boolean {
  if (DESK_WORDS.test(part)) return true;
  const words = part.split(/\s+/).filter(Boolean);
  const last = words[words.length - 1] ?? '';
  if (!ROLE_NOUN.test(last)) return false;
  // "staff writer", "correspondent": a role written in lower case or standing alone.
  if (words.length === 1 || /^\p{Ll}/u.test(last)) return true;
  return words.slice(0, -1).every((w) => ROLE_MODIFIER.test(w) || ROLE_NOUN.test(w));
}

// Publications and agencies that bylines name instead of people. A name made of these words is an
// organisation: kept only when no person is named anywhere.
const ORGANISATION_WORDS =
  /\b(?:news|media|press|presse|times|post|journal|magazine|gazette|tribune|herald|daily|weekly|network|agency|agencia|agence|group|inc|ltd|llc|gmbh|corp|company|foundation|organization|organisation|association|wikipedia|wikimedia|projects|online|digital|tv|radio|channel|blog|publishing|editorial|newswire|wire|project|program|programme|institute|university|center|centre|council|department|ministry|committee|office|union|lab|laboratory|technologies|technology)\b/i;
const AGENCIES = new Set([
  'afp', 'ap', 'reuters', 'dpa', 'pa', 'efe', 'ansa', 'xinhua', 'kyodo', 'tass', 'upi', 'bloomberg', 'sda', 'apa', 'epa',
  'associated press', 'agence france-presse', 'agence france presse', 'press association', 'europa press', 'bbc', 'cnn',
]);

// Button and label text that byline selectors often catch.
const NOT_A_NAME =
  /^(?:follow|follow author|view profile|more|more from|see all|about(?: the)? author|author|authors|share|email|contact|twitter|facebook|admin|administrator|guest|anonymous|unknown|staff|editor|editors|written|posted|by|and|updated|published|comments?|read more|subscribe|sign in|log in|profile|bio|home|news|menu)$/i;

// Menu, pager and section labels that stand where a byline would ("More Options", "Older Article",
// "Tech Industry"): words of the page's interface, not of anyone's name.
const INTERFACE_WORDS = /\b(?:options|settings|articles?|older|newer|industry|menu|sections?|categories|category)\b/i;

const MAX_NAME_WORDS = 5;
const MAX_NAME_LENGTH = 60;

export type PersonKind = 'person' | 'organisation';

export interface Person {
  name: string;
  kind: PersonKind;
}

/** The people a byline names, cleaned and in order; an empty list when it names none. */
export function parseByline(text: string | null | undefined, siteNames: string[] = []): Person[] {
  if (!text) return [];
  let line = text
    .normalize('NFC')
    .replace(/[\s\u00A0\u200B]+/g, ' ')
    .replace(/\b(?:https?:\/\/|www\.)[^\s)]+/gi, ' ')
    .replace(/\S+@\S+\.\S+/g, ' ')
    .replace(/@[\w.]+/g, ' ')
    .replace(/\(\s*\)/g, ' ')
    .trim();
  // A date or a count run into the byline ("Lucas Nolan22 Dec 2016651", "Nathan Willis March 25, 2015")
  // ends it: names have no digits.
  // Other credits in the same line are not authorship: "Written by A, Edited by B", "Photos by C".
  line = line.replace(/[,;]?\s*\b(?:edited|photos?|photographs|photography|pictures|illustrations?|graphics|video|additional reporting|translated|translation)\s+by\b.*$/i, '');
  // (but "Posted by Jane Doe" is the byline itself)
  line = line.replace(/\s*(?:\b(?:updated|published|posted|last updated|aktualisiert|mis à jour|actualizado)\b(?!\s+by\b).*$)/i, '');
  const digit = line.search(/\d/);
  if (digit >= 0) line = line.slice(0, digit).replace(/[\s(（\[:：#-]+$/u, '');
  line = stripMonthTail(line);
  // Parenthesised co-authors: "Martin Untersinger (avec Damien Leloup et Morgane Tual)".
  line = line.replace(/\((?:avec|with|mit|con|com|and|et|und)\s+([^)]*)\)/giu, ', $1');
  line = line.replace(BY_PREFIX, '').replace(BY_PREFIX, '');
  const parts = line
    .split(NAME_SEPARATORS)
    .map((p) => p.replace(BY_PREFIX, '').replace(/^[\s:：\-–—]+|[\s:：\-–—,.]+$/gu, '').trim())
    .filter((p) => p !== '');
  const people: Person[] = [];
  let afterRole = false;
  parts.forEach((part, index) => {
    // "Daniel Kahn Gillmor, Senior Staff Technologist, ACLU Speech, Privacy, and Technology Project":
    // after a role, the rest of the line is the role's organisation.
    if (afterRole) return;
    if (index > 0 && isRole(part) && !ORGANISATION_WORDS.test(part)) {
      afterRole = people.length > 0;
      return;
    }
    const person = toPerson(part, siteNames);
    if (!person) return;
    // "Jane Marlow, Porthallow": after a comma, one capitalised word is a place or a credential, not a person.
    if (index > 0 && people.length > 0 && wordsOf(person.name).length === 1 && !isCjk(person.name)) return;
    people.push(person);
  });
  return dedupe(people);
}

function stripMonthTail(line: string): string {
  // "Nathan Willis March" after the digits are cut: a trailing month name is a date's start.
  return line.replace(/\s+(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s*$/i, '');
}

function wordsOf(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

function isCjk(text: string): boolean {
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(text);
}

function toPerson(raw: string, siteNames: string[]): Person | null {
  let name = raw.replace(/^@/, '').trim();
  if (name === '' || name.length > MAX_NAME_LENGTH || CREDENTIAL.test(name) || NOT_A_NAME.test(name)) return null;
  if (!/\p{L}/u.test(name)) return null;
  const words = wordsOf(name);
  if (!isCjk(name) && words.length > MAX_NAME_WORDS) return null;
  if (isRole(name) && !ORGANISATION_WORDS.test(name)) return null;
  if (/[!?<>{}=]/.test(name) || INTERFACE_WORDS.test(name)) return null;
  // Latin-script names are capitalised: "ahiza_garcia", "bromano" and "other outlets" are handles or prose.
  if (/^[\p{Script=Latin}\s.'’_-]+$/u.test(name) && !words.some((w) => /^\p{Lu}/u.test(w))) return null;
  name = fixCapitals(name);
  const lower = name.toLowerCase();
  // A name equal to the site's is still a person on a personal site ("Haki Benita"); callers weigh that.
  const organisation = AGENCIES.has(lower) || ORGANISATION_WORDS.test(name) || DESK_WORDS.test(name);
  return { name, kind: organisation ? 'organisation' : 'person' };
}

/** "JOE HILDEBRAND" → "Joe Hildebrand": bylines set in capitals by CSS or habit are still names. */
function fixCapitals(name: string): string {
  if (!/\p{Lu}{2}/u.test(name) || /\p{Ll}/u.test(name)) return name;
  if (wordsOf(name).length === 1 && name.length <= 4) return name; // AFP, BBC
  return name.toLowerCase().replace(/(^|[\s'’\-(])(\p{Ll})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

function dedupe(people: Person[]): Person[] {
  const seen = new Set<string>();
  return people.filter((p) => {
    const key = p.name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A news agency that signs dispatches ("AFP", "Reuters", "Associated Press"). */
export function isNewsAgency(name: string): boolean {
  return AGENCIES.has(name.trim().toLowerCase());
}

export function isAgencyOrOrganisation(name: string): boolean {
  return toPerson(name, [])?.kind === 'organisation';
}
