import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { migrations } from '../../src/db/migrations.ts';
import { dialects, testSchemaName } from '../helpers/app.ts';

// A database made before a migration keeps its data and gains what the migration adds: the per-author
// counts (0010), filled from the comments already there; our own copies of pictures (0012), made by
// jobs for the articles imported before.

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

  it("turns the publisher's picture addresses of articles imported before 0012 into sources to copy, and back", async () => {
    expect((await migrator.migrateTo('0011_events_by_type')).error).toBeUndefined();
    const now = new Date().toISOString();
    const image = { src: 'https://pictures.example/lead.jpg', alt: 'A harbour', caption: 'The harbour', credit: 'Jo Bloggs' };
    const values = (slug: string, picture: object | null) =>
      ({ slug, import_key: slug, headline: slug, authors: '[]', time_zone: 'UTC', body: '[]', created_at: now, updated_at: now, sort_at: now, image: picture && JSON.stringify(picture) }) as never;
    await db.kysely.insertInto('articles').values([values('with-picture', image), values('text-import', { ...image, src: null }), values('no-picture', null)]).execute();
    await migrateToLatest(db);
    const pictures = async () =>
      Object.fromEntries(
        (await db.kysely.selectFrom('articles').select(['slug', 'image']).where('slug', 'in', ['with-picture', 'text-import', 'no-picture']).execute()).map((r) => [r.slug, r.image && JSON.parse(r.image)]),
      );
    expect(await pictures()).toEqual({
      'with-picture': { ...image, src: null, sourceSrc: 'https://pictures.example/lead.jpg', width: null, height: null, srcset: [] },
      'text-import': { ...image, src: null },
      'no-picture': null,
    });
    const jobs = await db.kysely.selectFrom('jobs').select(['kind', 'payload']).where('kind', '=', 'media.article_image').execute();
    expect(jobs.map((j) => JSON.parse(j.payload).sourceUrl)).toEqual(['https://pictures.example/lead.jpg']);
    expect((await migrator.migrateTo('0011_events_by_type')).error).toBeUndefined();
    expect((await pictures())['with-picture']).toEqual(image);
    await migrateToLatest(db);
  });
});
