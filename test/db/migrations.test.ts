import { Migrator, sql } from 'kysely';
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

  it('adds the sign-in throttle and known devices (0016), and takes them away again', async () => {
    const names = Object.keys(migrations);
    const before = names[names.indexOf('0016_signin_throttle') - 1]!;
    await migrateToLatest(db);
    const now = new Date().toISOString();
    const userId = Number((await db.kysely.selectFrom('users').select('id').orderBy('id').executeTakeFirstOrThrow()).id);
    await db.kysely.insertInto('signin_throttle').values({ key: 'k', failures: 1, blocked_until: null, expires_at: now }).execute();
    await db.kysely.insertInto('known_devices').values({ token_hash: 'h', user_id: userId, created_at: now, last_used_at: now }).execute();
    // One browser is known once per account.
    await expect(db.kysely.insertInto('known_devices').values({ token_hash: 'h', user_id: userId, created_at: now, last_used_at: now }).execute()).rejects.toThrow();
    expect((await migrator.migrateTo(before)).error).toBeUndefined();
    await expect(db.kysely.selectFrom('known_devices').selectAll().execute()).rejects.toThrow();
    await migrateToLatest(db);
    expect(await db.kysely.selectFrom('signin_throttle').selectAll().execute()).toEqual([]);
  });

  it('adds the single sign-on links, spent token ids and OpenID flows (0015), and takes them away again', async () => {
    await migrateToLatest(db);
    const now = new Date().toISOString();
    const userId = Number((await db.kysely.selectFrom('users').select('id').orderBy('id').executeTakeFirstOrThrow()).id);
    const siteId = Number((await db.kysely.selectFrom('sites').select('id').where('key', '=', 'default').executeTakeFirstOrThrow()).id);
    const link = { provider: `site:${siteId}`, subject: 'publisher-42', user_id: userId, site_id: siteId, created_at: now, last_used_at: now };
    await db.kysely.insertInto('sso_identities').values(link).execute();
    // One publisher account links to one Parley account.
    await expect(db.kysely.insertInto('sso_identities').values(link).execute()).rejects.toThrow();
    await db.kysely.insertInto('sso_used_tokens').values({ site_id: siteId, jti: 'j1', expires_at: now }).execute();
    await expect(db.kysely.insertInto('sso_used_tokens').values({ site_id: siteId, jti: 'j1', expires_at: now }).execute()).rejects.toThrow();
    await db.kysely.insertInto('sso_oidc_flows').values({ browser_hash: 'b', site_id: siteId, state: 's', nonce: 'n', code_verifier: 'v', next_path: '/', expires_at: now }).execute();
    expect((await migrator.migrateTo('0014_sites')).error).toBeUndefined();
    await expect(db.kysely.selectFrom('sso_identities').selectAll().execute()).rejects.toThrow();
    await migrateToLatest(db);
    expect(await db.kysely.selectFrom('sso_identities').selectAll().execute()).toEqual([]);
  });
  it('adds the shared rate-limit counters (0017), and takes them away again', async () => {
    const names = Object.keys(migrations);
    const before = names[names.indexOf('0017_rate_limits') - 1]!;
    await migrateToLatest(db);
    await sql`insert into rate_limits (key, hits, window_ends_at) values ('POST /x|127.0.0.1', 1, ${Date.now() + 60_000})`.execute(db.kysely);
    // One counter per key.
    await expect(sql`insert into rate_limits (key, hits, window_ends_at) values ('POST /x|127.0.0.1', 1, 0)`.execute(db.kysely)).rejects.toThrow();
    expect((await migrator.migrateTo(before)).error).toBeUndefined();
    await expect(sql`select * from rate_limits`.execute(db.kysely)).rejects.toThrow();
    await migrateToLatest(db);
    expect((await sql`select * from rate_limits`.execute(db.kysely)).rows).toEqual([]);
  });

  it('adds imported profiles and the source-id map of imported comments (0018), and takes them away again', async () => {
    const names = Object.keys(migrations);
    const before = names[names.indexOf('0018_comment_imports') - 1]!;
    await migrateToLatest(db);
    const now = new Date().toISOString();
    const userId = Number((await db.kysely.selectFrom('users').select('id').orderBy('id').executeTakeFirstOrThrow()).id);
    const profile = { source: 'disqus', source_id: 'user-1', user_id: userId, email_hash: null, claimed_by: null, claimed_at: null, created_at: now };
    await db.kysely.insertInto('imported_profiles').values(profile).execute();
    // One profile per author of a source.
    await expect(db.kysely.insertInto('imported_profiles').values(profile).execute()).rejects.toThrow();
    expect((await migrator.migrateTo(before)).error).toBeUndefined();
    await expect(db.kysely.selectFrom('imported_comments').selectAll().execute()).rejects.toThrow();
    await migrateToLatest(db);
    expect(await db.kysely.selectFrom('imported_profiles').selectAll().execute()).toEqual([]);
  });

  it('adds webhook endpoints and their delivery log (0019), and takes them away again', async () => {
    const names = Object.keys(migrations);
    const before = names[names.indexOf('0019_webhooks') - 1]!;
    await migrateToLatest(db);
    const now = new Date().toISOString();
    const siteId = Number((await db.kysely.selectFrom('sites').select('id').where('key', '=', 'default').executeTakeFirstOrThrow()).id);
    const endpoint = await db.kysely
      .insertInto('webhook_endpoints')
      .values({ site_id: siteId, url: 'https://hooks.example/in', description: '', events: '["comment.created"]', secret: 'whsec_x', enabled: 1, created_by: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.kysely
      .insertInto('webhook_deliveries')
      .values({ endpoint_id: Number(endpoint.id), message_id: 'msg_1_1', event_type: 'comment.created', job_id: null, attempt: 1, outcome: 'delivered', response_status: 200, duration_ms: 3, error: null, created_at: now })
      .execute();
    // A delivery belongs to an endpoint that exists.
    await expect(
      db.kysely.insertInto('webhook_deliveries').values({ endpoint_id: 987654, message_id: 'm', event_type: 't', job_id: null, attempt: 1, outcome: 'failed', response_status: null, duration_ms: 0, error: null, created_at: now }).execute(),
    ).rejects.toThrow();
    expect((await migrator.migrateTo(before)).error).toBeUndefined();
    await expect(db.kysely.selectFrom('webhook_endpoints').selectAll().execute()).rejects.toThrow();
    await migrateToLatest(db);
    expect(await db.kysely.selectFrom('webhook_deliveries').selectAll().execute()).toEqual([]);
  });
});
