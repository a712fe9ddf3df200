import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { migrations } from '../../src/db/migrations.ts';
import { dialects, testSchemaName } from '../helpers/app.ts';

// A database made before a migration keeps its data and gains what the migration adds: here the
// per-author counts (0010), filled from the comments already there.

describe.each(dialects)('migrations on %s', (dialect) => {
  let db: Db;
  let migrator: Migrator;
  beforeAll(async () => {
    const pgSchema = dialect === 'postgres' ? testSchemaName('m') : undefined;
    db = await openDatabase({ dataDir: '', databaseUrl: dialect === 'postgres' ? process.env.PARLEY_TEST_DATABASE_URL! : null, sqliteFile: ':memory:', pgSchema });
    migrator = new Migrator({ db: db.kysely, provider: { getMigrations: async () => migrations }, ...(db.pgSchema ? { migrationTableSchema: db.pgSchema } : {}) });
  });
  afterAll(async () => db?.close());

  it('counts the comments that existed before 0010 by author and status, and can be rolled back', async () => {
    expect((await migrator.migrateTo('0009_notification_groups')).error).toBeUndefined();
    const now = new Date().toISOString();
    const user = async (handle: string) =>
      Number(
        (
          await db.kysely
            .insertInto('users')
            .values({ email: `${handle}@example.com`, display_name: handle, display_name_key: handle, handle, bio: '', role: 'reader', created_at: now, updated_at: now } as never)
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
    const [ann, ben] = [await user('ann'), await user('ben')];
    const article = Number(
      (
        await db.kysely
          .insertInto('articles')
          .values({ slug: 'a', import_key: 'a', headline: 'A', authors: '[]', time_zone: 'UTC', body: '[]', created_at: now, updated_at: now, sort_at: now } as never)
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
    );
    const statuses: [number, string][] = [[ann, 'approved'], [ann, 'approved'], [ann, 'held'], [ann, 'rejected'], [ben, 'held']];
    for (const [author, status] of statuses) {
      await db.kysely.insertInto('comments').values({ article_id: article, author_id: author, depth: 0, path: '', body: 'x', body_html: '<p>x</p>', created_at: now, status } as never).execute();
    }
    await migrateToLatest(db);
    const counts = await db.kysely.selectFrom('author_comment_counts').selectAll().orderBy('user_id').execute();
    expect(counts.map((c) => [Number(c.user_id), Number(c.approved_count), Number(c.held_count), Number(c.rejected_count)])).toEqual([
      [ann, 2, 1, 1],
      [ben, 0, 1, 0],
    ]);
    // Down again to 0009 and up: the same counts, from the same comments.
    expect((await migrator.migrateTo('0009_notification_groups')).error).toBeUndefined();
    await migrateToLatest(db);
    expect(await db.kysely.selectFrom('author_comment_counts').select((eb) => eb.fn.sum<number>('approved_count').as('n')).executeTakeFirstOrThrow()).toEqual({ n: 2 });
  });
});
