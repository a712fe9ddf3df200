import type { Generated } from 'kysely';

/** The passage a comment discusses (migration 0023, src/passages). */
export interface CommentPassagesTable {
  comment_id: number;
  article_id: number;
  /** The paragraph's number in the article's body, as in its #p-N anchor (from 1). */
  paragraph: number;
  exact: string;
  prefix: string;
  suffix: string;
  /** 1 once a re-import no longer contains the passage. */
  changed: Generated<number>;
  created_at: string;
}

/** Readable comments per paragraph, kept in the write path. */
export interface PassageCountsTable {
  article_id: number;
  paragraph: number;
  comment_count: Generated<number>;
}

export interface PassageTables {
  comment_passages: CommentPassagesTable;
  passage_counts: PassageCountsTable;
}
