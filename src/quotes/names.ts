import type Nlp from 'compromise';
import { lazyModule } from '../lazy-module.ts';

// compromise (about 40 MB) is loaded by the first quote extraction, not when the server starts.
const compromise = lazyModule<typeof Nlp>('compromise');
const nlp = ((text: string) => compromise()(text)) as typeof Nlp;

// People in an article: the full names it introduces, what a shortened mention ("Mr Tillerson",
// "Tillerson") stands for, and the role the article gives a person. Compromise tells people from
// places and organisations; the rules about titles and surnames are newspaper conventions.

/** Words that come before a name as a courtesy title; never part of the name itself. */
const HONORIFICS = new Set(
  'mr mr. mrs mrs. ms ms. miss mx dr dr. prof prof. sir dame lord lady rev rev. sen sen. rep rep. gov gov. gen gen. col col. capt capt. sgt sgt. lt lt. messrs'.split(' '),
);

/** Capitalised words that make up roles ("Secretary of State", "Foreign Minister"), not names. */
const ROLE_WORDS = new Set(
  (
    'secretary minister president vice prime chancellor senator governor mayor director chief executive spokesman spokeswoman spokesperson ' +
    'professor chairman chairwoman chair ceo cfo coo founder judge justice ambassador representative commissioner general officer leader ' +
    'speaker state foreign home defence defense interior finance health education treasury affairs deputy assistant attorney congressman ' +
    'congresswoman councillor councilman councilwoman premier king queen prince princess pope sheikh emir president-elect coach captain ' +
    'manager editor correspondent analyst economist doctor detective inspector superintendent constable sergeant lieutenant colonel major ' +
    'admiral commander head the of for and us uk eu un new former acting shadow labour conservative democrat democratic republican party ' +
    'white house department ministry office agency police army navy council committee board'
  ).split(' '),
);

/** Keywords that show a phrase describes what someone does. */
const ROLE_KEYWORDS =
  /\b(?:secretary|minister|president|chancellor|senator|governor|mayor|director|chief|executive|spokes(?:man|woman|person)|professor|chair(?:man|woman)?|ceo|founder|judge|justice|ambassador|representative|commissioner|general|officer|leader|speaker|premier|king|queen|prince|princess|coach|captain|manager|editor|correspondent|analyst|economist|doctor|detective|inspector|head|member|adviser|advisor|expert|researcher|scientist|lawyer|attorney|author|owner|partner|student|teacher|resident|worker|nurse|activist|campaigner|candidate|mp|diplomat|official|boss|striker|midfielder|player|fellow|lecturer|historian|pastor|bishop|rabbi|imam|farmer|chef|designer|artist|actor|actress|singer|writer|mother|father|daughter|son|wife|husband|colleague|organiser|organizer|founder|co-founder|strategist|consultant|engineer|developer|investor)s?\b/i;

const CONNECTORS = new Set(['de', 'da', 'del', 'della', 'der', 'van', 'von', 'bin', 'ibn', 'al', 'el', 'la', 'le', 'du', 'di', 'ter', 'dos', 'das']);

