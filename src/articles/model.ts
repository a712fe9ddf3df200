// The article as Parley understands it, independent of where it came from (text, HTML) and where it
// is stored. Importers produce an ArticleDraft; the store turns it into an Article with an id and slug.

import { KeyedError } from '../i18n/keyed-error.ts';

export interface ArticleAuthor {
  name: string;
}

/** The lead picture as an importer finds it. */
export interface DraftImage {
  /** The publisher's address; absent when the article was copied as text (the reader saw the picture, not its address). */
  src: string | null;
  alt: string;
  caption: string;
  credit: string | null;
}

/**
 * The lead picture as Parley shows it: from its own copy (src/media), never from the publisher's
 * servers, so reading an article tells nobody else about the reader.
 */
export interface ArticleImage extends DraftImage {
  /** Our widest copy (`/media/…`); null while it is being made, when it could not be, or when no address was known. */
  src: string | null;
  /** The publisher's address it was copied from. */
  sourceSrc: string | null;
  /** The picture's size (for its aspect ratio), once copied. */
  width: number | null;
  height: number | null;
  /** Every width of our copy, narrowest first; empty until copied. */
  srcset: { src: string; width: number }[];
}

/**
 * A piece of a block's text with its marks. Only http(s) and mailto links are kept (see body-blocks.ts);
 * the text is plain text, escaped where it is shown.
 */
export interface InlineRun {
  text: string;
  href?: string;
  emphasis?: boolean;
  strong?: boolean;
}

// Every block carries its plain `text` (what search, quotes and older readers of the body use); the
// `inline` runs are present only when the text has links or emphasis. Rows stored before headings,
// lists and quotes existed hold paragraphs only, and read the same.
export interface ParagraphBlock {
  type: 'paragraph';
  text: string;
  inline?: InlineRun[];
}

/** A subhead inside the story (<h2>/<h3> on the publisher's page). */
export interface HeadingBlock {
  type: 'heading';
  level: 2 | 3;
  text: string;
}

export interface ListItem {
  text: string;
  inline?: InlineRun[];
}

/** `text` is the items' texts, one per line. */
export interface ListBlock {
  type: 'list';
  ordered: boolean;
  items: ListItem[];
  text: string;
}

export interface QuoteBlock {
  type: 'quote';
  text: string;
  inline?: InlineRun[];
}

export type BodyBlock = ParagraphBlock | HeadingBlock | ListBlock | QuoteBlock;

export interface ArticleDraft {
  headline: string;
  standfirst: string | null;
  authors: ArticleAuthor[];
  /** The place the story was filed from, e.g. "Washington DC". */
  dateline: string | null;
  /** The instant of publication; null when the source did not say. */
  publishedAt: Date | null;
  /** The publication's IANA zone, e.g. Europe/London; times are shown in it. */
  timeZone: string;
  image: DraftImage | null;
  body: BodyBlock[];
  sourceUrl: string | null;
  publicationName: string | null;
}

export interface Article extends Omit<ArticleDraft, 'image'> {
  image: ArticleImage | null;
  id: string;
  slug: string;
  /** The site (publication) it belongs to (src/sites). */
  siteId: number;
  commentsOpen: boolean;
  commentCount: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Thrown by importers when a file cannot become an article; the message names what was wrong, in
 * English (logs), and `messageIn` in the language of whoever imports (the import page, `parley import`).
 */
export class ImportError extends KeyedError {
  override readonly name = 'ImportError';
}

export const DEFAULT_TIME_ZONE = 'UTC';
