import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ReaderComment, ReaderListing, ReaderSummary } from './pages.tsx';
import { parseStoredDetail } from './model.ts';
import { authorStatusOf } from './sanctions.ts';
import { authorHistory, findSanction } from './store.ts';

// What the readers' pages of moderation show: one reader's standing and latest comments, and the
// readers moderators are keeping an eye on (sanctioned, or recently noted).

type Db = Kysely<Database>;

export async function readerSummary(db: Db, userId: number, now = new Date()): Promise<ReaderSummary | null> {
  const [history, sanction] = await Promise.all([authorHistory(db, userId), findSanction(db, userId)]);
  if (!history) return null;
  return {
    handle: history.handle,
    displayName: history.displayName,
    role: history.role,
    createdAt: history.createdAt.toISOString(),
    status: authorStatusOf(sanction, now),
    sanction,
    approvedCount: history.approvedCount,
    heldCount: history.heldCount,
    rejectedCount: history.rejectedCount,
  };
}

/** The reader's latest comments in every status, on the given sites only (empty: every site). */
export async function readerComments(db: Db, userId: number, siteIds: readonly number[], limit = 20): Promise<ReaderComment[]> {
  let query = db
    .selectFrom('comments as c')
    .innerJoin('articles as a', 'a.id', 'c.article_id')
    .select(['c.id', 'c.status', 'c.body', 'c.created_at', 'c.moderation_code', 'c.moderation_detail', 'c.moderation_detail_values', 'c.moderation_phase', 'c.rejection_reason', 'a.slug', 'a.headline'])
    .where('c.author_id', '=', userId)
    .where('c.deleted_at', 'is', null);
  if (siteIds.length) query = query.where('a.site_id', 'in', [...siteIds]);
  const rows = await query.orderBy('c.id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    articleSlug: r.slug,
    headline: r.headline,
    status: r.status,
    body: r.body,
    createdAt: r.created_at,
    reason: { code: r.moderation_code, detail: r.moderation_detail, detailValues: parseStoredDetail(r.moderation_detail_values), phase: r.moderation_phase },
    rejectionReason: r.rejection_reason,
  }));
}

export async function sanctionedReaders(db: Db, limit = 50): Promise<ReaderListing[]> {
  const rows = await db
    .selectFrom('reader_sanctions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.handle', 'u.display_name', 's.kind', 's.until', 's.reason', 's.created_at'])
    .where('u.deleted_at', 'is', null)
    .orderBy('s.created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    handle: r.handle,
    displayName: r.display_name,
    detail: { kind: r.kind, until: r.kind === 'suspend' && r.until ? r.until : null, reason: r.reason },
  }));
}

export async function recentlyNotedReaders(db: Db, limit = 20): Promise<ReaderListing[]> {
  const rows = await db
    .selectFrom('moderator_notes as n')
    .innerJoin('users as u', 'u.id', 'n.user_id')
    .select((eb) => ['u.handle', 'u.display_name', eb.fn.max('n.id').as('last'), eb.fn.countAll<number | string>().as('n')])
    .where('u.deleted_at', 'is', null)
    .groupBy(['u.id', 'u.handle', 'u.display_name'])
    .orderBy('last', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ handle: r.handle, displayName: r.display_name, detail: { notes: Number(r.n) } }));
}
