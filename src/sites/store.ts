import type { Kysely, Selectable } from 'kysely';
import { runCommand, CommandRefused, type CommandContext, type Tx } from '../events/command.ts';
import type { Database } from '../db/schema.ts';
import type { SitesTable } from '../db/tables/sites.ts';
import { normaliseOrigin } from './addresses.ts';
import { keyedResult } from '../i18n/recording.ts';
import { DEFAULT_SITE_KEY, siteProblem, type Site, type SiteSso, type SiteTheme } from './model.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { lockAccount } from '../accounts/open-account.ts';

// Sites are read on every embed request and change rarely: each process keeps them for a few
// seconds. A change made in this process is seen at once; other processes see it within CACHE_MS.
const CACHE_MS = 5000;

const caches = new WeakMap<Kysely<Database>, { at: number; byKey: Map<string, Site>; byId: Map<number, Site> }>();

export function rowToSite(row: Selectable<SitesTable>): Site {
  return {
    id: Number(row.id),
    key: row.key,
    name: row.name,
    origins: JSON.parse(row.origins) as string[],
    sso: JSON.parse(row.sso) as SiteSso,
    theme: JSON.parse(row.theme) as SiteTheme,
    locale: row.locale ?? null,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

async function loaded(db: Kysely<Database>) {
  const hit = caches.get(db);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit;
  const rows = await db.selectFrom('sites').selectAll().orderBy('id').execute();
  const sites = rows.map(rowToSite);
  const fresh = { at: Date.now(), byKey: new Map(sites.map((s) => [s.key, s])), byId: new Map(sites.map((s) => [s.id, s])) };
  caches.set(db, fresh);
  return fresh;
}

export function forgetSites(db: Kysely<Database>): void {
  caches.delete(db);
}

export async function listSites(db: Kysely<Database>): Promise<Site[]> {
  return [...(await loaded(db)).byId.values()];
}

export async function findSiteByKey(db: Kysely<Database>, key: string): Promise<Site | null> {
  return (await loaded(db)).byKey.get(key) ?? null;
}

export async function findSiteById(db: Kysely<Database>, id: number): Promise<Site | null> {
  return (await loaded(db)).byId.get(id) ?? null;
}

/** The site of everything that existed before sites, and of imports that name none. */
export async function defaultSite(db: Kysely<Database>): Promise<Site> {
  const site = await findSiteByKey(db, DEFAULT_SITE_KEY);
  if (!site) throw new Error('The default site is missing: run the migrations.');
  return site;
}

export class SiteRefused extends CommandRefused {
  override readonly name = 'SiteRefused';
}

/** What is wrong with a site's settings as a refusal each admin reads in their language; null when nothing is. */
export function siteProblemRefusal(input: Parameters<typeof siteProblem>[0]): SiteRefused | null {
  const problem = keyedResult((i18n) => siteProblem(input, i18n));
  if (!problem) return null;
  return problem.key ? SiteRefused.keyed(400, 'invalid_site', problem.key, problem.values) : new SiteRefused(400, 'invalid_site', problem.english);
}

/** The site with this key, or the 404 that says there is none. */
export async function siteOr404(db: Kysely<Database>, key: string): Promise<Site> {
  const site = await findSiteByKey(db, key);
  if (!site) throw SiteRefused.keyed(404, 'site_not_found', 'errors.sites.noSiteWithKey', { key });
  return site;
}

export interface SiteInput {
  key?: string;
  name?: string;
  origins?: string[];
  sso?: SiteSso;
  theme?: SiteTheme;
  /** '' or null: follow the service's language. */
  locale?: string | null;
}

function checked(input: SiteInput): SiteInput {
  const problem = siteProblemRefusal(input);
  if (problem) throw problem;
  const origins = input.origins ? [...new Set(input.origins.map((o) => normaliseOrigin(o)!))] : undefined;
  const theme = input.theme ? Object.fromEntries(Object.entries(input.theme).filter(([, v]) => v !== undefined && v !== '')) : undefined;
  const locale = input.locale === undefined ? undefined : input.locale || null;
  return { ...input, origins, theme, ...(locale !== undefined ? { locale } : {}) };
}

export async function createSite(ctx: CommandContext, input: SiteInput & { key: string; name: string }, actorId: number | null = null): Promise<Site> {
  const site = await runCommand(ctx, (tx) => insertSite(tx, input, actorId));
  forgetSites(ctx.db.kysely);
  return site;
}

/** createSite's write, inside a caller's transaction (the admin's, which audits it alongside); call forgetSites after commit. */
export async function insertSite(tx: Tx, input: SiteInput & { key: string; name: string }, actorId: number | null): Promise<Site> {
  const clean = checked(input);
  const taken = await tx.db.selectFrom('sites').select('id').where('key', '=', input.key).executeTakeFirst();
  if (taken) throw SiteRefused.keyed(409, 'site_exists', 'errors.sites.keyTaken', { key: input.key });
  const now = new Date().toISOString();
  const row = await tx.db
    .insertInto('sites')
    .values({ key: input.key, name: input.name.trim(), origins: JSON.stringify(clean.origins ?? []), sso: JSON.stringify(clean.sso ?? {}), theme: JSON.stringify(clean.theme ?? {}), locale: clean.locale ?? null, created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      // Another admin's transaction created the key after the check above (PostgreSQL).
      if (isUniqueViolation(error, 'key')) throw SiteRefused.keyed(409, 'site_exists', 'errors.sites.keyTaken', { key: input.key });
      throw error;
    });
  tx.emit({ type: 'site.created', stream: `site:${row.id}`, actorId, payload: { siteId: Number(row.id), key: row.key } });
  return rowToSite(row);
}

export async function updateSite(ctx: CommandContext, siteId: number, input: SiteInput, actorId: number | null = null): Promise<Site> {
  const site = await runCommand(ctx, (tx) => changeSite(tx, siteId, input, actorId));
  forgetSites(ctx.db.kysely);
  return site;
}

/** updateSite's write, inside a caller's transaction; call forgetSites after commit. */
export async function changeSite(tx: Tx, siteId: number, input: SiteInput, actorId: number | null): Promise<Site> {
  const clean = checked(input);
  const existing = await tx.db.selectFrom('sites').selectAll().where('id', '=', siteId).executeTakeFirst();
  if (!existing) throw SiteRefused.keyed(404, 'site_not_found', 'errors.sites.noSuchSite');
  const row = await tx.db
    .updateTable('sites')
    .set({
      ...(clean.name !== undefined ? { name: clean.name.trim() } : {}),
      ...(clean.origins !== undefined ? { origins: JSON.stringify(clean.origins) } : {}),
      ...(clean.sso !== undefined ? { sso: JSON.stringify(clean.sso) } : {}),
      ...(clean.theme !== undefined ? { theme: JSON.stringify(clean.theme) } : {}),
      ...(clean.locale !== undefined ? { locale: clean.locale } : {}),
      updated_at: new Date().toISOString(),
    })
    .where('id', '=', siteId)
    .returningAll()
    .executeTakeFirstOrThrow();
  const changed = Object.keys(clean).filter((k) => k !== 'key');
  tx.emit({ type: 'site.updated', stream: `site:${siteId}`, actorId, payload: { siteId, changed } });
  return rowToSite(row);
}

/** The sites a moderator is limited to; empty means every site. */
export async function moderatorSiteIds(db: Kysely<Database>, userId: number): Promise<number[]> {
  const rows = await db.selectFrom('moderator_sites').select('site_id').where('user_id', '=', userId).execute();
  return rows.map((r) => Number(r.site_id));
}

export async function setModeratorSites(ctx: CommandContext, userId: number, siteIds: number[], actorId: number | null): Promise<void> {
  await runCommand(ctx, (tx) => writeModeratorSites(tx, userId, siteIds, actorId));
}

/** setModeratorSites' write, inside a caller's transaction. */
export async function writeModeratorSites(tx: Tx, userId: number, siteIds: number[], actorId: number | null): Promise<void> {
  // The list is replaced whole: on PostgreSQL two replacements at once each deleted nothing of the
  // other's and both inserted, and the second met the unique index. The reader's row orders them.
  await lockAccount(tx, userId);
  await tx.db.deleteFrom('moderator_sites').where('user_id', '=', userId).execute();
  const unique = [...new Set(siteIds)];
  if (unique.length) await tx.db.insertInto('moderator_sites').values(unique.map((siteId) => ({ user_id: userId, site_id: siteId }))).execute();
  tx.emit({ type: 'moderator.sites_changed', stream: `user:${userId}`, actorId, payload: { userId, siteIds: unique } });
}
