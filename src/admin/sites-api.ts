import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { CommentRouteOptions } from '../comments/requests.ts';
import { ErrorJson } from '../http/schemas.ts';
import { readerOr404 } from '../moderation/api.ts';
import { canAdminister } from '../moderation/policy.ts';
import { check } from '../moderation/requests.ts';
import { articleCountsBySite, createSiteAudited, setModeratorSitesAudited, sitesByKeys, updateSiteAudited } from '../sites/admin-commands.ts';
import { NewSiteJson, presentSite, SiteJson, SitePatchJson } from '../sites/admin-presenter.ts';
import { listSites, moderatorSiteIds, siteOr404 as siteByKey } from '../sites/store.ts';

// Sites for admins (issue 11 §1): list, create, read and change them, and limit moderators to some.

const Errors = { 400: ErrorJson, 401: ErrorJson, 403: ErrorJson, 404: ErrorJson, 409: ErrorJson };
const tags = ['admin'];
const KeyParams = Type.Object({ key: Type.String({ minLength: 1, maxLength: 60 }) });

export async function adminSitesApiRoutes(app: FastifyInstance, { ctx }: CommentRouteOptions) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;
  const publicUrl = ctx.config.publicUrl;

  const siteOr404 = (key: string) => siteByKey(db, key);
  const present = async (key: string) => {
    const site = await siteOr404(key);
    return presentSite(site, (await articleCountsBySite(db)).get(site.id) ?? 0, publicUrl);
  };

  api.get('/api/v1/admin/sites', { schema: { summary: 'Every site this Parley serves (admins)', tags, response: { 200: Type.Object({ sites: Type.Array(SiteJson) }), ...Errors } } }, async (request) => {
    check(canAdminister(request.actor));
    const counts = await articleCountsBySite(db);
    return { sites: (await listSites(db)).map((site) => presentSite(site, counts.get(site.id) ?? 0, publicUrl)) };
  });

  api.post(
    '/api/v1/admin/sites',
    { schema: { summary: 'Create a site (admins); audited. The key is made from the name when left out', tags, body: NewSiteJson, response: { 201: Type.Object({ site: SiteJson }), ...Errors } } },
    async (request, reply) => {
      check(canAdminister(request.actor));
      const site = await createSiteAudited(ctx, request.actor!.userId, request.body);
      return reply.status(201).send({ site: await present(site.key) });
    },
  );

  api.get('/api/v1/admin/sites/:key', { schema: { summary: 'One site (admins); secrets show only as "set"', tags, params: KeyParams, response: { 200: Type.Object({ site: SiteJson }), ...Errors } } }, async (request) => {
    check(canAdminister(request.actor));
    return { site: await present(request.params.key) };
  });

  api.patch(
    '/api/v1/admin/sites/:key',
    {
      schema: {
        summary: 'Change a site (admins); audited. Fields left out stay; a secret left out is kept, null removes it',
        tags,
        params: KeyParams,
        body: SitePatchJson,
        response: { 200: Type.Object({ site: SiteJson }), ...Errors },
      },
    },
    async (request) => {
      check(canAdminister(request.actor));
      const site = await siteOr404(request.params.key);
      await updateSiteAudited(ctx, request.actor!.userId, site, request.body);
      return { site: await present(site.key) };
    },
  );

  const ModeratorSites = Type.Object({ handle: Type.String(), sites: Type.Array(Type.String(), { description: 'Site keys; empty: every site' }) });

  api.get(
    '/api/v1/admin/readers/:handle/sites',
    { schema: { summary: 'The sites a moderator moderates; empty: every site (admins)', tags, params: Type.Object({ handle: Type.String({ minLength: 1, maxLength: 60 }) }), response: { 200: ModeratorSites, ...Errors } } },
    async (request) => {
      check(canAdminister(request.actor));
      const target = await readerOr404(db, request.params.handle);
      const ids = await moderatorSiteIds(db, target.id);
      return { handle: target.handle, sites: (await listSites(db)).filter((s) => ids.includes(s.id)).map((s) => s.key) };
    },
  );

  api.put(
    '/api/v1/admin/readers/:handle/sites',
    {
      schema: {
        summary: 'Limit a moderator to some sites; an empty list: every site (admins); audited',
        tags,
        params: Type.Object({ handle: Type.String({ minLength: 1, maxLength: 60 }) }),
        body: Type.Object({ sites: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 200 }) }, { additionalProperties: false }),
        response: { 200: ModeratorSites, ...Errors },
      },
    },
    async (request) => {
      check(canAdminister(request.actor));
      const target = await readerOr404(db, request.params.handle);
      const sites = await sitesByKeys(db, request.body.sites);
      await setModeratorSitesAudited(ctx, request.actor!.userId, target, sites);
      return { handle: target.handle, sites: sites.map((s) => s.key) };
    },
  );
}
