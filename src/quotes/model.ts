import slugify from 'slugify';

// Who's quoted: what the pages, the API and the newsroom see, and the pure rules they share.

export interface QuotedPerson {
  slug: string;
  name: string;
  /** As the article gives it ("Secretary of State"); null when it gives none. */
  role: string | null;
  quotes: Quote[];
}

export interface Quote {
  id: number;
  /** Index in the article's body; the page anchors it as `#p-${paragraph + 1}`. */
  paragraph: number;
  text: string;
  corrected: boolean;
}

export type Correction = { action: 'speaker'; speaker: string } | { action: 'not_quote' };

export const MAX_SPEAKER_LENGTH = 120;

/** The page anchor of a body paragraph: paragraphs are numbered from 1 on the page. */
export const paragraphAnchor = (paragraph: number) => `p-${paragraph + 1}`;

/** A quote's words without case, punctuation or quotation marks: how a correction finds it again after a re-import. */
export function quoteKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .slice(0, 400);
}

/** A person's slug: their name in the address, stable for the site (`/people/rex-tillerson`). */
export function personSlug(name: string): string {
  return slugify(name, { lower: true, strict: true, trim: true }).slice(0, 80) || 'person';
}

/** The speaker an editor typed, tidied; null when it cannot be a name. */
export function cleanSpeakerName(raw: string): string | null {
  const name = raw.replace(/\s+/g, ' ').trim();
  if (name.length < 2 || name.length > MAX_SPEAKER_LENGTH) return null;
  if (!/\p{L}/u.test(name)) return null;
  return name;
}

/** Newsrooms file stories under sections, which most sites put first in the story's address (/politics/…). */
export function sectionOf(sourceUrl: string | null): string {
  if (!sourceUrl) return 'none';
  try {
    const first = new URL(sourceUrl).pathname.split('/').filter(Boolean)[0] ?? '';
    if (!first || /^\d+$/.test(first) || first.includes('.') || first.length > 40) return 'none';
    return first.toLowerCase();
  } catch {
    return 'none';
  }
}
