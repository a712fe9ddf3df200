import type { Transaction } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { runCommand, type Tx } from '../events/command.ts';
import { childPath, MAX_DEPTH } from '../comments/model.ts';
import { movePlaces } from '../comments/store.ts';
import { EmbedRefused, findConversation, findOrCreateConversation } from '../embed/conversations.ts';
import { isUnderOrigins, parseArticleAddress } from '../sites/addresses.ts';
import type { Site } from '../sites/model.ts';
import { importedBody } from './bodies.ts';
import type { Source, SourceComment, SourceItem, SourceThread } from './model.ts';
import { profileAccount } from './profiles.ts';
import { readSource } from './sources/index.ts';

// Writes a source's conversations in batches, each batch one transaction holding its comments, the
// source-id map that makes a second run skip them, and the counts they change (kept the way
// comments/commands.ts keeps them: the article's count, the places in the thread, the author's
// counts). A run that stops half-way leaves whole batches; running it again finishes the rest.

export interface ImportOptions {
  source: Source;
  file: string;
  site: Site;
  dryRun?: boolean;
  /** false: an address with no article is skipped rather than given one. */
  create?: boolean;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
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

type ThreadTarget = { articleId: number } | { skip: string };

const CACHE_LIMIT = 20_000;

/** A map that forgets its oldest entries: memory stays bounded whatever the file's size. */
class BoundedMap<K, V> extends Map<K, V> {
  override set(key: K, value: V): this {
    if (this.size >= CACHE_LIMIT && !this.has(key)) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}

const bump = (record: Record<string, number>, key: string, n = 1) => (record[key] = (record[key] ?? 0) + n);

/** Counts the file's comments (and so checks all of it) before anything is written. */
export async function countSourceComments(source: Source, file: string): Promise<number> {
  let n = 0;
  for await (const item of readSource(source, file)) if (item.kind === 'comment' || (item.kind === 'skip' && item.what === 'comment')) n++;
  return n;
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
  // A malformed file is found before anything is written: the first pass reads it all.
  const total = await countSourceComments(source, options.file);

  const threads = new Map<string, SourceThread>();
  const targets = new Map<string, ThreadTarget>();
  const placed = new BoundedMap<string, Placed>();
  const authors = new BoundedMap<string, number>();
  /** Replies read before their parent, by the parent's source id. */
  const waiting = new Map<string, SourceComment[]>();
  let queue: { comment: SourceComment; articleId: number }[] = [];
  let done = 0;

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

  async function placedBySourceId(db: Transaction<Database>, sourceId: string): Promise<Placed | null> {
    const cached = placed.get(sourceId);
    if (cached) return cached;
    const row = await db
      .selectFrom('imported_comments as i')
      .innerJoin('comments as c', 'c.id', 'i.comment_id')
      .select(['c.id', 'c.article_id', 'c.root_id', 'c.path', 'c.depth', 'c.parent_id'])
      .where('i.source', '=', source)
      .where('i.source_id', '=', sourceId)
      .executeTakeFirst();
    if (!row) return null;
    const p: Placed = { id: Number(row.id), articleId: Number(row.article_id), rootId: row.root_id === null ? null : Number(row.root_id), path: row.path, depth: Number(row.depth), parentId: row.parent_id === null ? null : Number(row.parent_id) };
    placed.set(sourceId, p);
    return p;
  }

  async function authorId(db: Transaction<Database>, author: SourceComment['author'], now: string): Promise<number> {
    const cached = authors.get(author.sourceId);
    if (cached !== undefined) return cached;
    const account = await profileAccount(db, source, author, now);
    if (account.created) summary.profiles.created++;
    if (account.claimedAtImport) summary.profiles.claimedAtImport++;
    authors.set(author.sourceId, account.userId);
    return account.userId;
  }

  /** Writes one comment; false when its parent is not written yet (it waits for it). */
  async function writeComment(tx: Tx, c: SourceComment, articleId: number, now: string, orphan: boolean, perArticle: Map<number, number>, perAuthor: Map<number, Record<string, number>>): Promise<boolean> {
    const db = tx.db;
    let parent: Placed | null = null;
    if (c.parentId !== null && !orphan) {
      parent = await placedBySourceId(db, c.parentId);
      if (!parent) return false;
      // A reply deeper than threads go hangs under its parent's parent: the conversation stays readable.
      while (parent.depth + 1 > MAX_DEPTH && parent.parentId !== null) {
        const up = await db.selectFrom('comments').select(['id', 'article_id', 'root_id', 'path', 'depth', 'parent_id']).where('id', '=', parent.parentId).executeTakeFirstOrThrow();
        parent = { id: Number(up.id), articleId: Number(up.article_id), rootId: up.root_id === null ? null : Number(up.root_id), path: up.path, depth: Number(up.depth), parentId: up.parent_id === null ? null : Number(up.parent_id) };
      }
      if (parent.articleId !== articleId) parent = null;
    }
    if (orphan) summary.orphansKeptAsThreads++;
    const author = await authorId(db, c.author, now);
    const deleted = c.deletedAt !== null;
    const { body, bodyHtml } = deleted ? { body: '', bodyHtml: '' } : importedBody(c);
    // One reaction per reader and comment, as setReaction keeps it, even if the file names one twice.
    const reactors = new Map<number, Date>();
    for (const r of c.reactions ?? []) {
      const reactor = await authorId(db, r.author, now);
      if (!reactors.has(reactor)) reactors.set(reactor, r.createdAt);
    }
    const rootId = parent ? (parent.rootId ?? parent.id) : null;
    const depth = parent ? parent.depth + 1 : 0;
    const row = await db
      .insertInto('comments')
      .values({
        article_id: articleId,
        author_id: author,
        parent_id: parent ? parent.id : null,
        root_id: rootId,
        depth,
        path: '',
        body,
        body_html: bodyHtml,
        created_at: c.createdAt.toISOString(),
        edited_at: c.editedAt ? c.editedAt.toISOString() : null,
        deleted_at: c.deletedAt ? c.deletedAt.toISOString() : null,
        deleted_reason: deleted ? (c.deletedReason ?? 'imported') : null,
        status: c.status,
        moderation_code: c.status === 'approved' ? null : `imported_${c.statusReason ?? c.status}`,
        moderation_detail: c.status === 'approved' ? null : `Imported from ${source}${c.statusReason ? ` (${c.statusReason})` : ''}.`,
        moderation_phase: c.status === 'approved' ? null : 'import',
        moderation_tags: '[]',
        spam_score: null,
        rejection_reason: c.rejectionReason ?? null,
        featured: c.featured ? 1 : 0,
        reaction_count: c.likes + reactors.size,
        // Years of old comments are not news for the "recent" queue; held ones still wait in theirs.
        seen: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    const path = parent ? childPath(parent.path, id) : '';
    if (parent) await db.updateTable('comments').set({ path }).where('id', '=', id).execute();
    await db.insertInto('imported_comments').values({ source, source_id: c.sourceId, comment_id: id, source_reactions: c.likes, imported_at: now }).execute();
    for (const [userId, at] of reactors) await db.insertInto('comment_reactions').values({ comment_id: id, user_id: userId, created_at: at.toISOString() }).execute();
    for (const r of c.revisions ?? []) {
      await db.insertInto('comment_revisions').values({ comment_id: id, body: r.body, written_at: r.writtenAt, replaced_at: r.replacedAt }).execute();
    }
    // The same counts postComment keeps: a readable comment takes its place in the thread (and may give
    // one to a deleted ancestor) and counts for the article; every comment counts for its author.
    const readable = c.status === 'approved' && !deleted;
    if (readable && parent) await movePlaces(db, [{ rootId, path, delta: 1 }]);
    if (readable) perArticle.set(articleId, (perArticle.get(articleId) ?? 0) + 1);
    const counts = perAuthor.get(author) ?? {};
    bump(counts, c.status);
    perAuthor.set(author, counts);
    placed.set(c.sourceId, { id, articleId, rootId, path, depth, parentId: parent ? parent.id : null });
    summary.comments.imported++;
    return true;
  }

  async function flush(final: boolean): Promise<void> {
    if (queue.length === 0 && !(final && waiting.size > 0)) return;
    const batch = queue;
    queue = [];
    if (dryRun) {
      summary.comments.imported += batch.length;
      done += batch.length;
      options.onProgress?.(done, total);
      return;
    }
    await runCommand(ctx, async (tx) => {
      const now = new Date().toISOString();
      const perArticle = new Map<number, number>();
      const perAuthor = new Map<number, Record<string, number>>();
      const touched = new Set<number>();
      const pending = [...batch];
      const release = (sourceId: string) => {
        const children = waiting.get(sourceId);
        if (!children) return;
        waiting.delete(sourceId);
        for (const child of children) pending.push({ comment: child, articleId: articleFor.get(child.sourceId)! });
      };
      const drain = async () => {
        while (pending.length) {
          const { comment, articleId } = pending.shift()!;
          if (await writeComment(tx, comment, articleId, now, false, perArticle, perAuthor)) {
            touched.add(articleId);
            articleFor.delete(comment.sourceId);
            release(comment.sourceId);
          } else {
            const list = waiting.get(comment.parentId!) ?? [];
            list.push(comment);
            waiting.set(comment.parentId!, list);
          }
        }
      };
      await drain();
      // Parents that never came: their replies start threads of their own rather than being lost.
      while (final && waiting.size > 0) {
        const [parentId, children] = waiting.entries().next().value as [string, SourceComment[]];
        waiting.delete(parentId);
        for (const child of children) {
          const articleId = articleFor.get(child.sourceId)!;
          await writeComment(tx, child, articleId, now, true, perArticle, perAuthor);
          touched.add(articleId);
          articleFor.delete(child.sourceId);
          release(child.sourceId);
          await drain();
        }
      }
      for (const [articleId, n] of perArticle) {
        await tx.db.updateTable('articles').set((eb) => ({ comment_count: eb('comment_count', '+', n) })).where('id', '=', articleId).execute();
      }
      for (const [userId, counts] of perAuthor) {
        const a = counts.approved ?? 0;
        const h = counts.held ?? 0;
        const r = counts.rejected ?? 0;
        await tx.db
          .insertInto('author_comment_counts')
          .values({ user_id: userId, approved_count: a, held_count: h, rejected_count: r })
          .onConflict((oc) =>
            oc.column('user_id').doUpdateSet((eb) => ({
              approved_count: eb(eb.ref('author_comment_counts.approved_count'), '+', a),
              held_count: eb(eb.ref('author_comment_counts.held_count'), '+', h),
              rejected_count: eb(eb.ref('author_comment_counts.rejected_count'), '+', r),
            })),
          )
          .execute();
      }
      // One event per article and batch, not per comment: caches and live pages refresh, nobody is notified.
      for (const articleId of touched) tx.emit({ type: 'comments.imported', stream: `article:${articleId}`, payload: { articleId, source } });
    });
    done += batch.length;
    options.onProgress?.(done, total);
  }

  /** The article of each comment that is queued or waiting, by its source id. */
  const articleFor = new Map<string, number>();
  let readBatch: { comment: SourceComment; articleId: number }[] = [];

  async function admit(batch: typeof readBatch): Promise<void> {
    // One query tells which of the batch's comments an earlier run already wrote.
    const ids = batch.map((b) => b.comment.sourceId);
    const existing = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await ctx.db.kysely.selectFrom('imported_comments').select('source_id').where('source', '=', source).where('source_id', 'in', ids.slice(i, i + 500)).execute();
      for (const r of rows) existing.add(r.source_id);
    }
    for (const b of batch) {
      if (existing.has(b.comment.sourceId)) {
        summary.comments.alreadyImported++;
        done++;
        continue;
      }
      articleFor.set(b.comment.sourceId, b.articleId);
      queue.push(b);
    }
    await flush(false);
  }

  for await (const item of readSource(source, options.file) as AsyncGenerator<SourceItem>) {
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
    readBatch.push({ comment: item, articleId: where.articleId });
    if (readBatch.length >= batchSize) {
      await admit(readBatch);
      readBatch = [];
    }
  }
  await admit(readBatch);
  await flush(true);
  if (done < total) options.onProgress?.(total, total);
  return summary;
}
