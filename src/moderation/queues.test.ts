import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { countHeldQuery } from './held-count.ts';
import { queueQuery, type Queue } from './queues.ts';

// The partial indexes of migration 0031 serve the queues only while each query states their
// conditions: a query rewritten without them would scan every comment, and nothing else would notice.
describe('the moderation queues read through their partial indexes', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: '', databaseUrl: null, sqliteFile: ':memory:' });
    await migrateToLatest(db);
  });
  afterAll(async () => db.close());

  async function plan(query: { compile(): { sql: string; parameters: readonly unknown[] } }): Promise<string> {
    const { sql: text, parameters } = query.compile();
    const result = await db.kysely.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${text}`, [...parameters]));
    return result.rows.map((r) => r.detail).join(' | ');
  }

  it.each<[Queue, string]>([
    ['held', 'comments_unapproved'],
    ['rejected', 'comments_unapproved'],
    ['reported', 'comments_reported'],
  ])('the %s queue uses %s', async (queue, index) => {
    expect(await plan(queueQuery(db.kysely, queue, { articleId: null, before: null, limit: 50 }))).toContain(`USING INDEX ${index}`);
    expect(await plan(queueQuery(db.kysely, queue, { articleId: null, before: 100, limit: 50 }))).toContain(`USING INDEX ${index}`);
  });

  it("a site moderator's held queue uses comments_unapproved", async () => {
    expect(await plan(queueQuery(db.kysely, 'held', { articleId: null, before: null, limit: 50, siteIds: [1] }))).toContain('USING INDEX comments_unapproved');
  });

  it("one article's held queue reads its held comments, not the article's", async () => {
    expect(await plan(queueQuery(db.kysely, 'held', { articleId: 1, before: null, limit: 50 }))).toContain('USING INDEX comments_unapproved');
  });

  it("the held count in moderators' pages uses comments_unapproved", async () => {
    expect(await plan(countHeldQuery(db.kysely, []))).toContain('USING INDEX comments_unapproved');
    expect(await plan(countHeldQuery(db.kysely, [1, 2]))).toContain('USING INDEX comments_unapproved');
  });

  it('no longer keeps an entry for every comment in the moderation indexes', async () => {
    const names = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'comments'`.execute(db.kysely);
    expect(names.rows.map((r) => r.name)).not.toContain('comments_status');
    expect(names.rows.map((r) => r.name)).not.toContain('comments_open_reports');
  });
});
