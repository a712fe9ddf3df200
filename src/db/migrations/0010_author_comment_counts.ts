import { sql, type Kysely } from 'kysely';
import { refType } from '../migration-helpers.ts';

// Each reader's comments counted by status, kept in the transaction that changes a status (like the
// article's comment count). The moderation pipeline reads them on every post; counting them from the
// comments table cost time in proportion to how much the reader had ever written.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('author_comment_counts')
    .addColumn('user_id', refType(db), (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('approved_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('held_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`
    insert into author_comment_counts (user_id, approved_count, held_count, rejected_count)
    select author_id,
           sum(case when status = 'approved' then 1 else 0 end),
           sum(case when status = 'held' then 1 else 0 end),
           sum(case when status = 'rejected' then 1 else 0 end)
    from comments group by author_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('author_comment_counts').execute();
}