/** A word that can be part of a person's name as printed. */
const NAME_TOKEN = /^(?:\p{Lu}[\p{L}\p{M}'’-]*|\p{Lu}\.)$/u;

export const normaliseApostrophes = (s: string) => s.replace(/’/g, "'");

function stripPossessive(token: string): string {
  return token.replace(/['’]s?$/u, '');
}

const isHonorific = (token: string) => HONORIFICS.has(token.toLowerCase());
const isRoleWord = (token: string) => ROLE_WORDS.has(token.toLowerCase());

/**
 * The name inside a capitalised run: titles and role words in front are dropped
 * ("US Secretary of State Rex Tillerson" → "Rex Tillerson", "Mr Tillerson" → "Tillerson").
 */
export function nameFromRun(run: string): { name: string; honorific: string | null } | null {
  const tokens = run.split(/\s+/).filter(Boolean).map(stripPossessive);
  let start = 0;
  let honorific: string | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isHonorific(t)) {
      honorific = t;
      start = i + 1;
    } else if (isRoleWord(t) && i < tokens.length - 1) start = i + 1;
  }
  let rest = tokens.slice(start).filter((t, i, all) => i === all.length - 1 || !/^(?:of|the|for|and)$/i.test(t));
  // A run that opens a sentence may start with ordinary words ("Yesterday Rex Tillerson", "As Hicks")
  // or with what the person does ("Goalkeeper Marcus Feld"): compromise knows those words.
  while (rest.length > 2 && isOrdinaryWord(rest[0]!, true)) rest = rest.slice(1);
  if (rest.length === 2 && isOrdinaryWord(rest[0]!, false)) rest = rest.slice(1);
  if (rest.length === 0) return null;
  if (!rest.every((t) => NAME_TOKEN.test(t) || CONNECTORS.has(t.toLowerCase()))) return null;
  if (!NAME_TOKEN.test(rest[rest.length - 1]!)) return null;
  return { name: rest.slice(-4).join(' '), honorific };
}

// Word-level knowledge comes straight from compromise's lexicon (a lookup, with each tag's parents from
// its tag set); running the tagger is kept for whole phrases, where context matters.
type Model = { one: { lexicon: Record<string, string | string[]>; tagSet: Record<string, { parents?: string[] }> } };
let loadedModel: Model | undefined;
const compromiseModel = () => (loadedModel ??= compromise().model() as Model);

function lexiconTags(word: string): Set<string> {
  const model = compromiseModel();
  const found = model.one.lexicon[word.toLowerCase()];
  const tags = new Set<string>();
  for (const tag of found === undefined ? [] : Array.isArray(found) ? found : [found]) {
    tags.add(tag);
    for (const parent of model.one.tagSet[tag]?.parents ?? []) tags.add(parent);
  }
  return tags;
}

const FUNCTION_WORDS = ['Preposition', 'Determiner', 'Adverb', 'Conjunction', 'Pronoun', 'Date', 'Value', 'Actor'];
const ANY_WORD = [...FUNCTION_WORDS, 'Verb', 'Adjective', 'Noun'];

/** A capitalised word that is not a name: a function word or a job anywhere, or, in longer runs, any dictionary word. */
function isOrdinaryWord(token: string, anyWord: boolean): boolean {
  const tags = lexiconTags(token);
  if (tags.has('FirstName')) return false;
  return (anyWord ? ANY_WORD : FUNCTION_WORDS).some((t) => tags.has(t));
}

const isFirstName = (token: string) => lexiconTags(token).has('FirstName');

/** What a first name tells of its bearer, for "he" and "she"; null when the lexicon does not say. */
export function genderOf(fullName: string): 'male' | 'female' | null {
  const tags = lexiconTags(fullName.split(' ')[0]!);
  if (tags.has('MaleName') && !tags.has('FemaleName')) return 'male';
  if (tags.has('FemaleName') && !tags.has('MaleName')) return 'female';
  return null;
}

const surnameOf = (name: string) => name.split(' ').at(-1)!;

export interface PersonMention {
  name: string;
  /** Where the mention ends in the paragraph, so a role after it can be read. */
  paragraph: number;
  index: number;
  length: number;
}

/** Last words that make a name an institution or a place: "St Mary's Hospital", "Riverside Primary". */
const INSTITUTION_HEADS =
  /^(?:hospital|university|school|college|primary|academy|council|street|road|avenue|lane|church|cathedral|centre|center|park|ministry|department|office|party|bank|club|court|house|hall|museum|library|station|airport|group|company|association|institute|foundation|society|agency|commission|committee|union|forum|times|post|news|trust|board|service|services|research|ventures|capital|partners|corporation|inc|ltd|plc|llc|market|markets|stadium|square|bridge|river|island|islands|valley|county|city|state|states|kingdom|republic|federation|network|channel|magazine|journal|gazette|tribune|herald|press|media|studios|records|fund|authority|police|army|navy|force|guard|team|fc|united)$/i;

/**
 * Compromise's reading of short phrases, remembered: names recur within an article and across a site's
 * articles, and tagging a phrase costs far more than looking it up. Bounded, so it cannot grow forever.
 */
const phraseCache = new Map<string, boolean>();
function remembered(key: string, compute: () => boolean): boolean {
  let value = phraseCache.get(key);
  if (value === undefined) {
    if (phraseCache.size >= 20_000) phraseCache.clear();
    value = compute();
    phraseCache.set(key, value);
  }
  return value;
}

/** Whether a phrase names a place or an organisation rather than a person, as far as compromise and the last word tell. */
function looksLikeNonPerson(phrase: string): boolean {
  const words = phrase.split(' ');
  if (INSTITUTION_HEADS.test(words.at(-1)!)) return true;
  if (isFirstName(words[0]!)) return false;
  return remembered(`np:${phrase}`, () => {
    const doc = nlp(phrase);
    if (doc.has('#Person')) return false;
    return doc.has('#Organization') || doc.has('#Place');
  });
}

const isPersonPhrase = (phrase: string) => remembered(`p:${phrase}`, () => nlp(phrase).has('#Person'));

/** Capitalised runs that may be names, with their positions: "Secretary of State Rex Tillerson". */
export function capitalisedRuns(text: string): { run: string; index: number }[] {
  const out: { run: string; index: number }[] = [];
  const re = /(?:\p{Lu}[\p{L}\p{M}'’.-]*)(?:\s+(?:(?:of|the|for|de|da|del|van|von|bin|al|el|la|le|du|di|ter|dos|das)\s+)*\p{Lu}[\p{L}\p{M}'’.-]*)*/gu;
  for (const m of text.matchAll(re)) out.push({ run: m[0].replace(/[.,]$/, ''), index: m.index! });
  return out;
}

/** "Professor Alan Greaves of Wexcombe University" is a person of an institution: each part on its own too. */
function splitAtConnectors(found: { run: string; index: number }): { run: string; index: number }[] {
  const parts = found.run.split(/\s+(?:of|for|the)\s+/);
  if (parts.length === 1) return [found];
  const out = [found];
  let from = 0;
  for (const part of parts) {
    const at = found.run.indexOf(part, from);
    out.push({ run: part, index: found.index + at });
    from = at + part.length;
  }
  return out;
}

/**
 * The people an article names in full: compromise's people, and every two-to-four word capitalised
 * name that is not a place or an organisation.
 */
export class PeopleIndex {
  private readonly fullNames: string[] = [];
  private readonly mentions: PersonMention[] = [];

  constructor(private readonly paragraphs: readonly string[]) {
    paragraphs.forEach((text, paragraph) => {
      for (const { run, index } of capitalisedRuns(text).flatMap(splitAtConnectors)) {
        const parsed = nameFromRun(run);
        if (!parsed || !parsed.name.includes(' ')) continue;
        // A run that opens a sentence may start with an ordinary word ("Yesterday Rex Tillerson").
        if (INSTITUTION_HEADS.test(parsed.name.split(' ').at(-1)!)) continue;
        if (parsed.name.split(' ').length > 3 || looksLikeNonPerson(parsed.name)) continue;
        const at = index + run.lastIndexOf(parsed.name.split(' ')[0]!);
        this.add(parsed.name, paragraph, at);
      }
    });
  }

  private add(name: string, paragraph: number, index: number): void {
    if (!this.fullNames.includes(name)) this.fullNames.push(name);
    this.mentions.push({ name, paragraph, index, length: name.length });
  }

  /** The full name a mention stands for, preferring the latest one introduced before `paragraph`. */
  resolve(mention: string, paragraph: number): string | null {
    const parsed = nameFromRun(mention);
    if (!parsed) return null;
    const { name } = parsed;
    if (this.fullNames.includes(name)) return name;
    const surname = surnameOf(name);
    const candidates = this.mentions.filter((m) => surnameOf(m.name) === surname && (name.split(' ').length === 1 || m.name.endsWith(name) || name.endsWith(m.name)));
    const before = candidates.filter((m) => m.paragraph <= paragraph);
    const chosen = (before.length ? before : candidates).at(-1);
    if (chosen) return chosen.name;
    // A surname or full name the index missed: believe it when compromise does, or when a title shows it is a person.
    if (looksLikeNonPerson(name)) return null;
    if (name.includes(' ')) return name;
    if (parsed.honorific || isPersonPhrase(mention)) return parsed.honorific ? `${capitalise(parsed.honorific)} ${name}` : name;
    return null;
  }

  /** People mentioned (by full name or surname) in a stretch of text, in order of appearance. */
  mentionedIn(text: string, paragraph: number): string[] {
    const found: { name: string; at: number }[] = [];
    for (const { run, index } of capitalisedRuns(text)) {
      const name = this.resolveKnown(run, paragraph);
      if (name) found.push({ name, at: index });
    }
    return found.sort((a, b) => a.at - b.at).map((f) => f.name);
  }

  /** Like resolve, but only to people the article names in full. */
  resolveKnown(run: string, paragraph: number): string | null {
    const parsed = nameFromRun(run);
    if (!parsed) return null;
    if (this.fullNames.includes(parsed.name)) return parsed.name;
    const surname = surnameOf(parsed.name);
    const m = this.mentions.filter((x) => surnameOf(x.name) === surname && x.paragraph <= paragraph).at(-1);
    return m?.name ?? null;
  }

  /**
   * The one person named by `paragraph` whose role holds this word ("the minister" → the article's
   * Transport Minister); null when none or several do, or when the word does not describe a person.
   */
  byRole(word: string, paragraph: number): string | null {
    if (!ROLE_KEYWORDS.test(word)) return null;
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const holds = new RegExp(`\\b${escaped}s?\\b`, 'i');
    const named = new Set(this.mentions.filter((m) => m.paragraph <= paragraph).map((m) => m.name));
    const fitting = [...named].filter((name) => holds.test(this.roleOf(name) ?? ''));
    return fitting.length === 1 ? fitting[0]! : null;
  }

  /** The role the article gives a person: a title before the full name, or a phrase in apposition. */
  roleOf(name: string): string | null {
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const escaped = escape(name);
    const escapedSurname = escape(surnameOf(name));
    for (const text of this.paragraphs) {
      const before = new RegExp(`((?:\\p{Lu}[\\p{L}'’.-]*\\s+(?:(?:of|for|the)\\s+)*){1,6})${escaped}\\b`, 'u').exec(text);
      if (before) {
        const words = before[1]!.trim().split(/\s+/);
        while (words.length && !ROLE_KEYWORDS.test(words[0]!) && !/^(?:US|UK|EU|UN|\p{Lu}{2,})$/u.test(words[0]!)) words.shift();
        const role = words.join(' ');
        if (role && ROLE_KEYWORDS.test(role)) return role;
      }
      const after = new RegExp(`(?:${escaped}|${escapedSurname})(?:['’]s)?,\\s+([^,.;:“”"()]{3,90}?)(?:,|\\.|;|$)`, 'u').exec(text);
      if (after) {
        const phrase = after[1]!.trim();
        const words = phrase.split(/\s+/);
        const describes = /^(?:the|a|an|its|his|her|their)\s/i.test(phrase) || /['’]s\s/.test(phrase) || ROLE_KEYWORDS.test(words[0]!);
        if (describes && words.length <= 12 && ROLE_KEYWORDS.test(phrase) && !SPEECH_VERB_WORD.test(phrase)) return phrase.replace(/^(?:the|a|an)\s+/i, '');
      }
    }
    return null;
  }
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export const SPEECH_VERBS =
  'said|says|say|added|adds|told|tells|explained|explains|continued|continues|noted|notes|wrote|writes|asked|asks|replied|replies|insisted|insists|argued|argues|warned|warns|stated|states|declared|declares|recalled|recalls|acknowledged|acknowledges|admitted|admits|conceded|concedes|observed|remarked|suggested|suggests|stressed|stresses|emphasised|emphasized|claimed|claims|countered|commented|announced|tweeted|joked|jokes|responded|responds|concluded|predicted|predicts|agreed|agrees|urged|urges|boasted|complained|complains|confirmed|confirms|recounted|reflected|reflects|mused|muses|laughed|shouted|whispered|testified|wrote|maintained|maintains|cautioned|cautions|vowed|promised|summed up|sums up|put it|puts it|answered|answers|replied|retorted|conceded|wondered|asserted|asserts|explained';

export { looksLikeNonPerson };

export const SPEECH_VERB_WORD = new RegExp(`\\b(?:${SPEECH_VERBS}|according to|went on|goes on|pointed out|points out)\\b`, 'i');
