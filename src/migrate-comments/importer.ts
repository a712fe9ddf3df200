import fs from 'node:fs';
import os from 'node:os';
import { sql, type Insertable, type Transaction } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { runCommand, type Tx } from '../events/command.ts';
import { childPath, MAX_DEPTH } from '../comments/model.ts';
import { movePlaces } from '../comments/store.ts';
import { EmbedRefused, findConversation, findOrCreateConversation } from '../embed/conversations.ts';
import { isUnderOrigins, parseArticleAddress } from '../sites/addresses.ts';
import type { Site } from '../sites/model.ts';
import { inPlaceConverter, workerConverter, type BodyConverter, type ConvertedBody } from './body-converter.ts';
import { ImportFileError, type Source, type SourceComment, type SourceItem, type SourceThread } from './model.ts';
import { profileAccount } from './profiles.ts';
import { checkpointLess } from './sqlite-checkpoints.ts';
import { readSource } from './sources/index.ts';

// Reads a source in one pass and writes its conversations in batches. Each batch is one transaction
// holding its comments, the source-id map that makes a second run skip them, and the counts they
// change (kept the way comments/commands.ts keeps them: the article's count, the places in the
// thread, the author's counts). A run that stops half-way (or at a mistake in the file) leaves whole
// batches; running it again finishes the rest.
//
// The work is a pipeline: while the main thread reads the file and writes batch n, the bodies of the
// next batches are converted on a worker thread (body-converter.ts). A batch's rows are placed in
// memory (ids reserved up front, so a reply's path is known before it is written) and written with a
// few multi-row statements, not a round trip per comment.

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
  /** Threads that convert bodies; 0 converts on this thread. By default one, for a file over 4 MB (each costs ~60 MB of memory). */
  conversionThreads?: number;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportSummary {
  comments: { imported: number; alreadyImported: number; skipped: Record<string, number> };
  conversations: { matched: number; created: number; skipped: Record<string, number> };
  profiles: { created: number; claimedAtImport: number };
  /** Replies whose parent is not in the file, kept as the first comment of a thread. */
  orphansKeptAsThreads: number;
  /** Mistakes in the file that were read past, by line (the first 100). */
  warnings: { line: number; problem: string }[];
}

interface Placed {
  id: number;
  articleId: number;
  rootId: number | null;
  path: string;
  depth: number;
  parentId: number | null;
}

interface Pending {
  comment: SourceComment;
  articleId: number;
  converted: ConvertedBody | null;
}

interface Batch {
  items: Pending[];
  /** Settles once every item's body is converted. */
  ready: Promise<void>;
}

type ThreadTarget = { articleId: number } | { skip: string };

const CACHE_LIMIT = 20_000;
/** Batches read ahead of the one being written: enough to keep the conversion threads busy, and bounded. */
const BATCHES_AHEAD = 2;
const SMALL_FILE_BYTES = 4 * 1024 * 1024;
/**
 * A list of rows or ids cut into pieces of 64, then 32, 16 … 1: few statement shapes, so the database
 * keeps a handful of prepared statements rather than one per length met (each holds memory).
 */
export function pieces<T>(list: T[]): T[][] {
  const out: T[][] = [];
  let at = 0;
  for (let size = 64; size >= 1; size /= 2) {
    while (list.length - at >= size && (size === 64 || list.length - at < size * 2)) {
      out.push(list.slice(at, at + size));
      at += size;
    }
  }
  return out;
}
const TWICE_IN_FILE = 'its id appears earlier in the file';

