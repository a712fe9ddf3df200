import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import slugify from 'slugify';
import type { Database } from '../db/schema.ts';
import { runCommand, type CommandContext } from '../events/command.ts';
import { audit } from '../moderation/audit.ts';
import type { Site, SiteSso, SiteTheme } from './model.ts';
import { changeSite, forgetSites, insertSite, listSites, SiteRefused, siteProblemRefusal, writeModeratorSites, type SiteInput } from './store.ts';

// Admins' changes to sites (the admin pages, the API and the command line), each audited in the
// transaction of the change. Secrets never reach the audit log, the API or the log in clear: they
// appear as "set", and a change of secret as "replaced" or "removed".

/** A site key from its name when the admin gives none: `The Example Times` → `the-example-times`. */
export function siteKeyFromName(name: string): string {
  const full = slugify(name, { lower: true, strict: true, trim: true });
  if (full.length <= 40) return full;
  const cut = full.slice(0, 40);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > 10 ? cut.slice(0, lastDash) : cut).replace(/-+$/, '');
}

/** A new HS256 signing secret: 256 random bits, as the JWT specification asks of HS256 keys. */
export function generateSiteSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Single sign-on settings as anyone but the server may see them: each secret only as "set" or null. */
export interface RedactedSso {
  jwt: { secret: 'set' | null; jwksUrl: string | null } | null;
  oidc: { issuer: string; clientId: string; clientSecret: 'set' | null; label: string } | null;
  roles: { claim: string; map: Record<string, 'staff' | 'moderator'> } | null;
}

export function redactSso(sso: SiteSso): RedactedSso {
  return {
    jwt: sso.jwt && (sso.jwt.secret || sso.jwt.jwksUrl) ? { secret: sso.jwt.secret ? 'set' : null, jwksUrl: sso.jwt.jwksUrl || null } : null,
    oidc: sso.oidc ? { issuer: sso.oidc.issuer, clientId: sso.oidc.clientId, clientSecret: sso.oidc.clientSecret ? 'set' : null, label: sso.oidc.label } : null,
    roles: sso.roles ? { claim: sso.roles.claim, map: { ...sso.roles.map } } : null,
  };
}

/**
 * A change to single sign-on as the admin sends it. A part that is absent stays as it is, null turns
 * it off. Inside a part, a secret that is absent is kept (the admin never sees it to send it back);
 * null or "" removes it.
 */
export interface SsoPatch {
  jwt?: { secret?: string | null; jwksUrl?: string | null } | null;
  oidc?: { issuer: string; clientId: string; clientSecret?: string | null; label: string } | null;
  roles?: { claim: string; map: Record<string, string> } | null;
}

export function applySsoPatch(current: SiteSso, patch: SsoPatch): SiteSso {
  const next: SiteSso = { ...current };
  if (patch.jwt !== undefined) {
    if (patch.jwt === null) next.jwt = null;
    else {
      const secret = patch.jwt.secret === undefined ? (current.jwt?.secret ?? null) : patch.jwt.secret || null;
      const jwksUrl = patch.jwt.jwksUrl === undefined ? (current.jwt?.jwksUrl ?? null) : patch.jwt.jwksUrl?.trim() || null;
      next.jwt = secret || jwksUrl ? { secret, jwksUrl } : null;
    }
  }
  if (patch.oidc !== undefined) {
    if (patch.oidc === null) next.oidc = null;
    else {
      const clientSecret = patch.oidc.clientSecret === undefined ? (current.oidc?.clientSecret ?? null) : patch.oidc.clientSecret || null;
      next.oidc = { issuer: patch.oidc.issuer.trim(), clientId: patch.oidc.clientId.trim(), clientSecret, label: patch.oidc.label.trim() };
    }
  }
  if (patch.roles !== undefined) next.roles = patch.roles === null ? null : { claim: patch.roles.claim.trim(), map: patch.roles.map as Record<string, 'staff' | 'moderator'> };
  return next;
}

/** What became of a secret, for the audit log: never the secret itself. */
function secretChange(before: string | null | undefined, after: string | null | undefined): 'set' | 'replaced' | 'removed' | null {
  if ((before ?? null) === (after ?? null)) return null;
  if (!after) return 'removed';
  return before ? 'replaced' : 'set';
}

export interface NewSite {
  key?: string;
  name: string;
  origins: string[];
  theme?: SiteTheme;
  locale?: string | null;
  sso?: SsoPatch;
}

/** Creates a site, audited; the key comes from the name when none is given. `actorId` null: the command line. */
export async function createSiteAudited(ctx: CommandContext, actorId: number | null, input: NewSite): Promise<Site> {
  const nameProblem = siteProblemRefusal({ name: input.name ?? '' });
  if (nameProblem) throw nameProblem;
  const key = input.key?.trim() || siteKeyFromName(input.name);
  if (!key) throw SiteRefused.keyed(400, 'invalid_site', 'errors.sites.keyFromName');
  const sso = applySsoPatch({}, input.sso ?? {});
  const site = await runCommand(ctx, async (tx) => {
    const created = await insertSite(tx, { key, name: input.name, origins: input.origins, theme: input.theme, locale: input.locale ?? null, sso }, actorId);
    await audit(tx, {
      actorId,
      action: 'site.create',
      targetType: 'site',
      targetId: created.key,
      detail: { name: created.name, origins: created.origins, theme: created.theme, ...(created.locale ? { locale: created.locale } : {}), sso: redactSso(created.sso) },
    });
    return created;
  });
  forgetSites(ctx.db.kysely);
  return site;
}

