import type { Generated } from 'kysely';

/** An author in another comment system, shown through a placeholder account (migration 0018). */
export interface ImportedProfilesTable {
  id: Generated<number>;
  /** 'disqus' | 'wordpress' | 'commento' | 'remark42' | 'parley' */
  source: string;
  source_id: string;
  /** The placeholder account the imported comments are written by until a reader claims them. */
  user_id: number;
  /** SHA-256 of the lower-cased address the source gave; never the address. */
  email_hash: string | null;
  claimed_by: number | null;
  claimed_at: string | null;
  created_at: string;
}

/** Which of our comments a source comment became: what makes a second run change nothing. */
export interface ImportedCommentsTable {
  source: string;
  source_id: string;
  comment_id: number;
  /** Likes the source counted without naming who gave them (included in the comment's reaction_count). */
  source_reactions: Generated<number>;
  imported_at: string;
}

export interface CommentImportTables {
  imported_profiles: ImportedProfilesTable;
  imported_comments: ImportedCommentsTable;
}
