import { SPEECH_VERBS } from './names.ts';
import type { QuoteSpan } from './spans.ts';

// Who a quote is attributed to, read from the words next to it, as news style writes attributions:
//   “…,” Mr Tillerson said / “…,” said Mr Tillerson / “…,” he added / “…,” according to Jane Doe
//   “…,” Rex Tillerson, the secretary of state, told reporters
//   Mr Trump said: “…” / He told the BBC: “…” / “…,” he said, “…”
// The answer is the phrase as written (a name or a pronoun); names.ts resolves it to a person.

export type Attribution =
  | { kind: 'name'; phrase: string }
  | { kind: 'pronoun'; phrase: string }
  /** "the minister said", "the 34-year-old added": a description of someone the article named. */
  | { kind: 'role'; phrase: string }
  | { kind: 'colon'; clause: string };

const NAME = String.raw`(?:\p{Lu}[\p{L}\p{M}'’.-]*)(?:\s+(?:(?:of|the|for|de|da|del|van|von|bin|al|el|la|le|du|di|ter|dos|das)\s+)*\p{Lu}[\p{L}\p{M}'’.-]*)*`;
const VERB = String.raw`(?:${SPEECH_VERBS}|went on|goes on|pointed out|points out)`;
/** A few words may sit between the speaker and the verb: "also", "later", "has", "once". */
const LINK = String.raw`(?:(?:also|later|then|again|once|has|had|have|would|will|previously|recently|earlier|subsequently|further|simply|quickly|\p{Ll}+ly)\s+){0,2}`;
const APPOSITION = String.raw`(?:\s*,\s*[^,“”"]{1,100}?,)?`;
const PRONOUN = String.raw`(?:he|she|they)`;
/** "the minister", "the former chief constable", "the 34-year-old": up to four lower-case words after "the". */
const DESCRIPTION = String.raw`[Tt]he\s+((?:[\p{Ll}\d][\p{Ll}\d'’-]*\s+){0,3}?[\p{Ll}\d][\p{Ll}\d'’-]*)`;

/** What the person is may come before the name: "White House press secretary Josh Earnest told reporters". */
const ROLE_PREFIX = String.raw`(?:[\p{L}'’.-]+\s+){0,6}?`;
const AFTER_NAME_VERB = new RegExp(String.raw`^${ROLE_PREFIX}(${NAME})(?:['’]s)?${APPOSITION}\s+${LINK}${VERB}\b`, 'u');
/** The attribution may close the sentence the quote opened: “…” in that law, Azzouz said. */
const CLOSING_NAME_VERB = new RegExp(String.raw`,\s+(${NAME})\s+${LINK}${VERB}$`, 'u');
const CLOSING_PRONOUN_VERB = new RegExp(String.raw`,\s+(${PRONOUN})\s+${LINK}${VERB}$`, 'iu');
const AFTER_VERB_NAME = new RegExp(String.raw`^${VERB}\s+(${NAME})`, 'u');
const AFTER_PRONOUN_VERB = new RegExp(String.raw`^(${PRONOUN})\s+${LINK}${VERB}\b`, 'iu');
const AFTER_VERB_PRONOUN = new RegExp(String.raw`^${VERB}\s+(${PRONOUN})\b`, 'iu');
const AFTER_ROLE_VERB = new RegExp(String.raw`^${DESCRIPTION}\s+${LINK}${VERB}\b`, 'u');
const AFTER_VERB_ROLE = new RegExp(String.raw`^${VERB}\s+${DESCRIPTION}\s*$`, 'u');
const ACCORDING_TO = new RegExp(String.raw`^(?:[^“”"]*?\s)?according to (${NAME})`, 'u');

/** "Mr Trump said:" / "He told reporters:" / "Speaking on Monday, she said," just before the quote. */
const INTRO_NAME = new RegExp(String.raw`(?:^|[\s,(])(${NAME})(?:['’]s)?${APPOSITION}\s+${LINK}${VERB}\b[^.!?“”"]{0,80}[:,]$`, 'u');
const INTRO_PRONOUN = new RegExp(String.raw`(?:^|[\s,(])(${PRONOUN})\s+${LINK}${VERB}\b[^.!?“”"]{0,80}[:,]$`, 'iu');
const INTRO_ROLE = new RegExp(String.raw`(?:^|[\s,(])${DESCRIPTION}\s+${LINK}${VERB}\b[^.!?“”"]{0,80}[:,]$`, 'u');
const INTRO_ACCORDING = new RegExp(String.raw`according to (${NAME})[^.!?“”"]{0,40},$`, 'u');
const INTRO_HAS_VERB = new RegExp(String.raw`\b${VERB}\b[^.!?“”"]{0,80}[:,]$`, 'iu');

/** A quote that closed on a comma, then its attribution and a comma: “…,” he said, */
const SPLIT_BY_ATTRIBUTION = /,["”]\s+[^“”"]+,$/u;

