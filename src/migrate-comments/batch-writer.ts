import { sql, type Insertable } from 'kysely';
import { childPath, MAX_DEPTH } from '../comments/model.ts';
import type { Database } from '../db/schema.ts';
import type { Tx } from '../events/command.ts';
import { importedReason, storedDetail } from '../moderation/model.ts';
import type { ConvertedBody } from './body-converter.ts';
import { commentIds } from './comment-ids.ts';
import type { Source, SourceComment } from './model.ts';
import { profileAccount } from './profiles.ts';
import { moveBatchPlaces, type BatchComment, type LaterPlaces, type PlaceChange } from './reply-counts.ts';
import { insertRows, pieces } from './row-inserts.ts';

// One batch of an import, in its transaction: each comment is placed in memory as it comes (its id
// reserved, so a reply's path is known before anything is written), then finish() writes the rows and
// the counts they change with a few multi-row statements, not a round trip per comment.

/** Where a written comment sits in its thread: what a reply to it needs. */
export interface Placed {
  id: number;
  articleId: number;
  rootId: number | null;
  path: string;
  depth: number;
  parentId: number | null;
}

/** A comment read from the file, with its article and (once converted) its body. */
export interface Pending {
  comment: SourceComment;
  articleId: number;
  converted: ConvertedBody | null;
}

/** What the batches of one run tell its summary. */
export interface WriterTally {
  comments: { imported: number };
  profiles: { created: number; claimedAtImport: number };
  orphansKeptAsThreads: number;
}

const COMMENT_COLUMNS = [
  'id', 'article_id', 'author_id', 'parent_id', 'root_id', 'depth', 'path', 'body', 'body_html', 'descendant_count', 'reaction_count', 'created_at', 'edited_at',
  'deleted_at', 'deleted_reason', 'status', 'moderation_code', 'moderation_detail', 'moderation_detail_values', 'moderation_phase', 'moderation_tags', 'spam_score', 'rejection_reason', 'featured', 'seen',
] as const;
const IMPORTED_COLUMNS = ['source', 'source_id', 'comment_id', 'source_reactions', 'imported_at'] as const;
const REACTION_COLUMNS = ['comment_id', 'user_id', 'created_at'] as const;
const REVISION_COLUMNS = ['comment_id', 'body', 'written_at', 'replaced_at'] as const;

/** What the writer asks of the run's caches (importer.ts bounds them). */
export interface RecentMap<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
}

const bump = (record: Record<string, number>, key: string, n = 1) => (record[key] = (record[key] ?? 0) + n);

export class BatchWriter {
  private readonly now = new Date().toISOString();
  private readonly nextId: () => number | Promise<number>;
  private readonly comments: Insertable<Database['comments']>[] = [];
  private readonly imported: Insertable<Database['imported_comments']>[] = [];
  private readonly reactions: Insertable<Database['comment_reactions']>[] = [];
  private readonly revisions: Insertable<Database['comment_revisions']>[] = [];
  private readonly places: PlaceChange[] = [];
  /** This batch's comments by id, for their reply counts. */
  private readonly counted = new Map<number, BatchComment>();
  private readonly perArticle = new Map<number, number>();
  private readonly perAuthor = new Map<number, Record<string, number>>();
  private readonly touched = new Set<number>();
  /** This batch's comments by id, for a reply placed under a reply written in the same batch. */
  private readonly byId = new Map<number, Placed>();

  constructor(
    private readonly tx: Tx,
    private readonly dialect: 'sqlite' | 'postgres',
    private readonly source: Source,
    /** Comments written by this run, by source id (bounded: older ones are read back). */
    private readonly placed: RecentMap<string, Placed>,
    /** Authors met by this run, by source id. */
    private readonly authors: RecentMap<string, number>,
    private readonly tally: WriterTally,
    /** Reply counts of comments written by earlier batches, settled at the end of the run (reply-counts.ts). */
    private readonly later: LaterPlaces,
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
    if (account.created) this.tally.profiles.created++;
    if (account.claimedAtImport) this.tally.profiles.claimedAtImport++;
    this.authors.set(author.sourceId, account.userId);
    return account.userId;
  }

