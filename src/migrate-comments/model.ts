// What every source format is read into before anything is written: conversations (by address),
// authors (by the source's id) and comments (by the source's id, with their parent's).

export const SOURCES = ['disqus', 'wordpress', 'commento', 'remark42', 'parley'] as const;
export type Source = (typeof SOURCES)[number];

export interface SourceThread {
  kind: 'thread';
  /** The source's id of the conversation (Commento and Remark42: its address). */
  sourceId: string;
  /** The page the conversation was under; null when the source gave none. */
  address: string | null;
  title: string | null;
}

export interface SourceAuthor {
  sourceId: string;
  name: string;
  /** Only ever stored hashed (see profiles.ts). */
  email: string | null;
  /** Parley's own export gives the hash, never the address. */
  emailHash?: string | null;
}

export type SourceStatus = 'approved' | 'held' | 'rejected';

export interface SourceComment {
  kind: 'comment';
  sourceId: string;
  threadId: string;
  parentId: string | null;
  author: SourceAuthor;
  /** One of the two: the source's HTML, or Markdown already in our subset (Commento, Parley). */
  html?: string;
  markdown?: string;
  createdAt: Date;
  editedAt?: Date | null;
  deletedAt: Date | null;
  deletedReason?: string | null;
  status: SourceStatus;
  /** Why it is not approved, as the source said (spam, pending). */
  statusReason?: string | null;
  featured?: boolean;
  /** Likes the source counted without naming who gave them. */
  likes: number;
  /** Parley's export: who reacted, by author id, and the earlier versions. */
  reactions?: { author: SourceAuthor; createdAt: Date }[];
  revisions?: { body: string; writtenAt: string; replacedAt: string }[];
  rejectionReason?: string | null;
  /** Where the item starts in the file, for messages. */
  line: number;
}

/** How far into the file a reader has got (for progress), updated as it reads. */
export interface ReadPosition {
  bytes: number;
}

/** A reason an item is not imported that the summary counts. */
export interface SourceSkip {
  kind: 'skip';
  what: 'comment' | 'thread';
  reason: string;
  line: number;
}

/** A mistake in the file that could be read past (named in the summary). */
export interface SourceWarning {
  kind: 'warning';
  line: number;
  problem: string;
}

export type SourceItem = SourceThread | SourceComment | SourceSkip | SourceWarning;

/** The file cannot be read as its format says: names the line and what is wrong. */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
  /** Comments written before the mistake was read (whole batches; none of the item being read). */
  importedBefore = 0;
  constructor(
    readonly line: number | null,
    readonly problem: string,
  ) {
    super(line === null ? problem : `line ${line}: ${problem}`);
  }
}

/** A date the source wrote, or the file's error naming the line. */
export function parseSourceDate(raw: string | undefined | null, line: number | null, what: string): Date {
  const text = (raw ?? '').trim();
  const date = new Date(text);
  if (!text || Number.isNaN(date.getTime())) throw new ImportFileError(line, `${what} "${text}" is not a date`);
  return date;
}

/**
 * One item whose fields cannot be used (a date that is not one) is skipped and named; the file goes
 * on. A file that cannot be parsed stops the import instead.
 */
export function* itemOrSkip(line: number, build: () => SourceComment): Generator<SourceItem> {
  let item: SourceComment;
  try {
    item = build();
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    yield { kind: 'warning', line: error.line ?? line, problem: `${error.problem}; the comment is skipped` };
    yield { kind: 'skip', what: 'comment', reason: 'a field cannot be read (the lines are named below)', line };
    return;
  }
  yield item;
}