/** Abbreviations and initials whose full stop does not end a sentence: "Mr. Reeves", "Robert M. Danin". */
const ABBREVIATION = /(?:^|[\s(])(?:mr|mrs|ms|dr|prof|st|sen|rep|gov|gen|col|capt|sgt|lt|rev|jr|sr|no|vs|etc|inc|ltd|co|corp|\p{Lu})$/iu;

/** Whether the mark at `i` ends a sentence. */
function endsSentenceAt(text: string, i: number): boolean {
  if (!/[.!?]/.test(text[i]!)) return false;
  if (text[i] === '.' && ABBREVIATION.test(text.slice(Math.max(0, i - 6), i))) return false;
  return true;
}

/** The start of the sentence that holds `at`: after the last full stop (outside quotes) before it. */
function sentenceStart(text: string, at: number): number {
  for (let i = at - 1; i > 0; i--) {
    if (endsSentenceAt(text, i) && /\s/.test(text[i + 1] ?? '')) return i + 1;
    if (/[”"]/.test(text[i]!) && /[.!?]/.test(text[i - 1]!) && /\s/.test(text[i + 1] ?? '')) return i + 1;
  }
  return 0;
}

/** The words from the closing mark to the end of the sentence or the next quotation mark. */
function clauseAfter(text: string, close: number): string {
  const rest = text.slice(close + 1);
  let end = rest.length;
  for (let i = 0; i < rest.length; i++) {
    if (/[“"„]/u.test(rest[i]!) || (endsSentenceAt(rest, i) && /\s|$/.test(rest[i + 1] ?? ''))) {
      end = i;
      break;
    }
  }
  return rest.slice(0, end).replace(/^[\s,–—-]+/u, '');
}

/** Whether the quoted words end as a sentence does, so what follows the mark is a new sentence. */
const endsSentence = (span: QuoteSpan) => /\.(?:\s*\.\.)?$/.test(span.text) && !/\.\.\.$|…$/.test(span.text);

/**
 * A quote someone said, as opposed to a few words in quotation marks inside a sentence (a scare quote
 * or a partial quote like has “created serious mistrust” between): a direct quote starts its sentence,
 * follows a colon, or follows an attribution and a comma.
 */
export function isDirectQuote(text: string, span: QuoteSpan): boolean {
  if (span.continuation) return true;
  const before = text.slice(0, span.open).trimEnd();
  if (before === '' || /[.!?:…]$/.test(before) || /[.!?,]["”]$/.test(before)) return startsLikeSpeech(span.text);
  if (before.endsWith(',')) {
    const clause = text.slice(sentenceStart(text, span.open), span.open).trimEnd();
    if (!INTRO_HAS_VERB.test(clause)) return false;
    // “…,” Mr Jones said, “and it is not…”: the second half of a quote its attribution splits may go on in lower case.
    return startsLikeSpeech(span.text) || (SPLIT_BY_ATTRIBUTION.test(clause) && span.text.split(/\s+/).length >= 3);
  }
  return false;
}

/** Spoken sentences start with a capital, a bracketed insertion or an ellipsis, and have more than two words. */
function startsLikeSpeech(quote: string): boolean {
  return /^(?:[\p{Lu}\d[(]|\.\.\.|…)/u.test(quote) && quote.split(/\s+/).length >= 3;
}

/** The attribution written after the quote ("…,” he said) or before it (Mr Trump said: “…”). */
export function attributionOf(text: string, span: QuoteSpan): Attribution | null {
  if (!span.continues) {
    const after = clauseAfter(text, span.close);
    // After a quote that ends with a full stop, the next words are a new sentence, unless they go on in lower case.
    if (!endsSentence(span) || /^\p{Ll}/u.test(after)) {
      const found = readAfter(after);
      if (found) return found;
    }
  }
  const start = sentenceStart(text, span.open);
  const intro = text.slice(start, span.open).trimEnd();
  if (intro === '' || !/[:,]$/.test(intro)) return null;
  let m = INTRO_PRONOUN.exec(intro);
  const name = INTRO_NAME.exec(intro);
  // Of a name and a pronoun both before the verb, the one nearer to it speaks.
  if (name && (!m || name.index > m.index)) return { kind: 'name', phrase: name[1]! };
  if (m) return { kind: 'pronoun', phrase: m[1]!.toLowerCase() };
  m = INTRO_ACCORDING.exec(intro);
  if (m) return { kind: 'name', phrase: m[1]! };
  m = INTRO_ROLE.exec(intro);
  if (m) return { kind: 'role', phrase: m[1]!.toLowerCase() };
  // "Asked about his best memory, Feld did not hesitate: “…”": a colon hands over to the person the sentence is about.
  return intro.endsWith(':') ? { kind: 'colon', clause: intro } : null;
}

function readAfter(clause: string): Attribution | null {
  let m = AFTER_PRONOUN_VERB.exec(clause) ?? AFTER_VERB_PRONOUN.exec(clause);
  if (m) return { kind: 'pronoun', phrase: m[1]!.toLowerCase() };
  m = AFTER_NAME_VERB.exec(clause) ?? AFTER_VERB_NAME.exec(clause);
  if (m) return { kind: 'name', phrase: m[1]! };
  m = ACCORDING_TO.exec(clause);
  if (m) return { kind: 'name', phrase: m[1]! };
  m = AFTER_ROLE_VERB.exec(clause) ?? AFTER_VERB_ROLE.exec(clause);
  if (m) return { kind: 'role', phrase: m[1]!.toLowerCase() };
  m = CLOSING_PRONOUN_VERB.exec(clause);
  if (m) return { kind: 'pronoun', phrase: m[1]!.toLowerCase() };
  m = CLOSING_NAME_VERB.exec(clause);
  return m ? { kind: 'name', phrase: m[1]! } : null;
}
