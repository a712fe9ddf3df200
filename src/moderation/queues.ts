import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { parseStoredDetail, type StoredDetail } from './model.ts';
import { authorStatusOf } from './sanctions.ts';
import { notesOf, type ModeratorNote } from './notes.ts';
import { authorHistory, findSanction, reportsOf, type ReportFact } from './store.ts';

// The moderators' queues. Each is a keyset page on comment id, newest first, optionally for one article.

export const QUEUES = ['held', 'reported', 'recent', 'approved', 'rejected', 'featured'] as const;
export type Queue = (typeof QUEUES)[number];
export const isQueue = (value: string): value is Queue => (QUEUES as readonly string[]).includes(value);

export interface QueueItem {
  id: number;
  status: string;
  body: string;
  bodyHtml: string;
  createdAt: string;
  editedAt: string | null;
  featured: boolean;
  article: { id: number; slug: string; headline: string };
  /** `detail` is the stored English; `detailValues` its catalog key and values (null for older rows). */
  reason: { code: string | null; detail: string | null; detailValues: StoredDetail | null; phase: string | null };
  rejectionReason: string | null;
  tags: string[];
  spamScore: number | null;
  reportCount: number;
  openReports: number;
  reports: ReportFact[];
  author: {
    handle: string;
    displayName: string;
    role: string;
    approvedCount: number;
    rejectedCount: number;
    accountAgeDays: number;
    status: string;
    /** The current sanction's reason. */
    sanctionReason: string | null;
    /** Moderators' notes on this reader, newest first (src/moderation/notes.ts). */
    notes: ModeratorNote[];
  };
  /** The comment it answers, for context. */
  parent: { id: number; author: string; body: string } | null;
}

export interface QueueOptions {
  articleId: number | null;
  before: number | null;
  limit: number;
  /** The sites of a moderator limited to some (src/moderation/scope.ts); empty or absent: every site. */
  siteIds?: readonly number[];
  now?: Date;
}

// The held, rejected and reported queues are read through the partial indexes of migration 0031
// (comments_unapproved, comments_reported). SQLite uses a partial index only for a query that states
// the index's condition itself, with the same literal: these conditions are that statement, and they
// change nothing in the rows found.
export const NOT_APPROVED = ['c.status', '<>', sql.lit('approved')] as const;
export const HAS_OPEN_REPORTS = ['c.open_reports', '>', sql.lit(0)] as const;

/** One page of a queue, newest first: the query, for listQueue and for the tests of its plan. */
export function queueQuery(db: Kysely<Database>, queue: Queue, options: Omit<QueueOptions, 'now'>) {
  let query = db
    .selectFrom('comments as c')
    .innerJoin('articles as a', 'a.id', 'c.article_id')
    .leftJoin('comments as p', 'p.id', 'c.parent_id')
    .leftJoin('users as pu', 'pu.id', 'p.author_id')
    .select([
      'c.id', 'c.author_id', 'c.status', 'c.body', 'c.body_html', 'c.created_at', 'c.edited_at', 'c.featured', 'c.moderation_code', 'c.moderation_detail', 'c.moderation_detail_values',
      'c.moderation_phase', 'c.moderation_tags', 'c.spam_score', 'c.rejection_reason', 'c.report_count', 'c.open_reports',
      'a.slug', 'a.headline', 'a.id as article_id', 'p.id as parent_id', 'p.body as parent_body', 'pu.display_name as parent_author',
    ])
    .where('c.deleted_at', 'is', null);
  switch (queue) {
    case 'held':
    case 'rejected':
      query = query.where('c.status', '=', queue).where(...NOT_APPROVED);
      break;
    case 'approved':
      query = query.where('c.status', '=', queue);
      break;
    case 'reported':
      query = query.where(...HAS_OPEN_REPORTS).where('c.status', '!=', 'rejected');
      break;
    case 'recent':
      query = query.where('c.status', '=', 'approved').where('c.seen', '=', 0);
      break;
    case 'featured':
      query = query.where('c.status', '=', 'approved').where('c.featured', '=', 1);
      break;
  }
  if (options.articleId !== null) query = query.where('c.article_id', '=', options.articleId);
  if (options.siteIds?.length) query = query.where('a.site_id', 'in', [...options.siteIds]);
  if (options.before !== null) query = query.where('c.id', '<', options.before);
  return query.orderBy('c.id', 'desc').limit(options.limit + 1);
}

export async function listQueue(db: Kysely<Database>, queue: Queue, options: QueueOptions) {
  const rows = await queueQuery(db, queue, options).execute();
  const now = options.now ?? new Date();
  const items: QueueItem[] = [];
  const notes = await notesOf(db, rows.slice(0, options.limit).map((r) => Number(r.author_id)), 5);
  for (const r of rows.slice(0, options.limit)) {
    const authorId = Number(r.author_id);
    const [history, sanction, reports] = await Promise.all([authorHistory(db, authorId), findSanction(db, authorId), reportsOf(db, Number(r.id))]);
    items.push({
      id: Number(r.id),
      status: r.status,
      body: r.body,
      bodyHtml: r.body_html,
      createdAt: r.created_at,
      editedAt: r.edited_at,
      featured: Number(r.featured) === 1,
      article: { id: Number(r.article_id), slug: r.slug, headline: r.headline },
      reason: { code: r.moderation_code, detail: r.moderation_detail, detailValues: parseStoredDetail(r.moderation_detail_values), phase: r.moderation_phase },
      rejectionReason: r.rejection_reason,
      tags: JSON.parse(r.moderation_tags) as string[],
      spamScore: r.spam_score === null ? null : Number(r.spam_score),
      reportCount: Number(r.report_count),
      openReports: Number(r.open_reports),
      reports,
      author: {
        handle: history?.handle ?? '',
        displayName: history?.displayName ?? '',
        role: history?.role ?? 'reader',
        approvedCount: history?.approvedCount ?? 0,
        rejectedCount: history?.rejectedCount ?? 0,
        accountAgeDays: history ? Math.floor((now.getTime() - history.createdAt.getTime()) / 86_400_000) : 0,
        status: authorStatusOf(sanction, now),
        sanctionReason: sanction?.reason ?? null,
        notes: notes.get(authorId) ?? [],
      },
      parent: r.parent_id === null ? null : { id: Number(r.parent_id), author: r.parent_author ?? '', body: (r.parent_body ?? '').slice(0, 280) },
    });
  }
  const last = items[items.length - 1];
  return { items, next: rows.length > options.limit && last ? last.id : null };
}