/** A map that forgets its oldest entries: memory stays bounded whatever the file's size. */
class BoundedMap<K, V> extends Map<K, V> {
  override set(key: K, value: V): this {
    if (this.size >= CACHE_LIMIT && !this.has(key)) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}

const bump = (record: Record<string, number>, key: string, n = 1) => (record[key] = (record[key] ?? 0) + n);

function defaultThreads(file: string): number {
  return fs.statSync(file).size < SMALL_FILE_BYTES || os.availableParallelism() < 2 ? 0 : 1;
}

/**
 * Hands out comment ids for rows about to be written, in this transaction. SQLite: the write lock is
 * taken first, so nobody else can insert until commit; PostgreSQL: ids are drawn from the sequence.
 */
function commentIds(db: Transaction<Database>, dialect: 'sqlite' | 'postgres') {
  let next = 0;
  let last = -1;
  const reserved: number[] = [];
  return async (): Promise<number> => {
    if (dialect === 'postgres') {
      if (reserved.length === 0) {
        const { rows } = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('comments', 'id')) as id from generate_series(1, 200)`.execute(db);
        reserved.push(...rows.map((r) => Number(r.id)));
      }
      return reserved.shift()!;
    }
    if (last < 0) {
      // An update of nothing still takes SQLite's write lock, so the maximum read next stays the maximum.
      await sql`update comments set id = id where 0`.execute(db);
      const { rows } = await sql<{ id: number }>`select max(coalesce((select max(id) from comments), 0), coalesce((select seq from sqlite_sequence where name = 'comments'), 0)) as id`.execute(db);
      next = Number(rows[0]!.id) + 1;
      last = 0;
    }
    return next++;
  };
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
  };
  const totalBytes = fs.statSync(options.file).size;
  const position = { bytes: 0 };
  const threadCount = dryRun ? 0 : (options.conversionThreads ?? defaultThreads(options.file));
  const converter: BodyConverter = threadCount > 0 ? workerConverter(threadCount) : inPlaceConverter();

  const threads = new Map<string, SourceThread>();
  const targets = new Map<string, ThreadTarget>();
  const placed = new BoundedMap<string, Placed>();
  const authors = new BoundedMap<string, number>();
  /** Replies read before their parent, by the parent's source id. */
  const waiting = new Map<string, Pending[]>();
  const inFlight: Batch[] = [];
  let done = 0;
  const progress = (finished = false) => options.onProgress?.({ comments: done, bytesRead: finished ? totalBytes : position.bytes, totalBytes, finished });

  async function target(threadId: string): Promise<ThreadTarget> {
    const known = targets.get(threadId);
    if (known) return known;
    const thread = threads.get(threadId);
    let result: ThreadTarget;
    const url = thread?.address ? parseArticleAddress(thread.address) : null;
    if (!thread) result = { skip: 'its conversation is not in the file' };
    else if (!url) result = { skip: 'the conversation has no web address' };
    else {
      const found = await findConversation(ctx.db.kysely, site, url);
      if (found) {
        summary.conversations.matched++;
        result = { articleId: Number(found.id) };
      } else if (!create) result = { skip: 'no article has its address (--no-create)' };
      else if (!isUnderOrigins(url, site.origins)) result = { skip: `its address is not under ${site.name}’s allowed origins` };
      else if (dryRun) {
        summary.conversations.created++;
        result = { articleId: -1 };
      } else {
        try {
          const article = await findOrCreateConversation(ctx, site, url, thread.title ?? undefined);
          summary.conversations.created++;
          result = { articleId: Number(article.id) };
        } catch (error) {
          // The address belongs to another site's article: the conversation is not moved across sites.
          if (!(error instanceof EmbedRefused)) throw error;
          result = { skip: error.message };
        }
      }
    }
    if ('skip' in result && thread) bump(summary.conversations.skipped, result.skip);
    targets.set(threadId, result);
    return result;
  }

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
        threads.set(item.sourceId, item);
        continue;
      }
      if (item.kind === 'warning') {
        if (summary.warnings.length < 100) summary.warnings.push({ line: item.line, problem: item.problem });
        continue;
      }
      if (item.kind === 'skip') {
        if (item.what === 'comment') {
          bump(summary.comments.skipped, item.reason);
          done++;
        } else bump(summary.conversations.skipped, item.reason);
        continue;
      }
      const where = await target(item.threadId);
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


/** The rows of one batch: placed in memory as they come, written together by finish(). */
class BatchWriter {
  private readonly now = new Date().toISOString();
  private readonly nextId: () => Promise<number>;
  private readonly comments: Insertable<Database['comments']>[] = [];
  private readonly imported: Insertable<Database['imported_comments']>[] = [];
  private readonly reactions: Insertable<Database['comment_reactions']>[] = [];
  private readonly revisions: Insertable<Database['comment_revisions']>[] = [];
  private readonly places: { rootId: number | null; path: string; delta: number }[] = [];
  private readonly perArticle = new Map<number, number>();
  private readonly perAuthor = new Map<number, Record<string, number>>();
  private readonly touched = new Set<number>();
  /** This batch's comments by id, for a reply placed under a reply written in the same batch. */
  private readonly byId = new Map<number, Placed>();

  constructor(
    private readonly tx: Tx,
    dialect: 'sqlite' | 'postgres',
    private readonly source: Source,
    private readonly placed: Map<string, Placed>,
    private readonly authors: Map<string, number>,
    private readonly summary: ImportSummary,
  ) {
    this.nextId = commentIds(tx.db, dialect);
  }

  private async placedBySourceId(sourceId: string): Promise<Placed | null> {
    const cached = this.placed.get(sourceId);
    if (cached) return cached;
    const row = await this.tx.db
      .selectFrom('imported_comments as i')
      .innerJoin('comments as c', 'c.id', 'i.comment_id')
      .select(['c.id', 'c.article_id', 'c.root_id', 'c.path', 'c.depth', 'c.parent_id'])
      .where('i.source', '=', this.source)
      .where('i.source_id', '=', sourceId)
      .executeTakeFirst();
    if (!row) return null;
    const p: Placed = { id: Number(row.id), articleId: Number(row.article_id), rootId: row.root_id === null ? null : Number(row.root_id), path: row.path, depth: Number(row.depth), parentId: row.parent_id === null ? null : Number(row.parent_id) };
    this.placed.set(sourceId, p);
    return p;
  }

  private async placedById(id: number): Promise<Placed> {
    const here = this.byId.get(id);
    if (here) return here;
    const up = await this.tx.db.selectFrom('comments').select(['id', 'article_id', 'root_id', 'path', 'depth', 'parent_id']).where('id', '=', id).executeTakeFirstOrThrow();
    return { id: Number(up.id), articleId: Number(up.article_id), rootId: up.root_id === null ? null : Number(up.root_id), path: up.path, depth: Number(up.depth), parentId: up.parent_id === null ? null : Number(up.parent_id) };
  }

  private async authorId(author: SourceComment['author']): Promise<number> {
    const cached = this.authors.get(author.sourceId);
    if (cached !== undefined) return cached;
    const account = await profileAccount(this.tx.db, this.source, author, this.now);
    if (account.created) this.summary.profiles.created++;
    if (account.claimedAtImport) this.summary.profiles.claimedAtImport++;
    this.authors.set(author.sourceId, account.userId);
    return account.userId;
  }

  /** Places one comment; false when its parent is not written yet (it waits for it). */
  async place({ comment: c, articleId, converted }: Pending, orphan: boolean): Promise<boolean> {
    let parent: Placed | null = null;
    if (c.parentId !== null && !orphan) {
      parent = await this.placedBySourceId(c.parentId);
      if (!parent) return false;
      // A reply deeper than threads go hangs under its parent's parent: the conversation stays readable.
      while (parent.depth + 1 > MAX_DEPTH && parent.parentId !== null) parent = await this.placedById(parent.parentId);
      if (parent.articleId !== articleId) parent = null;
    }
    if (orphan) this.summary.orphansKeptAsThreads++;
    const author = await this.authorId(c.author);
    const deleted = c.deletedAt !== null;
    const { body, bodyHtml } = deleted || !converted ? { body: '', bodyHtml: '' } : converted;
    // One reaction per reader and comment, as setReaction keeps it, even if the file names one twice.
    const reactors = new Map<number, Date>();
    for (const r of c.reactions ?? []) {
      const reactor = await this.authorId(r.author);
      if (!reactors.has(reactor)) reactors.set(reactor, r.createdAt);
    }
    const id = await this.nextId();
    const rootId = parent ? (parent.rootId ?? parent.id) : null;
    const depth = parent ? parent.depth + 1 : 0;
    const path = parent ? childPath(parent.path, id) : '';
    this.comments.push({
      id,
      article_id: articleId,
      author_id: author,
      parent_id: parent ? parent.id : null,
      root_id: rootId,
      depth,
      path,
      body,
      body_html: bodyHtml,
      created_at: c.createdAt.toISOString(),
      edited_at: c.editedAt ? c.editedAt.toISOString() : null,
      deleted_at: c.deletedAt ? c.deletedAt.toISOString() : null,
      deleted_reason: deleted ? (c.deletedReason ?? 'imported') : null,
      status: c.status,
      moderation_code: c.status === 'approved' ? null : `imported_${c.statusReason ?? c.status}`,
      moderation_detail: c.status === 'approved' ? null : `Imported from ${this.source}${c.statusReason ? ` (${c.statusReason})` : ''}.`,
      moderation_phase: c.status === 'approved' ? null : 'import',
      moderation_tags: '[]',
      spam_score: null,
      rejection_reason: c.rejectionReason ?? null,
      featured: c.featured ? 1 : 0,
      reaction_count: c.likes + reactors.size,
      // Years of old comments are not news for the "recent" queue; held ones still wait in theirs.
      seen: 1,
    });
    this.imported.push({ source: this.source, source_id: c.sourceId, comment_id: id, source_reactions: c.likes, imported_at: this.now });
    for (const [userId, at] of reactors) this.reactions.push({ comment_id: id, user_id: userId, created_at: at.toISOString() });
    for (const r of c.revisions ?? []) this.revisions.push({ comment_id: id, body: r.body, written_at: r.writtenAt, replaced_at: r.replacedAt });
    // The same counts postComment keeps: a readable comment takes its place in the thread (and may give
    // one to a deleted ancestor) and counts for the article; every comment counts for its author.
    const readable = c.status === 'approved' && !deleted;
    if (readable && parent) this.places.push({ rootId, path, delta: 1 });
    if (readable) this.perArticle.set(articleId, (this.perArticle.get(articleId) ?? 0) + 1);
    const counts = this.perAuthor.get(author) ?? {};
    bump(counts, c.status);
    this.perAuthor.set(author, counts);
    this.touched.add(articleId);
    const here: Placed = { id, articleId, rootId, path, depth, parentId: parent ? parent.id : null };
    this.placed.set(c.sourceId, here);
    this.byId.set(id, here);
    this.summary.comments.imported++;
    return true;
  }

  /** Writes the placed rows and the counts they change. */
  async finish(): Promise<void> {
    const db = this.tx.db;
    for (const rows of pieces(this.comments)) await db.insertInto('comments').values(rows).execute();
    for (const rows of pieces(this.imported)) await db.insertInto('imported_comments').values(rows).execute();
    for (const rows of pieces(this.reactions)) await db.insertInto('comment_reactions').values(rows).execute();
    for (const rows of pieces(this.revisions)) await db.insertInto('comment_revisions').values(rows).execute();
    // After every row of the batch is in: a place moves up through ancestors written in this batch too.
    if (this.places.length) await movePlaces(db, this.places);
    for (const [articleId, n] of this.perArticle) {
      await db.updateTable('articles').set((eb) => ({ comment_count: eb('comment_count', '+', n) })).where('id', '=', articleId).execute();
    }
    // Every author of the batch in one statement: added to what earlier batches and runs counted.
    const authorCounts = [...this.perAuthor].map(([userId, counts]) => ({
      user_id: userId,
      approved_count: counts.approved ?? 0,
      held_count: counts.held ?? 0,
      rejected_count: counts.rejected ?? 0,
    }));
    for (const rows of pieces(authorCounts)) {
      await db
        .insertInto('author_comment_counts')
        .values(rows)
        .onConflict((oc) =>
          oc.column('user_id').doUpdateSet((eb) => ({
            approved_count: eb(eb.ref('author_comment_counts.approved_count'), '+', eb.ref('excluded.approved_count')),
            held_count: eb(eb.ref('author_comment_counts.held_count'), '+', eb.ref('excluded.held_count')),
            rejected_count: eb(eb.ref('author_comment_counts.rejected_count'), '+', eb.ref('excluded.rejected_count')),
          })),
        )
        .execute();
    }
    // One event per article and batch, not per comment: caches and live pages refresh, nobody is notified.
    for (const articleId of this.touched) this.tx.emit({ type: 'comments.imported', stream: `article:${articleId}`, payload: { articleId, source: this.source } });
  }
}
