import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { prepared, preparedVariants } from '../db/prepared.ts';
import { findAccountById, visibleAddresses } from '../accounts/store.ts';
import { findSanction } from '../moderation/store.ts';
import type { Sanction } from '../moderation/sanctions.ts';
import type { CommentViewer } from './views.tsx';

type Db = Kysely<Database>;

// The per-viewer facts about the comments on a page: which the viewer reacted to and reported. Each
// is one read of the viewer's rows between the page's lowest and highest comment id (an index on
// reader and comment: a seek and a short scan), whatever the page's size; rows for comments in that
// range but not on the page are left out here. A list of the page's ids took a probe per id.

export interface ViewerMarks {
  reacted: Set<number>;
  reported: Set<number>;
}

type RangeArgs = { userId: number; low: number; high: number };
const reactedIn = prepared((db, a: RangeArgs) => db.selectFrom('comment_reactions').select('comment_id').where('user_id', '=', a.userId).where('comment_id', '>=', a.low).where('comment_id', '<=', a.high));
const reportedIn = prepared((db, a: RangeArgs) => db.selectFrom('comment_reports').select('comment_id').where('reporter_id', '=', a.userId).where('comment_id', '>=', a.low).where('comment_id', '<=', a.high));

/** The page's lowest and highest comment id. */
function idRange(ids: readonly number[]): { low: number; high: number } {
  let low = Infinity;
  let high = -Infinity;
  for (const id of ids) {
    if (id < low) low = id;
    if (id > high) high = id;
  }
  return { low, high };
}

/** The ids of `rows` that are on the page. */
const onPage = (rows: { comment_id: number | string }[], page: Set<number>) => new Set(rows.map((r) => Number(r.comment_id)).filter((id) => page.has(id)));

export async function viewerMarks(db: Db, userId: number, ids: number[]): Promise<ViewerMarks> {
  if (ids.length === 0) return { reacted: new Set(), reported: new Set() };
  const args = { userId, ...idRange(ids) };
  const page = new Set(ids);
  const [reactions, reports] = await Promise.all([reactedIn.all(db, args), reportedIn.all(db, args)]);
  return { reacted: onPage(reactions, page), reported: onPage(reports, page) };
}

/** Fills in the viewer's marks for these comments (nothing for an anonymous viewer). */
export async function markViewer(db: Db, v: CommentViewer, comments: { id: number }[]): Promise<void> {
  if (!v.actor) return;
  Object.assign(v, await viewerMarks(db, v.actor.userId, comments.map((c) => c.id)));
}

// A reader's own held or rejected comments are in their lists and nobody else's: their pages cannot be
// the shared HTML while they have one under the article (rare, and only until a moderator decides).
const ownHiddenUnder = (db: Db, a: { userId: number; articleId: number }) =>
  db.selectFrom('comments').select('id').where('author_id', '=', a.userId).where('article_id', '=', a.articleId).where('status', '!=', 'approved').where('deleted_at', 'is', null).limit(1);
const ownHidden = prepared(ownHiddenUnder);

// The reader's comments counted by status, kept in the transaction that changes one (comments/store.ts):
// most readers have none held or rejected anywhere, and one read by key says so. Only the others pay
// for the search under the article (an index range over the article's comments).
const hiddenCount = prepared((db, a: { userId: number }) => db.selectFrom('author_comment_counts').select(['held_count', 'rejected_count']).where('user_id', '=', a.userId));

export async function hasOwnHiddenComment(db: Db, userId: number, articleId: number): Promise<boolean> {
  const counts = await hiddenCount.first(db, { userId });
  if (!counts || Number(counts.held_count) + Number(counts.rejected_count) === 0) return false;
  return (await ownHidden.first(db, { userId, articleId })) !== undefined;
}

/** Everything the article page's section needs to know about a signed-in viewer (section.tsx). */
export interface ViewerFacts extends ViewerMarks {
  muted: Set<number>;
  following: Set<number>;
  followingArticle: boolean;
  sanction: Sanction | null;
  /** Whether one of the viewer's own held or rejected comments is under the article (hasOwnHiddenComment). */
  ownHidden: boolean;
}

// The signed-in article page asked these one by one: whom the viewer muted and follows, whether they
// follow the conversation, their held comments, their reactions and reports on the page: six reads,
// four of them built by Kysely on each request. One UNION ALL (two shapes: with the page's comments or
// without any) answers them all as (kind, number) rows; the sanction, a row of its own, is the second read.
type FactArgs = RangeArgs & { articleId: number };
const factsIn = preparedVariants((db, a: FactArgs, shape: 'page' | 'none') => {
  const kind = (k: string) => sql<string>`${sql.lit(k)}`.as('k');
  // The search under the article only for a reader with a held or rejected comment somewhere (hiddenCount).
  let query = db
    .selectFrom('author_comment_counts')
    .select([
      kind('h'),
      ownHiddenUnder(db, a).as('n'),
    ])
    .where('user_id', '=', a.userId)
    .where((eb) => eb(eb('held_count', '+', eb.ref('rejected_count')), '>', 0))
    .unionAll(db.selectFrom('reader_mutes').select([kind('m'), 'muted_id as n']).where('muter_id', '=', a.userId))
    .unionAll(db.selectFrom('reader_follows').select([kind('f'), 'followee_id as n']).where('follower_id', '=', a.userId))
    .unionAll(db.selectFrom('article_follows').select([kind('a'), 'article_id as n']).where('user_id', '=', a.userId).where('article_id', '=', a.articleId));
  if (shape === 'page') {
    query = query
      .unionAll(db.selectFrom('comment_reactions').select([kind('r'), 'comment_id as n']).where('user_id', '=', a.userId).where('comment_id', '>=', a.low).where('comment_id', '<=', a.high))
      .unionAll(db.selectFrom('comment_reports').select([kind('t'), 'comment_id as n']).where('reporter_id', '=', a.userId).where('comment_id', '>=', a.low).where('comment_id', '<=', a.high));
  }
  return query;
});

/** The viewer's facts for the article page with these comments on it: two reads. */
export async function viewerFacts(db: Db, userId: number, articleId: number, ids: readonly number[]): Promise<ViewerFacts> {
  // With no comments the range is empty (low above high), and that shape reads no reactions or reports.
  const args: FactArgs = { userId, articleId, ...(ids.length > 0 ? idRange(ids) : { low: 1, high: 0 }) };
  const page = new Set(ids);
  const [rows, sanction] = await Promise.all([factsIn(ids.length > 0 ? 'page' : 'none').all(db, args), findSanction(db, userId)]);
  const facts: ViewerFacts = { muted: new Set(), following: new Set(), followingArticle: false, sanction, ownHidden: false, reacted: new Set(), reported: new Set() };
  for (const { k, n } of rows) {
    if (k === 'h') facts.ownHidden = n !== null;
    else if (k === 'a') facts.followingArticle = true;
    else if (k === 'm' || k === 'f') (k === 'm' ? facts.muted : facts.following).add(Number(n));
    else if (page.has(Number(n))) (k === 'r' ? facts.reacted : facts.reported).add(Number(n));
  }
  return facts;
}

/**
 * Where the confirmation link went, for a signed-in reader who has not confirmed their address: the
 * composer's place says so ("We sent a confirmation link to pat@example.org"). Only ever on the
 * reader's own render: a signed-in page is never stored in the anonymous page cache.
 */
export async function markUnverifiedAddress(db: Db, v: CommentViewer): Promise<void> {
  if (!v.actor || v.actor.emailVerified) return;
  const account = await findAccountById(db, v.actor.userId);
  v.unverifiedEmail = account ? visibleAddresses(account).email : null;
}
