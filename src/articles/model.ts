// The article as Parley understands it, independent of where it came from (text, HTML) and where it
// is stored. Importers produce an ArticleDraft; the store turns it into an Article with an id and slug.

export interface ArticleAuthor {
  name: string;
}

export interface ArticleImage {
  /** Absent when the article was copied as text: the reader saw the image but not its address. */
  src: string | null;
  alt: string;
  caption: string;
  credit: string | null;
}

export interface ParagraphBlock {
  type: 'paragraph';
  text: string;
}

export type BodyBlock = ParagraphBlock;

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
  image: ArticleImage | null;
  body: BodyBlock[];
  sourceUrl: string | null;
  publicationName: string | null;
}

export interface Article extends ArticleDraft {
  id: string;
  slug: string;
  commentsOpen: boolean;
  commentCount: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Thrown by importers when a file cannot become an article; the message names what was wrong. */
export class ImportError extends Error {
  override readonly name = 'ImportError';
}

export const DEFAULT_TIME_ZONE = 'UTC';
