import fs from 'node:fs';
import { CompiledQuery, type Transaction } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { runCommand } from '../events/command.ts';
import type { Site } from '../sites/model.ts';
import { BatchWriter, type Pending, type Placed } from './batch-writer.ts';
import { inPlaceConverter, workerConverter, type BodyConverter } from './body-converter.ts';
import { ConversationTargets } from './conversation-targets.ts';
import type { KeyedMessage } from '../i18n/keyed-error.ts';
import type { Translator } from '../i18n/translator.ts';
import { countReason, ImportFileError, type Reason, type Source, type SourceItem } from './model.ts';
import { recountPlaces, settlePlaces, type LaterPlaces } from './reply-counts.ts';
import { pieces } from './row-inserts.ts';
import { checkpointLess } from './sqlite-checkpoints.ts';
import { readSource } from './sources/index.ts';

// Reads a source in one pass and writes its conversations in batches. Each batch is one transaction
// holding its comments, the source-id map that makes a second run skip them, and the counts they
// change (kept the way comments/commands.ts keeps them: the article's count, the places in the
// thread, the author's counts). A run that stops half-way (or at a mistake in the file) leaves whole
// batches; running it again finishes the rest.
//
// Each batch's bodies are converted (bodies.ts; on worker threads while this one writes, if asked:
// body-converter.ts), then its rows are placed in memory and written with a few multi-row statements
// (batch-writer.ts), not a round trip per comment. Conversations are matched to articles once each
// (conversation-targets.ts).
//
// One count waits for the end of the run: the reply counts of comments written by earlier batches
// (reply-counts.ts). A run that stops on an error writes them before it ends; a run killed before the
// end leaves them short, and the next run of the file, finding comments already imported, counts the
// replies of the file's conversations again from the rows.

export interface ImportProgress {
  /** Comments handled: written, found already imported, or skipped. */
  comments: number;
  bytesRead: number;
  totalBytes: number;
  finished: boolean;
}