export interface SitePatch {
  name?: string;
  origins?: string[];
  theme?: SiteTheme;
  /** null: follow the service's language. */
  locale?: string | null;
  sso?: SsoPatch;
}

/** Changes a site, audited with what changed from what (secrets only as "set", "replaced" or "removed"). */
export async function updateSiteAudited(ctx: CommandContext, actorId: number | null, site: Site, patch: SitePatch): Promise<Site> {
  const input: SiteInput = {};
  if (patch.name !== undefined) input.name = patch.name;
  if (patch.origins !== undefined) input.origins = patch.origins;
  if (patch.theme !== undefined) input.theme = patch.theme;
  if (patch.locale !== undefined) input.locale = patch.locale;
  if (patch.sso !== undefined) input.sso = applySsoPatch(site.sso, patch.sso);
  const updated = await runCommand(ctx, async (tx) => {
    const after = await changeSite(tx, site.id, input, actorId);
    const changes: Record<string, unknown> = {};
    if (after.name !== site.name) changes.name = { from: site.name, to: after.name };
    if (JSON.stringify(after.origins) !== JSON.stringify(site.origins)) changes.origins = { from: site.origins, to: after.origins };
    if (JSON.stringify(after.theme) !== JSON.stringify(site.theme)) changes.theme = { from: site.theme, to: after.theme };
    if (after.locale !== site.locale) changes.locale = { from: site.locale, to: after.locale };
    const [ssoBefore, ssoAfter] = [redactSso(site.sso), redactSso(after.sso)];
    if (JSON.stringify(ssoBefore) !== JSON.stringify(ssoAfter)) changes.sso = { from: ssoBefore, to: ssoAfter };
    const jwtSecret = secretChange(site.sso.jwt?.secret, after.sso.jwt?.secret);
    const oidcSecret = secretChange(site.sso.oidc?.clientSecret, after.sso.oidc?.clientSecret);
    if (jwtSecret) changes.jwtSecret = jwtSecret;
    if (oidcSecret) changes.oidcClientSecret = oidcSecret;
    if (Object.keys(changes).length) await audit(tx, { actorId, action: 'site.update', targetType: 'site', targetId: site.key, detail: changes });
    return after;
  });
  forgetSites(ctx.db.kysely);
  return updated;
}

/** Limits a moderator to some sites (none: every site), audited. */
export async function setModeratorSitesAudited(ctx: CommandContext, actorId: number, target: { id: number; handle: string; role: string }, sites: Site[]): Promise<void> {
  if (sites.length && target.role !== 'moderator') {
    throw SiteRefused.keyed(400, 'not_a_moderator', 'errors.sites.notAModerator', { handle: target.handle, role: target.role });
  }
  await runCommand(ctx, async (tx) => {
    const before = await tx.db.selectFrom('moderator_sites').select('site_id').where('user_id', '=', target.id).execute();
    const ids = sites.map((s) => s.id).sort((a, b) => a - b);
    const beforeIds = before.map((r) => Number(r.site_id)).sort((a, b) => a - b);
    if (JSON.stringify(ids) === JSON.stringify(beforeIds)) return;
    await writeModeratorSites(tx, target.id, ids, actorId);
    await audit(tx, { actorId, action: 'moderator.sites', targetType: 'reader', targetId: target.id, detail: { sites: sites.map((s) => s.key).sort() } });
  });
}

/** How many articles each site has, by site id. */
export async function articleCountsBySite(db: Kysely<Database>): Promise<Map<number, number>> {
  const rows = await db.selectFrom('articles').select(['site_id', (eb) => eb.fn.countAll().as('n')]).groupBy('site_id').execute();
  return new Map(rows.map((r) => [Number(r.site_id), Number(r.n)]));
}

/** Sites by key, refusing unknown keys with the names the admin can choose from. */
export async function sitesByKeys(db: Kysely<Database>, keys: string[]): Promise<Site[]> {
  const all = await listSites(db);
  const unknown = keys.filter((k) => !all.some((s) => s.key === k));
  if (unknown.length) throw SiteRefused.keyed(400, 'unknown_site', 'errors.sites.unknownSite', { key: unknown[0], sites: all.map((s) => s.key).join(', ') });
  return all.filter((s) => keys.includes(s.key));
}

/** The site's origins as the admin typed them, one per line (blank lines ignored). */
export function originsFromLines(text: string): string[] {
  return text.split(/[\r\n]+/).map((l) => l.trim()).filter(Boolean);
}

/** `value = role` lines, as the roles-from-the-publisher setting is typed on the page. */
export function roleMapFromLines(text: string): { map: Record<string, string>; problem: string | null } {
  const map: Record<string, string> = {};
  for (const line of text.split(/[\r\n]+/).map((l) => l.trim()).filter(Boolean)) {
    const eq = line.lastIndexOf('=');
    if (eq <= 0) return { map, problem: `“${line}” is not a role line: write the publisher’s value, “=”, then staff or moderator.` };
    map[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return { map, problem: null };
}