  /** Places one comment; false when its parent is not written yet (it waits for it). */
  async place({ comment: c, articleId, converted }: Pending, orphan: boolean): Promise<boolean> {
    let parent: Placed | null = null;
    if (c.parentId !== null && !orphan) {
      // Most parents were placed by this run and are remembered: no need to wait for anything.
      parent = this.placed.get(c.parentId) ?? (await this.placedBySourceId(c.parentId));
      if (!parent) return false;
      // A reply deeper than threads go hangs under its parent's parent: the conversation stays readable.
      while (parent.depth + 1 > MAX_DEPTH && parent.parentId !== null) parent = await this.placedById(parent.parentId);
      if (parent.articleId !== articleId) parent = null;
    }
    if (orphan) this.tally.orphansKeptAsThreads++;
    const author = this.authors.get(c.author.sourceId) ?? (await this.authorId(c.author));
    const deleted = c.deletedAt !== null;
    const { body, bodyHtml } = deleted || !converted ? { body: '', bodyHtml: '' } : converted;
    // One reaction per reader and comment, as setReaction keeps it, even if the file names one twice.
    const reactors = new Map<number, Date>();
    for (const r of c.reactions ?? []) {
      const reactor = await this.authorId(r.author);
      if (!reactors.has(reactor)) reactors.set(reactor, r.createdAt);
    }
    const reserved = this.nextId();
    const id = typeof reserved === 'number' ? reserved : await reserved;
    const rootId = parent ? (parent.rootId ?? parent.id) : null;
    const depth = parent ? parent.depth + 1 : 0;
    const path = parent ? childPath(parent.path, id) : '';
    const readable = c.status === 'approved' && !deleted;
    // Why an imported comment waits or was refused, as a catalog sentence (its English kept beside it).
    const imported = c.status === 'approved' ? null : importedReason(this.source, c.statusReason);
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
      // Set by finish(), once the batch's replies are counted.
      descendant_count: 0,
      created_at: c.createdAt.toISOString(),
      edited_at: c.editedAt ? c.editedAt.toISOString() : null,
      deleted_at: c.deletedAt ? c.deletedAt.toISOString() : null,
      deleted_reason: deleted ? (c.deletedReason ?? 'imported') : null,
      status: c.status,
      moderation_code: c.status === 'approved' ? null : `imported_${c.statusReason ?? c.status}`,
      moderation_detail: imported?.detail ?? null,
      moderation_detail_values: imported ? storedDetail(imported) : null,
      moderation_phase: c.status === 'approved' ? null : 'import',
      moderation_tags: '[]',
      spam_score: null,
      rejection_reason: c.rejectionReason ?? null,
      featured: c.featured ? 1 : 0,
      reaction_count: c.likes + reactors.size,
      // Years of old comments are not news for the "recent" queue; held ones still wait in theirs.
      seen: 1,
    });
    this.counted.set(id, { rootId, path, readable, descendantCount: 0 });
    this.imported.push({ source: this.source, source_id: c.sourceId, comment_id: id, source_reactions: c.likes, imported_at: this.now });
    for (const [userId, at] of reactors) this.reactions.push({ comment_id: id, user_id: userId, created_at: at.toISOString() });
    for (const r of c.revisions ?? []) this.revisions.push({ comment_id: id, body: r.body, written_at: r.writtenAt, replaced_at: r.replacedAt });
    // The same counts postComment keeps: a readable comment takes its place in the thread (and may give
    // one to a deleted ancestor) and counts for the article; every comment counts for its author.
    if (readable && parent) this.places.push({ rootId, path, delta: 1 });
    if (readable) this.perArticle.set(articleId, (this.perArticle.get(articleId) ?? 0) + 1);
    const counts = this.perAuthor.get(author) ?? {};
    bump(counts, c.status);
    this.perAuthor.set(author, counts);
    this.touched.add(articleId);
    const here: Placed = { id, articleId, rootId, path, depth, parentId: parent ? parent.id : null };
    this.placed.set(c.sourceId, here);
    this.byId.set(id, here);
    this.tally.comments.imported++;
    return true;
  }

  /** Writes the placed rows and the counts they change. */
  async finish(): Promise<void> {
    const db = this.tx.db;
    // The batch's own comments get their reply counts before they are written; earlier ones later.
    if (this.places.length) moveBatchPlaces(this.places, this.counted, this.later);
    for (const row of this.comments) row.descendant_count = this.counted.get(row.id as number)!.descendantCount;
    await insertRows(db, this.dialect, 'comments', COMMENT_COLUMNS, this.comments);
    await insertRows(db, this.dialect, 'imported_comments', IMPORTED_COLUMNS, this.imported);
    await insertRows(db, this.dialect, 'comment_reactions', REACTION_COLUMNS, this.reactions);
    await insertRows(db, this.dialect, 'comment_revisions', REVISION_COLUMNS, this.revisions);
    // The batch's articles, 64 to a statement (a batch of a large file touches hundreds).
    for (const piece of pieces([...this.perArticle])) {
      await sql`update articles set comment_count = comment_count + case id ${sql.join(
        piece.map(([id, n]) => sql`when ${id} then cast(${n} as integer)`),
        sql` `,
      )} end where id in (${sql.join(piece.map(([id]) => id))})`.execute(db);
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
