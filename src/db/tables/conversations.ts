import type { ColumnType } from 'kysely';

/**
 * How alive each article's conversation is (migration 0021, src/conversations): kept in the
 * transaction of every change to the set of readable comments, like articles.comment_count.
 */
export interface ConversationActivityTable {
  article_id: number;
  site_id: number;
  /** ln Σ e^((t − epoch)/τ) over the readable comments (src/conversations/model.ts); null once none weigh anything. */
  activity_key: ColumnType<number | null, number | null | undefined, number | null>;
  /** The newest readable comment's creation time. */
  last_comment_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ConversationTables {
  conversation_activity: ConversationActivityTable;
}
