import fs from 'node:fs';
import type { Transaction } from 'kysely';
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
  batchSize?: number;
  /**
   * Threads that convert bodies while this one writes; 0 (the default) converts on this thread. Since
   * plain bodies are rendered without markdown-it (plain-comment-html.ts), a thread saves less than it
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
  /** Settles once every item's body is converted. */
  ready: Promise<void>;
}

const CACHE_LIMIT = 20_000;
/** Batches read ahead of the one being written: enough to keep conversion threads busy, and bounded (a small file with a mistake is refused before anything is written). */
const BATCHES_AHEAD = 2;
const TWICE_IN_FILE: Reason = { key: 'cli.comments.skip.twiceInFile' };

/** A map that forgets its oldest entries: memory stays bounded whatever the file's size. */
class BoundedMap<K, V> extends Map<K, V> {
  override set(key: K, value: V): this {
    if (this.size >= CACHE_LIMIT && !this.has(key)) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}


export async function importComments(ctx: AppContext, options: ImportOptions): Promise<ImportSummary> {
  const { source, site } = options;
  const dryRun = options.dryRun === true;
  const create = options.create !== false;
  const batchSize = options.batchSize ?? 500;
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

  const targets = new ConversationTargets(ctx, { site, create, dryRun }, summary.conversations, summary.reasons);
  const placed = new BoundedMap<string, Placed>();
  const authors = new BoundedMap<string, number>();
  /** Replies read before their parent, by the parent's source id. */
  const waiting = new Map<string, Pending[]>();
  const inFlight: Batch[] = [];
  let done = 0;
  const progress = (finished = false) => options.onProgress?.({ comments: done, bytesRead: finished ? totalBytes : position.bytes, totalBytes, finished });

  /** The source ids among these that an earlier batch or run already wrote. */
  async function alreadyWritten(db: Transaction<Database> | AppContext['db']['kysely'], ids: string[]): Promise<Set<string>> {
    const existing = new Set<string>();
    for (const piece of pieces(ids)) {
      const rows = await db.selectFrom('imported_comments').select('source_id').where('source', '=', source).where('source_id', 'in', piece).execute();
      for (const r of rows) existing.add(r.source_id);
    }
    return existing;
  }

  /** Writes one batch (and the replies it releases) in one transaction. */
  async function writeBatch(items: Pending[], final: boolean): Promise<void> {
    await runCommand(ctx, async (tx) => {
      const writer = new BatchWriter(tx, ctx.db.dialect, source, placed, authors, summary);
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
    if (dryRun) return { items, ready: Promise.resolve() };
    const toConvert = items.filter((i) => i.comment.deletedAt === null);
    const ready = converter.convert(toConvert.map((i) => ({ html: i.comment.html, markdown: i.comment.markdown }))).then((bodies) => {
      toConvert.forEach((item, n) => (item.converted = bodies[n]!));
    });
    // Seen by writeNext; until then a failure must not count as unhandled.
    ready.catch(() => {});
    return { items, ready };
  }

  async function writeNext(): Promise<void> {
    const batch = inFlight.shift()!;
    await batch.ready;
    if (dryRun) summary.comments.imported += batch.items.length;
    else await writeBatch(batch.items, false);
    done += batch.items.length;
    progress();
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
      const where = await targets.of(item.threadId);
      if ('skip' in where) {
        bump(summary.comments.skipped, where.skip);
        done++;
        continue;
      }
      read.push({ comment: item, articleId: where.articleId, converted: null });
      if (read.length >= batchSize) {
        inFlight.push(await admit(read));
        read = [];
        if (inFlight.length > BATCHES_AHEAD) await writeNext();
      }
    }
    if (read.length) inFlight.push(await admit(read));
    while (inFlight.length) await writeNext();
    if (!dryRun && waiting.size > 0) await writeBatch([], true);
    progress(true);
  } catch (error) {
    if (error instanceof ImportFileError) error.importedBefore = dryRun ? 0 : summary.comments.imported;
    throw error;
  } finally {
    await converter.close();
    await restoreCheckpoints?.();
  }
  return summary;
}
