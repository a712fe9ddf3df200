import { sql, type Kysely } from 'kysely';
import { addIdColumn, isPostgres, refType } from '../migration-helpers.ts';

// Several publications on one Parley. What existed becomes the default site, in place: every article
// is given to it, and nothing else changes. Articles also get the key their address is matched by
// (embeds, counts, comment imports); the rule is copied here as it stood, so that this migration
// means the same thing whatever later code does (see src/sites/addresses.ts).

const TRACKING_PARAMS = /^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|igshid|ref_src)$/i;

function addressKeyAsOf0014(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const port = url.port ? `:${url.port}` : '';
  const path = url.pathname.replace(/\/+$/, '');
  const params = [...url.searchParams.entries()].filter(([name]) => !TRACKING_PARAMS.test(name)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = params.length ? `?${new URLSearchParams(params).toString()}` : '';
  return `${host}${port}${path}${query}`;
}

export async function up(db: Kysely<any>): Promise<void> {
  const ref = refType(db);
  await addIdColumn(db, db.schema.createTable('sites'))
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('origins', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('sso', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('theme', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  const now = new Date().toISOString();
  // The name the pages have always shown; an admin renames it on the sites page.
  const name = 'Parley';
  const site = await db.insertInto('sites').values({ key: 'default', name, origins: '[]', sso: '{}', theme: '{}', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
  const siteId = Number(site.id);

  // SQLite cannot add a column with a REFERENCES clause and a non-null default; the code always names the site.
  await db.schema.alterTable('articles').addColumn('site_id', ref, (c) => c.notNull().defaultTo(siteId)).execute();
  await db.schema.alterTable('articles').addColumn('address_key', 'text').execute();
  const rows = await db.selectFrom('articles').select(['id', 'source_url']).where('source_url', 'is not', null).execute();
  for (const row of rows) {
    const key = addressKeyAsOf0014(String(row.source_url));
    if (key) await db.updateTable('articles').set({ address_key: key }).where('id', '=', row.id).execute();
  }
  await db.schema.createIndex('articles_site_address').on('articles').columns(['site_id', 'address_key']).execute();
  await db.schema.createIndex('articles_site_sort').on('articles').columns(['site_id', 'sort_at', 'id']).execute();
  if (isPostgres(db)) {
    await sql`alter table articles add constraint articles_site_fk foreign key (site_id) references sites (id)`.execute(db);
  }

  // A moderator with rows here moderates those sites only; one without rows moderates every site.
  await db.schema
    .createTable('moderator_sites')
    .addColumn('user_id', ref, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('moderator_sites_pk', ['user_id', 'site_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('moderator_sites').execute();
  if (isPostgres(db)) await sql`alter table articles drop constraint articles_site_fk`.execute(db);
  await db.schema.dropIndex('articles_site_sort').execute();
  await db.schema.dropIndex('articles_site_address').execute();
  await db.schema.alterTable('articles').dropColumn('address_key').execute();
  await db.schema.alterTable('articles').dropColumn('site_id').execute();
  await db.schema.dropTable('sites').execute();
}