export interface ImportOptions {
  source: Source;
  file: string;
  site: Site;
  dryRun?: boolean;
  /** false: an address with no article is skipped rather than given one. */
  create?: boolean;
  /** Comments per batch and transaction (BATCH_SIZE unless given). */
  batchSize?: number;
  /**
   * Threads that convert bodies while this one writes; 0 (the default) converts on this thread. Since
   * plain bodies are rendered without markdown-it (comments/plain-comment-html.ts), a thread saves less than it
   * costs on two cores (starting it, copying every body to it and back) and takes ~50 MB of memory.
   */
  conversionThreads?: number;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportSummary {
  comments: { imported: number; alreadyImported: number; skipped: Record<string, number> };
  conversations: { matched: number; created: number; skipped: Record<string, number> };
  profiles: { created: number; claimedAtImport: number };
  /** Replies whose parent is not in the file, kept as the first comment of a thread. */
  orphansKeptAsThreads: number;
  /** Mistakes in the file that were read past, by line (the first 100); `problem` in English, `problemIn` for people. */
  warnings: { line: number; problem: string; problemIn?: (i18n: Translator) => string }[];
  /** The catalog messages of the skip reasons above, by their English words (the keys of `skipped`). */
  reasons?: Record<string, KeyedMessage>;
}

/** The summary in the reader's language: the skip reasons and the problems read past translated. */
export function summaryIn(summary: ImportSummary, i18n: Translator): ImportSummary {
  const words = summary.reasons ?? {};
  const translate = (counts: Record<string, number>) =>
    Object.fromEntries(Object.entries(counts).map(([english, n]) => [words[english] ? i18n.t(words[english].key, words[english].values) : english, n]));
  return {
    ...summary,
    comments: { ...summary.comments, skipped: translate(summary.comments.skipped) },
    conversations: { ...summary.conversations, skipped: translate(summary.conversations.skipped) },
    warnings: summary.warnings.map((w) => ({ line: w.line, problem: w.problemIn ? w.problemIn(i18n) : w.problem })),
  };
}

interface Batch {
  items: Pending[];
  /** Settles once every item's body is converted (starting the conversion if it has not started). */
  ready: () => Promise<void>;
}

const CACHE_LIMIT = 20_000;
/** Batches read ahead of the one being written: enough to keep conversion threads busy, and bounded (a small file with a mistake is refused before anything is written). */
const BATCHES_AHEAD = 2;
/**
 * Without threads, comments are checked against earlier runs and converted this many at a time as
 * they are read, and wait for their batch converted: a comment's HTML is let go at once rather than
 * kept (and copied by the garbage collector) until a whole batch is read. Comments read ahead of the
 * batch being written only wait: no more than this many.
 */
const READ_AHEAD_IN_PLACE = 1_000;
/**
 * Comments per batch, and so per transaction. Each commit writes again every index page its rows
 * touched, and a batch of a large file touches most of them (the comments' indexes lead with the
 * article): with 500 a batch, a 100,000-comment file wrote more index pages than comment pages, and
 * one event per article and batch. A batch of 5,000 holds SQLite's write lock about a second; its
 * bodies are converted only when it is written (in place), so memory holds one batch's bodies.
 */
const BATCH_SIZE = 5_000;
const TWICE_IN_FILE: Reason = { key: 'cli.comments.skip.twiceInFile' };
/** Comments whose reply counts may wait for the end of the run: beyond it they are written at the next batch (memory stays bounded). */
const LATER_LIMIT = 200_000;

/**
 * A map that forgets its oldest entries: memory stays bounded whatever the file's size (it holds the
 * last CACHE_LIMIT entries to twice as many). Two generations, the older dropped whole when the newer
 * is full: deleting a Map's first entry one at a time leaves holes that every later look for the
 * first entry walks over (seconds in a large import).
 */
class BoundedMap<K, V> {
  private recent = new Map<K, V>();
  private older = new Map<K, V>();
  get(key: K): V | undefined {
    return this.recent.get(key) ?? this.older.get(key);
  }
  set(key: K, value: V): this {
    if (this.recent.size >= CACHE_LIMIT && !this.recent.has(key)) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(key, value);
    return this;
  }
}


const amongTexts = new Map<string, string>();

function importedAmongText(dialect: 'sqlite' | 'postgres', count: number): string {
  const key = `${dialect} ${count}`;
  let text = amongTexts.get(key);
  if (!text) {
    const at = (n: number) => (dialect === 'postgres' ? `$${n}` : '?');
    text = `select "source_id" from "imported_comments" where "source" = ${at(1)} and "source_id" in (${Array.from({ length: count }, (_, i) => at(i + 2)).join(', ')})`;
    amongTexts.set(key, text);
  }
  return text;
}

export async function importComments(ctx: AppContext, options: ImportOptions): Promise<ImportSummary> {
  const { source, site } = options;
  const dryRun = options.dryRun === true;
  const create = options.create !== false;
  const batchSize = options.batchSize ?? BATCH_SIZE;
  const summary: ImportSummary = {
    comments: { imported: 0, alreadyImported: 0, skipped: {} },
    conversations: { matched: 0, created: 0, skipped: {} },
    profiles: { created: 0, claimedAtImport: 0 },
    orphansKeptAsThreads: 0,
    warnings: [],
    reasons: {},
  };
  const bump = (counts: Record<string, number>, reason: Reason) => countReason(counts, summary.reasons!, reason);
  const totalBytes = fs.statSync(options.file).size;
  const position = { bytes: 0 };
  const threadCount = dryRun ? 0 : (options.conversionThreads ?? 0);
  const converter: BodyConverter = threadCount > 0 ? workerConverter(threadCount) : inPlaceConverter();
  const batchesAhead = threadCount > 0 ? BATCHES_AHEAD : Math.min(BATCHES_AHEAD, Math.floor(READ_AHEAD_IN_PLACE / batchSize));
  /** Comments read before they are checked and sent to be converted. */
  const readSize = threadCount > 0 ? batchSize : Math.min(batchSize, READ_AHEAD_IN_PLACE);

  const targets = new ConversationTargets(ctx, { site, create, dryRun }, summary.conversations, summary.reasons);
  const placed = new BoundedMap<string, Placed>();
  const authors = new BoundedMap<string, number>();
  /** Replies read before their parent, by the parent's source id. */
  const waiting = new Map<string, Pending[]>();
  const later: LaterPlaces = new Map();
  /** The articles of the file's comments: their reply counts are counted again if an earlier run was interrupted. */
  const articles = new Set<number>();
  /** With threads: batches being converted, in order. */
  const inFlight: Batch[] = [];
  /** In place: comments checked and converted, waiting for their batch (and the batches read ahead). */
  const converted: Pending[] = [];
  let done = 0;
  const progress = (finished = false) => options.onProgress?.({ comments: done, bytesRead: finished ? totalBytes : position.bytes, totalBytes, finished });

  /** What caches and live pages of an article hear when its comments' counts change after their batch. */
  const importedEvent = (articleId: number) => ({ type: 'comments.imported', stream: `article:${articleId}`, payload: { articleId, source } });

  /** The source ids among these that an earlier batch or run already wrote. */
  async function alreadyWritten(db: Transaction<Database> | AppContext['db']['kysely'], ids: string[]): Promise<Set<string>> {
    const existing = new Set<string>();
    for (const piece of pieces(ids)) {
      // Twice a comment, so its text is made once per length rather than built and compiled each time.
      const { rows } = await db.executeQuery<{ source_id: string }>(CompiledQuery.raw(importedAmongText(ctx.db.dialect, piece.length), [source, ...piece]));
      for (const r of rows) existing.add(r.source_id);
    }
    return existing;
  }

  /** Writes one batch (and the replies it releases) in one transaction. */
  async function writeBatch(items: Pending[], final: boolean): Promise<void> {
    await runCommand(ctx, async (tx) => {
      const writer = new BatchWriter(tx, ctx.db.dialect, source, placed, authors, summary, later);
      const written = await alreadyWritten(tx.db, items.map((i) => i.comment.sourceId));
      const pending: Pending[] = [];
      for (const item of items) {
        // The same id twice in the file: the first one stands.
        if (written.has(item.comment.sourceId)) bump(summary.comments.skipped, TWICE_IN_FILE);
        else {
          written.add(item.comment.sourceId);
          pending.push(item);
        }
      }
      const release = (sourceId: string) => {
        const children = waiting.get(sourceId);
        if (!children) return;
        waiting.delete(sourceId);
        pending.push(...children);
      };
      const drain = async () => {
        while (pending.length) {
          const item = pending.shift()!;
          if (await writer.place(item, false)) release(item.comment.sourceId);
          else {
            const list = waiting.get(item.comment.parentId!) ?? [];
            list.push(item);
            waiting.set(item.comment.parentId!, list);
          }
        }
      };
      await drain();
      // Parents that never came: their replies start threads of their own rather than being lost.
      while (final && waiting.size > 0) {
        const [parentId, children] = waiting.entries().next().value as [string, Pending[]];
        waiting.delete(parentId);
        for (const child of children) {
          await writer.place(child, true);
          release(child.comment.sourceId);
          await drain();
        }
      }
      await writer.finish();
      if (later.size > LATER_LIMIT) for (const articleId of await settlePlaces(tx.db, later)) tx.emit(importedEvent(articleId));
    });
  }

  /**
   * Writes the reply counts that waited for the end of the run; counts them all again, for the
   * conversations of the file, when an earlier run was interrupted (it may have left them short).
   */
  async function settle(recount: boolean): Promise<void> {
    await runCommand(ctx, async (tx) => {
      const changed = recount ? await recountPlaces(tx.db, ctx.db.dialect, [...articles]) : await settlePlaces(tx.db, later);
      later.clear();
      for (const articleId of changed) tx.emit(importedEvent(articleId));
    });
  }

  /** Checks a batch against earlier runs and sends its bodies to be converted. */
  async function admit(read: Pending[]): Promise<Batch> {
    const written = await alreadyWritten(ctx.db.kysely, read.map((b) => b.comment.sourceId));
    const items: Pending[] = [];
    for (const b of read) {
      if (written.has(b.comment.sourceId)) {
        summary.comments.alreadyImported++;
        done++;
      } else items.push(b);
    }
    if (dryRun) return { items, ready: () => Promise.resolve() };
    let converting: Promise<void> | null = null;
    const ready = () =>
      (converting ??= (async () => {
        const toConvert = items.filter((i) => i.comment.deletedAt === null);
        const bodies = await converter.convert(toConvert.map((i) => ({ html: i.comment.html, markdown: i.comment.markdown })));
        toConvert.forEach((item, n) => {
          item.converted = bodies[n]!;
          // Not needed once converted: let it go before the batch is written.
          item.comment.html = undefined;
          item.comment.markdown = undefined;
        });
      })());
    // Threads convert while this one reads and writes; in place, take() converts at once.
    if (threadCount > 0) ready().catch(() => {}); // seen by writeNext; until then a failure must not count as unhandled
    return { items, ready };
  }

  async function write(items: Pending[]): Promise<void> {
    if (dryRun) summary.comments.imported += items.length;
    else await writeBatch(items, false);
    done += items.length;
    progress();
  }

  async function writeNext(): Promise<void> {
    const batch = inFlight.shift()!;
    await batch.ready();
    await write(batch.items);
  }

  /** Checks the comments read and sends them to be converted; writes a batch when one is ready. */
  async function take(read: Pending[]): Promise<void> {
    const batch = await admit(read);
    if (threadCount > 0) {
      inFlight.push(batch);
      if (inFlight.length > batchesAhead) await writeNext();
      return;
    }
    await batch.ready();
    for (const item of batch.items) converted.push(item);
    while (converted.length >= batchSize * (1 + batchesAhead)) await write(converted.splice(0, batchSize));
  }

  const restoreCheckpoints = dryRun ? null : await checkpointLess(ctx);
  try {
    let read: Pending[] = [];
    for await (const item of readSource(source, options.file, position) as AsyncGenerator<SourceItem>) {
      if (item.kind === 'thread') {
        targets.add(item);
        continue;
      }
      if (item.kind === 'warning') {
        if (summary.warnings.length < 100) summary.warnings.push({ line: item.line, problem: item.problem, ...(item.problemIn ? { problemIn: item.problemIn } : {}) });
        continue;
      }
      if (item.kind === 'skip') {
        if (item.what === 'comment') {
          bump(summary.comments.skipped, item.reason);
          done++;
        } else bump(summary.conversations.skipped, item.reason);
        continue;
      }
      const where = targets.known(item.threadId) ?? (await targets.of(item.threadId));
      if ('skip' in where) {
        bump(summary.comments.skipped, where.skip);
        done++;
        continue;
      }
      articles.add(where.articleId);
      read.push({ comment: item, articleId: where.articleId, converted: null });
      if (read.length >= readSize) {
        await take(read);
        read = [];
      }
    }
    if (read.length) await take(read);
    while (inFlight.length) await writeNext();
    while (converted.length) await write(converted.splice(0, batchSize));
    if (!dryRun && waiting.size > 0) await writeBatch([], true);
    if (!dryRun) await settle(summary.comments.alreadyImported > 0);
    progress(true);
  } catch (error) {
    if (error instanceof ImportFileError) error.importedBefore = dryRun ? 0 : summary.comments.imported;
    // The batches written stay: so do the reply counts they change. If this fails too, the next run counts them.
    if (later.size > 0) await settle(false).catch(() => {});
    throw error;
  } finally {
    await converter.close();
    await restoreCheckpoints?.();
  }
  return summary;
}
