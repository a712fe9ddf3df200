import type { Generated } from 'kysely';
import type { AccountTables } from './tables/accounts.ts';
import type { CommentImportTables } from './tables/comment-imports.ts';
import type { CommentTables } from './tables/comments.ts';
import type { CommunityTables, JobTables } from './tables/community.ts';
import type { ConversationTables } from './tables/conversations.ts';
import type { MediaTables } from './tables/media.ts';
import type { ModerationTables } from './tables/moderation.ts';
import type { PassageTables } from './tables/passages.ts';
import type { SiteTables } from './tables/sites.ts';
import type { SsoTables } from './tables/sso.ts';
import type { SigninThrottleTables } from './tables/signin-throttle.ts';
import type { WebhookTables } from './tables/webhooks.ts';

// Table types for Kysely. Each feature keeps its tables in its own interface so that features grow
// without editing one another's types; `Database` joins them.
//
// Portable conventions, the same on SQLite and PostgreSQL:
// - instants are ISO 8601 UTC strings (`toISOString()`), which sort as they compare;
// - booleans are integers 0/1;
// - structured values are JSON text.

export interface EventsTable {
  id: Generated<number>;
  type: string;
  /** What the event is about, e.g. `article:12`; live streams and subscribers filter on it. */
  stream: string;
  actor_id: number | null;
  payload: string;
  created_at: string;
}

export interface ArticlesTable {
  id: Generated<number>;
  slug: string;
  /** What makes a re-import the same article: its source URL, or else its slug. */
  import_key: string;
  headline: string;
  standfirst: string | null;
  authors: string;
  dateline: string | null;
  published_at: string | null;
  time_zone: string;
  image: string | null;
  body: string;
  source_url: string | null;
  publication_name: string | null;
  comments_open: Generated<number>;
  comment_count: Generated<number>;
  created_at: string;
  updated_at: string;
  /** Order of the front page: publication time, or import time when the source gave none. */
  sort_at: string;
  /** The site (publication) the article belongs to (src/sites). */
  site_id: Generated<number>;
  /** Its address as embeds and imports match it (src/sites/addresses.ts addressKey); null without one. */
  address_key: string | null;
}

export interface CoreTables {
  events: EventsTable;
  articles: ArticlesTable;
}

// Moderation adds columns to comments and articles, so its versions of those two tables replace theirs.
export interface Database extends Omit<CoreTables, 'articles'>, AccountTables, Omit<CommentTables, 'comments'>, JobTables, CommunityTables, ModerationTables, MediaTables, SiteTables, SigninThrottleTables, SsoTables, CommentImportTables, WebhookTables, ConversationTables, PassageTables {}
