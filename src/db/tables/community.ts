import type { ColumnType, Generated } from 'kysely';

// Jobs and durable subscriber positions (src/events/jobs.ts, src/events/subscriber.ts), and the
// community graph: follows, mutes, per-reader counts, list privacy and notification preferences.

/** Work to do outside a request (mail, webhooks), claimed by one runner at a time with a lease. */
export interface JobsTable {
  id: Generated<number>;
  /** Which handler runs it, e.g. 'email.notification'. */
  kind: string;
  /** What makes two enqueues the same job (e.g. "email:reply:<eventId>:<recipient>"); unique. */
  dedupe_key: string;
  /** JSON. */
  payload: string;
  /** Not before this instant; back-off moves it forward. */
  run_at: string;
  /** Started runs, counted at claim time so a job that kills its worker still uses up its attempts. */
  attempts: Generated<number>;
  max_attempts: number;
  /** The current claim: who holds it and until when. Null when nobody does. */
  lease_owner: ColumnType<string | null, string | null | undefined, string | null>;
  locked_until: ColumnType<string | null, string | null | undefined, string | null>;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: string;
  done_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** Gave up after max_attempts (or a permanent error); kept for inspection. */
  failed_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The last event each named subscriber has handled; it resumes after it. */
export interface SubscriberPositionsTable {
  name: string;
  last_event_id: number;
  /** The error that stopped it at the next event, if any; cleared when it moves on. */
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  error_count: Generated<number>;
  updated_at: string;
}

export interface ReaderFollowsTable {
  follower_id: number;
  followee_id: number;
  created_at: string;
}

export interface ArticleFollowsTable {
  user_id: number;
  article_id: number;
  created_at: string;
  /** When the reader last opened the conversation (migration 0021): the Following page counts replies after it. */
  last_seen_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Authors are names in articles.authors, so a follow is keyed by the normalised name. */
export interface AuthorFollowsTable {
  user_id: number;
  author_key: string;
  /** The name as the reader followed it, for display. */
  author_name: string;
  created_at: string;
}

export interface ReaderMutesTable {
  muter_id: number;
  muted_id: number;
  created_at: string;
}

/** Per-reader community state kept beside (not in) the users table: counts and list privacy. */
export interface ReaderStatsTable {
  user_id: number;
  follower_count: Generated<number>;
  following_count: Generated<number>;
  followers_private: Generated<number>;
  following_private: Generated<number>;
}

/** Only the kinds a reader changed are stored; the others take the defaults in community/model.ts. */
export interface NotificationPreferencesTable {
  user_id: number;
  kind: string;
  delivery: string;
  updated_at: string;
}

/** One row per reader per event that concerns them (see community/fanout.ts). */
export interface NotificationsTable {
  id: Generated<number>;
  recipient_id: number;
  /** A NotificationKind (community/model.ts). */
  kind: string;
  actor_id: number | null;
  article_id: number | null;
  comment_id: number | null;
  event_id: number;
  /** Readers a grouped notification (reactions) stands for; 1 otherwise. */
  actor_count: Generated<number>;
  created_at: string;
  read_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface JobTables {
  jobs: JobsTable;
  subscriber_positions: SubscriberPositionsTable;
}

export interface CommunityTables {
  reader_follows: ReaderFollowsTable;
  article_follows: ArticleFollowsTable;
  author_follows: AuthorFollowsTable;
  reader_mutes: ReaderMutesTable;
  reader_stats: ReaderStatsTable;
  notification_preferences: NotificationPreferencesTable;
  notifications: NotificationsTable;
  site_secrets: { name: string; value: string; created_at: string };
}
