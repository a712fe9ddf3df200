import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { prepared, preparedVariants } from '../db/prepared.ts';
import { passageFromRow } from '../passages/model.ts';
import {
  ancestorIds,
  subtreeEnd,
  threadCursorAfter,
  type Comment,
  type ReplyCursor,
  type Sort,
  type Thread,
  type ThreadCursor,
} from './model.ts';

type Db = Kysely<Database>;

// Every read selects the comment with its author and, for "in reply to @name", its parent's author.
// With a viewer, lists leave out held, rejected and deleted comments except the viewer's own held ones
// and those that keep a place for their replies (shown as a placeholder): see src/moderation/README.md.
function selectComments(db: Db, viewerId?: number | null) {
  const query = selectAll(db);
  if (viewerId === undefined) return query;
  return query.where((eb) =>
    eb.or([
      eb.and([eb('c.status', '=', 'approved'), eb('c.deleted_at', 'is', null)]),
      eb('c.descendant_count', '>', 0),
      ...(viewerId === null ? [] : [eb.and([eb('c.author_id', '=', viewerId), eb('c.deleted_at', 'is', null)])]),
    ]),
  );
}

/** Who reads a list, as far as the query's shape goes: a signed-in viewer also sees their own held comments. */
type ViewerShape = 'anonymous' | 'reader';
const viewerShape = (viewerId: number | null): ViewerShape => (viewerId === null ? 'anonymous' : 'reader');
/** The viewer's placeholder value; the anonymous shape has no such placeholder, so any number will do. */
const viewerArg = (viewerId: number | null) => viewerId ?? -1;

