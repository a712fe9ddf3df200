import type { Generated } from 'kysely';

export interface CommentsTable {
  id: Generated<number>;
  article_id: number;
  author_id: number;
  /** Null for a thread's first comment. */
  parent_id: number | null;
  /** The thread's first comment; null for that comment itself. */
  root_id: number | null;
  /** 0 for a thread's first comment, 1 for a reply to it, and so on. */
  depth: number;
  /**
   * The reply's place in its thread: the ids from the thread's first reply down to this one, each as
   * 8 base-36 digits. Sorting a thread by path gives replies depth first, oldest first among siblings,
   * and a comment's replies are the paths that start with its own. Empty for a thread's first comment.
   */
  path: string;
  /** The Markdown source; empty once the comment is deleted. */
  body: string;
  /** Rendered once at write time, so reading a page renders nothing. */
  body_html: string;
  /** Every comment below this one (deleted ones keep their place and so still count). */
  descendant_count: Generated<number>;
  reaction_count: Generated<number>;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  /** 'author' (self-delete or account deletion); moderation will add its own reasons. */
  deleted_reason: string | null;
}

/** Earlier versions of an edited comment, for moderators. */
export interface CommentRevisionsTable {
  id: Generated<number>;
  comment_id: number;
  body: string;
  /** When this version was written (the comment's creation or a previous edit). */
  written_at: string;
  replaced_at: string;
}

export interface CommentReactionsTable {
  comment_id: number;
  user_id: number;
  created_at: string;
}

/** Site settings: one JSON value per key (see src/settings/model.ts for the keys and defaults). */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface CommentTables {
  comments: CommentsTable;
  comment_revisions: CommentRevisionsTable;
  comment_reactions: CommentReactionsTable;
  settings: SettingsTable;
}
