import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import type { CommentRouteOptions } from '../comments/requests.ts';
import type { Database } from '../db/schema.ts';
import { HttpError } from '../http/errors.ts';
import { readerOr404 } from '../moderation/api.ts';
import { canAdminister } from '../moderation/policy.ts';
import { check } from '../moderation/requests.ts';
import {
  articleCountsBySite,
  createSiteAudited,
  generateSiteSecret,
  originsFromLines,
  roleMapFromLines,
  setModeratorSitesAudited,
  siteKeyFromName,
  updateSiteAudited,
  type SitePatch,
  type SsoPatch,
} from '../sites/admin-commands.ts';
import { siteProblem, THEME_FIELDS, type SiteTheme, type ThemeField } from '../sites/model.ts';
import { listSites, SiteRefused, siteOr404 as siteByKey } from '../sites/store.ts';
import type { PageChrome } from '../ui/chrome.ts';
import { renderDocument } from '../ui/render.ts';
import type { Translator } from '../i18n/translator.ts';
import { ModeratorSitesForm, SitePage, SitesPage, siteFormValues, type SiteFormState } from './sites-views.tsx';

// The sites pages for admins, and the form that limits a moderator to some sites.

const Form = Type.Object({}, { additionalProperties: Type.String({ maxLength: 50_000 }) });
const KeyParams = Type.Object({ key: Type.String({ minLength: 1, maxLength: 60 }) });
const hidden = { hide: true };
const html = (reply: FastifyReply, status: number, body: string) => reply.status(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);

type Body = Record<string, string>;
const field = (body: Body, name: string) => (body[name] ?? '').trim();

/** The new-site form as a site, or the problem of each field. */
function newSiteFromForm(body: Body, i18n: Translator): { input: { key: string; name: string; origins: string[] }; errors: Record<string, string> } {
  const name = field(body, 'name');
  const key = field(body, 'key') || siteKeyFromName(name);
  const origins = originsFromLines(body.origins ?? '');
  const errors: Record<string, string> = {};
  const nameProblem = siteProblem({ name }, i18n);
  if (nameProblem) errors.name = nameProblem;
  if (!key) {
    if (name) errors.key = i18n.t('admin.site.problem.noKey');
  } else {
    const keyProblem = siteProblem({ key }, i18n);
    if (keyProblem) errors[field(body, 'key') ? 'key' : 'name'] = field(body, 'key') ? keyProblem : i18n.t('admin.site.problem.keyFromName', { key, problem: keyProblem });
  }
  const originsProblem = siteProblem({ origins }, i18n);
  if (originsProblem) errors.origins = originsProblem;
  return { input: { key, name, origins }, errors };
}

/** The edit form as a change to the site, or the problem of each field. */
function patchFromForm(body: Body, i18n: Translator): { patch: SitePatch; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const note = (name: string, problem: string | null) => {
    if (problem && !errors[name]) errors[name] = problem;
  };
  const name = field(body, 'name');
  note('name', siteProblem({ name }, i18n));
  const origins = originsFromLines(body.origins ?? '');
  note('origins', siteProblem({ origins }, i18n));
  const locale = field(body, 'locale');
  note('locale', siteProblem({ locale }, i18n));
  const theme: SiteTheme = {};
  for (const f of Object.keys(THEME_FIELDS) as ThemeField[]) {
    theme[f] = field(body, f);
    note(f, siteProblem({ theme: { [f]: theme[f] } }, i18n));
  }

  const jwksUrl = field(body, 'jwksUrl');
  note('jwksUrl', siteProblem({ sso: { jwt: { jwksUrl } } }, i18n));
  const sso: SsoPatch = { jwt: { jwksUrl: jwksUrl || null, ...(body.removeSecret === '1' ? { secret: null } : {}) } };

  const oidc = { issuer: field(body, 'oidcIssuer'), clientId: field(body, 'oidcClientId'), label: field(body, 'oidcLabel'), clientSecret: body.oidcClientSecret ?? '' };
  if (oidc.issuer || oidc.clientId || oidc.label || oidc.clientSecret) {
    const ok = { issuer: 'https://ok.example', clientId: 'ok', label: 'ok' };
    note('oidcIssuer', siteProblem({ sso: { oidc: { ...ok, issuer: oidc.issuer } } }, i18n));
    note('oidcClientId', siteProblem({ sso: { oidc: { ...ok, clientId: oidc.clientId } } }, i18n));
    note('oidcLabel', siteProblem({ sso: { oidc: { ...ok, label: oidc.label } } }, i18n));
    // An empty secret field keeps the secret: the page never shows it to be sent back.
    sso.oidc = { issuer: oidc.issuer, clientId: oidc.clientId, label: oidc.label, ...(oidc.clientSecret ? { clientSecret: oidc.clientSecret } : {}) };
  } else sso.oidc = null;

  const claim = field(body, 'roleClaim');
  const { map, problem } = roleMapFromLines(body.roleMap ?? '');
  note('roleMap', problem);
  if (claim) {
    note('roleMap', siteProblem({ sso: { roles: { claim, map: map as Record<string, 'staff'> } } }, i18n));
    sso.roles = { claim, map };
  } else {
    if (Object.keys(map).length) note('roleClaim', i18n.t('admin.site.problem.roleClaim'));
    sso.roles = null;
  }
  return { patch: { name, origins, theme, locale: locale || null, sso }, errors };
}