function selectAll(db: Db) {
  return db
    .selectFrom('comments as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .leftJoin('comments as p', 'p.id', 'c.parent_id')
    .leftJoin('users as pu', 'pu.id', 'p.author_id')
    .leftJoin('comment_passages as cp', 'cp.comment_id', 'c.id')
    .select([
      'c.id',
      'c.article_id',
      'c.author_id',
      'c.parent_id',
      'c.root_id',
      'c.depth',
      'c.path',
      'c.body',
      'c.body_html',
      'c.descendant_count',
      'c.reaction_count',
      'c.created_at',
      'c.edited_at',
      'c.deleted_at',
      'c.deleted_reason',
      'c.status',
      'c.featured',
      'c.rejection_reason',
      'u.role',
      'u.handle',
      'u.display_name',
      'pu.handle as parent_handle',
      'pu.display_name as parent_display_name',
      'cp.paragraph as passage_paragraph',
      'cp.exact as passage_exact',
      'cp.prefix as passage_prefix',
      'cp.suffix as passage_suffix',
      'cp.changed as passage_changed',
    ]);
}

type CommentRow = Awaited<ReturnType<ReturnType<typeof selectAll>['executeTakeFirstOrThrow']>>;

export function rowToComment(row: CommentRow): Comment {
  return {
    id: Number(row.id),
    articleId: Number(row.article_id),
    author: { id: Number(row.author_id), handle: row.handle, displayName: row.display_name, role: row.role },
    parentId: row.parent_id === null ? null : Number(row.parent_id),
    rootId: row.root_id === null ? null : Number(row.root_id),
    depth: Number(row.depth),
    path: row.path,
    body: row.body,
    bodyHtml: row.body_html,
    descendantCount: Number(row.descendant_count),
    reactionCount: Number(row.reaction_count),
    createdAt: new Date(row.created_at),
    editedAt: row.edited_at ? new Date(row.edited_at) : null,
    deletedAt: row.deleted_at ? new Date(row.deleted_at) : null,
    deletedReason: row.deleted_reason,
    status: row.status === 'held' || row.status === 'rejected' ? row.status : 'approved',
    featured: Number(row.featured) === 1,
    rejectionReason: row.rejection_reason,
    parentAuthor: row.parent_handle ? { handle: row.parent_handle, displayName: row.parent_display_name ?? row.parent_handle } : null,
    passage: passageFromRow(row),
  };
}

// Read after every post and edit (and for every permalink): built once.
const commentById = prepared((db, a: { id: number }) => selectAll(db).where('c.id', '=', a.id));

export async function findComment(db: Db, id: number): Promise<Comment | null> {
  const row = await commentById.first(db, { id });
  return row ? rowToComment(row) : null;
}

export async function findComments(db: Db, ids: number[]): Promise<Comment[]> {
  if (ids.length === 0) return [];
  const rows = await selectComments(db).where('c.id', 'in', ids).execute();
  return rows.map(rowToComment);
}

/** The comments above this one, from the thread's first comment down to its parent. */
export async function findAncestors(db: Db, comment: Comment): Promise<Comment[]> {
  const found = await findComments(db, ancestorIds(comment));
  return found.sort((a, b) => a.depth - b.depth);
}

/** Marks the comments this reader has reacted to: one query for a whole page. */
export async function markReactions(db: Db, viewerId: number | null, comments: Comment[]): Promise<void> {
  if (viewerId === null || comments.length === 0) return;
  const rows = await db
    .selectFrom('comment_reactions')
    .select('comment_id')
    .where('user_id', '=', viewerId)
    .where('comment_id', 'in', comments.map((c) => c.id))
    .execute();
  const reacted = new Set(rows.map((r) => Number(r.comment_id)));
  for (const comment of comments) comment.reacted = reacted.has(comment.id);
}

/**
 * One page of an article's threads in the chosen order, each with its first replies. Two queries
 * whatever the article's size: the threads (an index range scan from the cursor), then the first
 * replies of every thread on the page in one UNION ALL of per-thread index range scans.
 */
type ThreadArgs = { articleId: number; viewerId: number; afterId: number; afterN: number; limit: number };

// The page's threads: one shape per order, cursor or none, and kind of viewer (src/db/prepared.ts).
const threadsQuery = preparedVariants((db, a: ThreadArgs, variant: `${Sort}:${'first' | 'after'}:${ViewerShape}`) => {
  const [sort, page, viewer] = variant.split(':') as [Sort, 'first' | 'after', ViewerShape];
  let query = selectComments(db, viewer === 'anonymous' ? null : a.viewerId).where('c.article_id', '=', a.articleId).where('c.depth', '=', 0);
  const after = page === 'after';
  if (sort === 'oldest') {
    if (after) query = query.where('c.id', '>', a.afterId);
    query = query.orderBy('c.id', 'asc');
  } else if (sort === 'newest') {
    if (after) query = query.where('c.id', '<', a.afterId);
    query = query.orderBy('c.id', 'desc');
  } else {
    const column = sort === 'replies' ? 'c.descendant_count' : 'c.reaction_count';
    if (after) query = query.where((eb) => eb(eb.refTuple(column, 'c.id'), '<', eb.tuple(a.afterN, a.afterId)));
    query = query.orderBy(column, 'desc').orderBy('c.id', 'desc');
  }
  return query.limit(a.limit);
});

export async function listThreads(
  db: Db,
  articleId: number,
  options: { sort: Sort; after: ThreadCursor | null; limit: number; repliesPerThread: number; viewerId?: number | null },
): Promise<{ threads: Thread[]; next: ThreadCursor | null }> {
  const { sort, after, limit } = options;
  const viewerId = options.viewerId ?? null;
  const rows = await threadsQuery(`${sort}:${after ? 'after' : 'first'}:${viewerShape(viewerId)}`).all(db, {
    articleId,
    viewerId: viewerArg(viewerId),
    afterId: after?.id ?? 0,
    afterN: after?.n ?? 0,
    limit: limit + 1,
  });
  const roots = rows.slice(0, limit).map(rowToComment);
  const last = roots[roots.length - 1];
  const next = rows.length > limit && last ? threadCursorAfter(sort, last) : null;
  const replies = await firstReplies(db, roots.filter((r) => r.descendantCount > 0), options.repliesPerThread, viewerId);
  const threads = roots.map((root) => {
    const shown = replies.get(root.id) ?? [];
    const lastShown = shown[shown.length - 1];
    const moreReplies = root.descendantCount > shown.length ? { c: root.id, p: lastShown?.path ?? '' } : null;
    return { root, replies: shown, moreReplies };
  });
  return { threads, next };
}

// The first replies of n threads: one UNION ALL of n per-thread index range scans, one shape per n.
const firstRepliesQuery = preparedVariants((db, a: Record<string, number>, variant: `${number}:${ViewerShape}`) => {
  const [n, viewer] = variant.split(':') as [string, ViewerShape];
  const slices = Array.from({ length: Number(n) }, (_, i) =>
    db.selectFrom(selectComments(db, viewer === 'anonymous' ? null : a.viewerId).where('c.root_id', '=', a[`root${i}`]!).orderBy('c.path').limit(a.perThread!).as(`t${i}`)).selectAll(),
  );
  let query = slices[0]!;
  for (const slice of slices.slice(1)) query = query.unionAll(slice);
  return query;
});

async function firstReplies(db: Db, roots: Comment[], perThread: number, viewerId: number | null): Promise<Map<number, Comment[]>> {
  const byRoot = new Map<number, Comment[]>();
  if (roots.length === 0 || perThread <= 0) return byRoot;
  const args: Record<string, number> = { viewerId: viewerArg(viewerId), perThread };
  roots.forEach((root, i) => (args[`root${i}`] = root.id));
  for (const row of await firstRepliesQuery(`${roots.length}:${viewerShape(viewerId)}`).all(db, args)) {
    const reply = rowToComment(row as CommentRow);
    const list = byRoot.get(reply.rootId!) ?? [];
    list.push(reply);
    byRoot.set(reply.rootId!, list);
  }
  for (const list of byRoot.values()) list.sort((a, b) => (a.path < b.path ? -1 : 1));
  return byRoot;
}

/** The next replies below a comment (any depth), depth first, oldest first among siblings. */
export async function listReplies(
  db: Db,
  parent: Comment,
  options: { after: string | null; limit: number; viewerId?: number | null },
): Promise<{ replies: Comment[]; next: ReplyCursor | null }> {
  const rootId = parent.rootId ?? parent.id;
  const from = options.after && options.after > parent.path ? options.after : parent.path;
  const rows = await selectComments(db, options.viewerId ?? null)
    .where('c.root_id', '=', rootId)
    .where('c.path', '>', from)
    .where('c.path', '<', subtreeEnd(parent.path))
    .orderBy('c.path')
    .limit(options.limit + 1)
    .execute();
  const replies = rows.slice(0, options.limit).map(rowToComment);
  const last = replies[replies.length - 1];
  return { replies, next: rows.length > options.limit && last ? { c: parent.id, p: last.path } : null };
}

/** When this author last posted, and what: the rate limit and the duplicate check read it. */
// A variant per limit, written into the SQL (db/sqlite-compiler.ts: SQLite plans a bound limit at every run).
const latestByAuthor = preparedVariants((db, a: { authorId: number }, limit: number) =>
  db.selectFrom('comments').select(['created_at', 'body', 'deleted_at']).where('author_id', '=', a.authorId).orderBy('id', 'desc').limit(limit),
);

/** The author's latest comments, newest first, deleted ones included (their text is empty). */
export async function latestCommentsBy(db: Db, authorId: number, limit = 5): Promise<{ createdAt: Date; body: string; deleted: boolean }[]> {
  const rows = await latestByAuthor(limit).all(db, { authorId });
  return rows.map((row) => ({ createdAt: new Date(row.created_at), body: row.body, deleted: row.deleted_at !== null }));
}

export async function listRevisions(db: Db, commentId: number): Promise<{ body: string; writtenAt: Date; replacedAt: Date }[]> {
  const rows = await db.selectFrom('comment_revisions').selectAll().where('comment_id', '=', commentId).orderBy('id').execute();
  return rows.map((r) => ({ body: r.body, writtenAt: new Date(r.written_at), replacedAt: new Date(r.replaced_at) }));
}

/** The author's last few comment texts, newest first: the repeated-text rule compares against them. */
const recentBodies = preparedVariants((db, a: { authorId: number; exceptId: number }, limit: number) =>
  db.selectFrom('comments').select('body').where('author_id', '=', a.authorId).where('deleted_at', 'is', null).where('id', '!=', a.exceptId).orderBy('id', 'desc').limit(limit),
);

export async function recentBodiesBy(db: Db, authorId: number, exceptId: number | null, limit = 5): Promise<string[]> {
  // Ids start at 1, so 0 excludes nothing.
  const rows = await recentBodies(limit).all(db, { authorId, exceptId: exceptId ?? 0 });
  return rows.map((r) => r.body);
}
