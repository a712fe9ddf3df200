// What every source format is read into before anything is written: conversations (by address),
// authors (by the source's id) and comments (by the source's id, with their parent's).

import { KeyedError, type KeyedMessage } from '../i18n/keyed-error.ts';
import { createTranslator, t, type Translator } from '../i18n/translator.ts';

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

/**
 * Why something was skipped or read past, for the summary: a catalog message (the summary speaks the
 * shell's language), or English words from elsewhere (a parser's own message).
 */
export type Reason = string | KeyedMessage;

/** The reason in English: the summary's counts are keyed by it (logs, tests). */
export const reasonInEnglish = (reason: Reason): string => (typeof reason === 'string' ? reason : t('en', reason.key, reason.values));

export const reasonIn = (reason: Reason, i18n: Translator): string => (typeof reason === 'string' ? reason : i18n.t(reason.key, reason.values));

/** Counts a reason under its English words, and keeps its catalog message for the summary's reader. */
export function countReason(counts: Record<string, number>, words: Record<string, KeyedMessage>, reason: Reason, n = 1): void {
  const english = reasonInEnglish(reason);
  counts[english] = (counts[english] ?? 0) + n;
  if (typeof reason !== 'string') words[english] = reason;
}

/** A reason an item is not imported that the summary counts. */
export interface SourceSkip {
  kind: 'skip';
  what: 'comment' | 'thread';
  reason: Reason;
  line: number;
}

/** A mistake in the file that could be read past (named in the summary). */
export interface SourceWarning {
  kind: 'warning';
  line: number;
  /** English (logs, tests). */
  problem: string;
  /** The words for people, in their language; without it, `problem`. */
  problemIn?: (i18n: Translator) => string;
}

export type SourceItem = SourceThread | SourceComment | SourceSkip | SourceWarning;

/**
 * The file cannot be read as its format says: names the line and what is wrong. `message` and
 * `problem` are English (logs, tests); `messageIn` and `problemIn` speak the reader's language when
 * the problem is a catalog message.
 */
export class ImportFileError extends KeyedError {
  override readonly name = 'ImportFileError';
  /** Comments written before the mistake was read (whole batches; none of the item being read). */
  importedBefore = 0;
  readonly problem: string;
  constructor(
    readonly line: number | null,
    private readonly reason: Reason,
  ) {
    const problem = reasonInEnglish(reason);
    super(line === null ? problem : { key: 'cli.comments.atLine', values: { line, problem } });
    this.problem = problem;
  }

  problemIn(i18n: Translator): string {
    return reasonIn(this.reason, i18n);
  }

  override messageIn(i18n: Translator): string {
    const problem = this.problemIn(i18n);
    return this.line === null ? problem : i18n.t('cli.comments.atLine', { line: this.line, problem });
  }
}

/** Which item of the file a problem is about: a comment (a Disqus post) by the source's id or number. */
export interface ItemRef {
  kind: 'comment' | 'post';
  id: string;
}

/** A date the source wrote, or the file's error naming the line, the item and its field. */
export function parseSourceDate(raw: string | undefined | null, line: number | null, item: ItemRef, field: string): Date {
  const text = (raw ?? '').trim();
  const date = new Date(text);
  if (!text || Number.isNaN(date.getTime())) throw new ImportFileError(line, { key: 'cli.comments.notADate', values: { ...item, field, text } });
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
    const problemIn = (i18n: Translator) => i18n.t('cli.comments.commentSkipped', { problem: error.problemIn(i18n) });
    yield { kind: 'warning', line: error.line ?? line, problem: problemIn(createTranslator('en')), problemIn };
    yield { kind: 'skip', what: 'comment', reason: { key: 'cli.comments.skip.unreadableField' }, line };
    return;
  }
  yield item;
}
