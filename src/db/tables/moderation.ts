import type { Generated } from 'kysely';
import type { CommentsTable } from './comments.ts';
import type { ArticlesTable } from '../schema.ts';

/** What moderation adds to every comment (migration 0007). */
export interface CommentModerationColumns {
  /** 'approved' (everyone sees it), 'held' (waiting for a moderator), 'rejected'. */
  status: Generated<string>;
  /** The pipeline's or the moderator's reason: a code, a sentence for moderators, the phase. */
  moderation_code: string | null;
  moderation_detail: string | null;
  /** JSON { key, values } of moderation_detail's catalog sentence (migration 0029); null for older rows. */
  moderation_detail_values: string | null;
  moderation_phase: string | null;
  /** JSON array of tags. */
  moderation_tags: Generated<string>;
  spam_score: number | null;
  /** What the author is told when a moderator rejects the comment. */
  rejection_reason: string | null;
  featured: Generated<number>;
  report_count: Generated<number>;
  /** Reports no moderator has looked at yet: the "reported" queue. */
  open_reports: Generated<number>;
  /** 0 until a moderator has looked at it: the "recent" queue. */
  seen: Generated<number>;
  moderated_at: string | null;
  moderated_by: number | null;
}

/** Each reader's comments by status (migration 0010), kept with every status change. */
export interface AuthorCommentCountsTable {
  user_id: number;
  approved_count: Generated<number>;
  held_count: Generated<number>;
  rejected_count: Generated<number>;
}

export interface CommentReportsTable {
  comment_id: number;
  reporter_id: number;
  reason: string;
  text: string | null;
  created_at: string;
}

/** A reader's current sanction, one row per reader (the history is in the audit log). */
export interface ReaderSanctionsTable {
  user_id: number;
  kind: string;
  until: string | null;
  reason: string;
  acknowledged_at: string | null;
  created_by: number | null;
  created_at: string;
}

/** Append-only: nothing updates or deletes these rows. */
export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number | null;
  action: string;
  target_type: string;
  target_id: string;
  reason: string | null;
  detail: Generated<string>;
  created_at: string;
}

/** Moderators' notes on a reader (migration 0022), private to moderators; only ever inserted. */
export interface ModeratorNotesTable {
  id: Generated<number>;
  user_id: number;
  author_id: number | null;
  body: string;
  created_at: string;
}

export interface ModerationTables {
  comments: CommentsTable & CommentModerationColumns;
  articles: ArticlesTable & { moderation_mode: Generated<string> };
  comment_reports: CommentReportsTable;
  reader_sanctions: ReaderSanctionsTable;
  audit_log: AuditLogTable;
  author_comment_counts: AuthorCommentCountsTable;
  moderator_notes: ModeratorNotesTable;
}
