import { attributionOf, isDirectQuote, type Attribution } from './attribution.ts';
import { genderOf, PeopleIndex } from './names.ts';
import { findSpans, type QuoteSpan } from './spans.ts';

// Who an article quotes and what each said. Only direct quotes count, each with the person it is
// attributed to; people the article mentions without quoting them are not listed. Partial quotes
// ("said it was “distressing”") are not listed either, but their attribution still tells who the
// story is hearing from, which the next "he said" may refer to.

export interface ExtractedQuote {
  /** Index of the paragraph in the article's body (the page's `#p-N` anchor is N + 1). */
  paragraph: number;
  text: string;
  speaker: string;
}

export interface ExtractedPerson {
  name: string;
  role: string | null;
}

export interface Extraction {
  people: ExtractedPerson[];
  quotes: ExtractedQuote[];
}

/** How far back a "he said" looks for the person it stands for. */
const PRONOUN_LOOKBACK = 3;

export function extractQuotes(paragraphs: readonly string[]): Extraction {
  const index = new PeopleIndex(paragraphs);
  const spans = findSpans(paragraphs);
  const speakers: (string | null)[] = [];
  const direct: boolean[] = [];
  /** The paragraph each speaker was last heard in, for quotes that stand alone in the next paragraph. */
  const heardIn = new Map<number, string>();

  spans.forEach((span, i) => {
    const text = paragraphs[span.paragraph]!;
    direct[i] = isDirectQuote(text, span);
    const attribution = attributionOf(text, span);
    let speaker = attribution ? resolve(attribution, { index, span, paragraphs, heardIn }) : null;
    if (!speaker && !attribution && direct[i]) {
      const previous = i > 0 ? spans[i - 1]! : null;
      if (span.continuation && previous) speaker = speakers[i - 1]!;
      // “A,” he said. “B.” — the second quote is the same person's.
      else if (previous && previous.paragraph === span.paragraph) speaker = speakers[i - 1]!;
      else if (wholeParagraph(text, span)) speaker = heardIn.get(span.paragraph - 1) ?? null;
    }
    speakers[i] = speaker;
    if (speaker) heardIn.set(span.paragraph, speaker);
  });

  // A paragraph ending "Mr Trump said in a statement:" hands its speaker to the quote opening the next one.
  paragraphs.forEach((text, p) => {
    const trimmed = text.trimEnd();
    if (!trimmed.endsWith(':') || p + 1 >= paragraphs.length) return;
    const span: QuoteSpan = { paragraph: p, open: trimmed.length, close: trimmed.length, text: '', continues: true, continuation: false };
    const attribution = attributionOf(`${trimmed} `, span);
    const speaker = attribution ? resolve(attribution, { index, span, paragraphs, heardIn }) : null;
    if (!speaker) return;
    spans.forEach((s, i) => {
      if (s.paragraph === p + 1 && direct[i] && !speakers[i] && paragraphs[p + 1]!.slice(0, s.open).trim() === '') speakers[i] = speaker;
    });
  });

  // A quote left open at the end of its paragraph may be attributed only in the next one.
  for (let i = spans.length - 2; i >= 0; i--) {
    if (spans[i]!.continues && direct[i] && !speakers[i] && spans[i + 1]!.continuation) speakers[i] = speakers[i + 1]!;
  }

  const quotes: ExtractedQuote[] = [];
  spans.forEach((span, i) => {
    const speaker = speakers[i];
    if (direct[i] && speaker) quotes.push({ paragraph: span.paragraph, text: span.text, speaker });
  });
  const names = [...new Set(quotes.map((q) => q.speaker))];
  return { people: names.map((name) => ({ name, role: index.roleOf(name) })), quotes };
}

function wholeParagraph(text: string, span: QuoteSpan): boolean {
  return text.slice(0, span.open).trim() === '' && text.slice(span.close + 1).trim().length <= 1;
}

/** A paragraph's words outside quotation marks: names inside a quote are people spoken of, not speakers. */
function outsideQuotes(text: string): string {
  return text.replace(/[“„"][^”"]*(?:[”"]|$)/gu, (m) => ' '.repeat(m.length));
}

interface ResolveContext {
  index: PeopleIndex;
  span: QuoteSpan;
  paragraphs: readonly string[];
  heardIn: Map<number, string>;
}

/**
 * A name to the full name the article gave. "He"/"she" to the person the paragraph has named before the
 * quote; else to whoever spoke in the previous paragraph; else to the person last named shortly before.
 */
function resolve(attribution: Attribution, { index, span, paragraphs, heardIn }: ResolveContext): string | null {
  if (attribution.kind === 'name') return index.resolve(attribution.phrase, span.paragraph);
  if (attribution.kind === 'role') {
    // "the 34-year-old said" describes whoever the story is about, as "she said" would.
    if (/\d+-year-old$/.test(attribution.phrase)) return resolve({ kind: 'pronoun', phrase: 'they' }, { index, span, paragraphs, heardIn });
    return index.byRole(attribution.phrase.split(/\s+/).at(-1)!, span.paragraph);
  }
  const text = paragraphs[span.paragraph]!;
  if (attribution.kind === 'colon') {
    const named = index.mentionedIn(outsideQuotes(attribution.clause), span.paragraph)[0];
    const pronoun = /\b(he|she|they)\b/i.exec(attribution.clause)?.[1];
    return named ?? (pronoun ? resolve({ kind: 'pronoun', phrase: pronoun.toLowerCase() }, { index, span, paragraphs, heardIn }) : null);
  }
  // "She" is not a man the lexicon knows by his first name, nor "he" a woman.
  const fits = (name: string | undefined): name is string => {
    if (!name) return false;
    const gender = genderOf(name);
    return !gender || attribution.phrase === 'they' || (attribution.phrase === 'he') === (gender === 'male');
  };
  const before = index.mentionedIn(outsideQuotes(text.slice(0, span.open)), span.paragraph).filter(fits);
  if (before.length) return before.at(-1)!;
  const previousSpeaker = heardIn.get(span.paragraph - 1);
  if (fits(previousSpeaker)) return previousSpeaker;
  for (let p = span.paragraph - 1; p >= Math.max(0, span.paragraph - PRONOUN_LOOKBACK); p--) {
    const named = index.mentionedIn(outsideQuotes(paragraphs[p]!), p).filter(fits);
    if (named.length) return named.at(-1)!;
    const heard = heardIn.get(p);
    if (fits(heard)) return heard;
  }
  return null;
}