/** Moderators limited to some sites, for the roles part of the admin page. */
export async function moderatorSitesSection(db: Kysely<Database>, chrome: PageChrome) {
  const sites = await listSites(db);
  const rows = await db
    .selectFrom('moderator_sites as ms')
    .innerJoin('users as u', 'u.id', 'ms.user_id')
    .innerJoin('sites as s', 's.id', 'ms.site_id')
    .select(['u.handle', 's.key'])
    .orderBy('u.handle')
    .orderBy('s.key')
    .execute();
  const limited = new Map<string, string[]>();
  for (const row of rows) limited.set(row.handle, [...(limited.get(row.handle) ?? []), row.key]);
  return <ModeratorSitesForm chrome={chrome} sites={sites} limited={[...limited].map(([handle, keys]) => ({ handle, sites: keys }))} />;
}

export async function adminSitesPageRoutes(app: FastifyInstance, { ctx, chrome }: CommentRouteOptions) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;
  const publicUrl = ctx.config.publicUrl;

  const siteOr404 = (key: string) => siteByKey(db, key);

  api.get('/admin/sites', { schema: hidden }, async (request, reply) => {
    check(canAdminister(request.actor));
    return html(reply, 200, renderDocument(<SitesPage chrome={chrome(request, reply)} sites={await listSites(db)} counts={await articleCountsBySite(db)} />, request.i18n));
  });

  api.post('/admin/sites', { schema: { ...hidden, body: Form } }, async (request, reply) => {
    check(canAdminister(request.actor));
    const body = request.body as Body;
    const { input, errors } = newSiteFromForm(body, request.i18n);
    const again = async (status: number, form: SiteFormState) => html(reply, status, renderDocument(<SitesPage chrome={chrome(request, reply)} sites={await listSites(db)} counts={await articleCountsBySite(db)} form={form} />, request.i18n));
    if (Object.keys(errors).length) return again(400, { values: body, errors });
    try {
      const site = await createSiteAudited(ctx, request.actor!.userId, input);
      return reply.redirect(`/admin/sites/${site.key}?created=1`, 303);
    } catch (error) {
      if (!(error instanceof SiteRefused)) throw error;
      return again(error.status, { values: body, errors: {}, general: error.messageIn(request.i18n) });
    }
  });

  api.get('/admin/sites/:key', { schema: { ...hidden, params: KeyParams, querystring: Type.Object({ created: Type.Optional(Type.String({ maxLength: 5 })), saved: Type.Optional(Type.String({ maxLength: 5 })) }) } }, async (request, reply) => {
    check(canAdminister(request.actor));
    const site = await siteOr404(request.params.key);
    const notice = request.query.created ? request.i18n.t('admin.site.created') : request.query.saved ? request.i18n.t('admin.saved') : null;
    return html(reply, 200, renderDocument(<SitePage chrome={chrome(request, reply)} site={site} publicUrl={publicUrl} form={{ values: siteFormValues(site), errors: {} }} notice={notice} />, request.i18n));
  });

  api.post('/admin/sites/:key', { schema: { ...hidden, params: KeyParams, body: Form } }, async (request, reply) => {
    check(canAdminister(request.actor));
    const site = await siteOr404(request.params.key);
    const body = request.body as Body;
    const { patch, errors } = patchFromForm(body, request.i18n);
    const again = (status: number, form: SiteFormState) => html(reply, status, renderDocument(<SitePage chrome={chrome(request, reply)} site={site} publicUrl={publicUrl} form={form} />, request.i18n));
    if (Object.keys(errors).length) return again(400, { values: body, errors });
    try {
      await updateSiteAudited(ctx, request.actor!.userId, site, patch);
    } catch (error) {
      if (!(error instanceof SiteRefused)) throw error;
      return again(error.status, { values: body, errors: {}, general: error.messageIn(request.i18n) });
    }
    return reply.redirect(`/admin/sites/${site.key}?saved=1`, 303);
  });

  // The new secret is shown on this answer only: it is not in any address, log or later page.
  api.post('/admin/sites/:key/secret', { schema: { ...hidden, params: KeyParams, body: Form } }, async (request, reply) => {
    check(canAdminister(request.actor));
    const site = await siteOr404(request.params.key);
    const secret = generateSiteSecret();
    const updated = await updateSiteAudited(ctx, request.actor!.userId, site, { sso: { jwt: { secret } } });
    return html(reply, 200, renderDocument(<SitePage chrome={chrome(request, reply)} site={updated} publicUrl={publicUrl} form={{ values: siteFormValues(updated), errors: {} }} newSecret={secret} />, request.i18n));
  });

  api.post('/admin/moderator-sites', { schema: { ...hidden, body: Form } }, async (request, reply) => {
    check(canAdminister(request.actor));
    const body = request.body as Body;
    const target = await readerOr404(db, field(body, 'handle').replace(/^@/, ''));
    const keys = Object.keys(body).filter((k) => k.startsWith('site:') && body[k] === '1').map((k) => k.slice(5));
    const all = await listSites(db);
    const unknown = keys.find((k) => !all.some((s) => s.key === k));
    if (unknown) throw HttpError.translated(400, 'unknown_site', 'admin.moderatorSites.unknownSite', { key: unknown });
    await setModeratorSitesAudited(ctx, request.actor!.userId, target, all.filter((s) => keys.includes(s.key)));
    return reply.redirect('/admin?saved=1#moderator-sites', 303);
  });
}
