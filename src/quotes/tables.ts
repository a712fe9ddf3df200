import type { Generated, Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

// The quotes feature's tables (migration 0020_quotes). Kept here rather than in db/schema.ts so the
// feature's types grow without touching the shared Database interface; `quotesDb` adds them.

export interface QuotePeopleTable {
  id: Generated<number>;
  site_id: number;
  /** Stable per site: the person's page is /people/:slug. */
  slug: string;
  name: string;
  created_at: string;
}

export interface QuotesTable {
  id: Generated<number>;
  article_id: number;
  person_id: number;
  /** Index of the paragraph in the article's body (its anchor on the page is #p-N, N = paragraph + 1). */
  paragraph: number;
  /** Order of the quote in the article. */
  position: number;
  text: string;
  /** The person's role as this article gives it. */
  role: string | null;
  /** 1 when an editor's correction set the speaker. */
  corrected: Generated<number>;
  created_at: string;
}

/** An editor's correction, applied again after every re-extraction. */
export interface QuoteCorrectionsTable {
  id: Generated<number>;
  article_id: number;
  /** The quote's words, normalised (model.ts quoteKey): what finds the quote again after a re-import. */
  quote_key: string;
  paragraph: number;
  /** 'speaker': `speaker` said it; 'not_quote': not a quote at all. */
  action: string;
  speaker: string | null;
  actor_id: number | null;
  created_at: string;
}

export interface QuoteTables {
  quote_people: QuotePeopleTable;
  quotes: QuotesTable;
  quote_corrections: QuoteCorrectionsTable;
}

export type QuotesDatabase = Database & QuoteTables;

export function quotesDb(db: Kysely<Database>): Kysely<QuotesDatabase>;
export function quotesDb(db: Transaction<Database>): Transaction<QuotesDatabase>;
export function quotesDb(db: Kysely<Database> | Transaction<Database>): Kysely<QuotesDatabase> {
  return db as unknown as Kysely<QuotesDatabase>;
}
