import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { ErrorJson } from '../http/schemas.ts';
import { canAdminister } from '../moderation/policy.ts';
import { check } from '../moderation/requests.ts';
import { defaultSite, findSiteByKey } from '../sites/store.ts';
import { exportComments } from './export.ts';

// `export-comments` for admins, as a download: the file is written to a temporary folder (one
// article at a time, as on the command line), streamed, and removed.

const Errors = { 400: ErrorJson, 401: ErrorJson, 403: ErrorJson, 404: ErrorJson };

export async function commentExportRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/api/v1/admin/export',
    {
      schema: {
        summary: "A site's conversations as Parley JSON (lossless) or Disqus XML (admins)",
        tags: ['admin'],
        querystring: Type.Object({ format: Type.Union([Type.Literal('parley'), Type.Literal('disqus')]), site: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })) }, { additionalProperties: false }),
        response: { 200: Type.Unknown({ description: 'The file, as an attachment' }), ...Errors },
      },
    },
    async (request, reply) => {
      check(canAdminister(request.actor));
      const { format, site: key } = request.query;
      const site = key === undefined ? await defaultSite(ctx.db.kysely) : await findSiteByKey(ctx.db.kysely, key);
      if (!site) throw HttpError.translated(404, 'not_found', 'errors.sites.noSiteWithKey', { key });
      const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'parley-export-'));
      const file = path.join(dir, 'export');
      try {
        await exportComments(ctx.db.kysely, site, format, file, ctx.config.publicUrl);
      } catch (error) {
        await fs.promises.rm(dir, { recursive: true, force: true });
        throw error;
      }
      const stream = fs.createReadStream(file);
      stream.once('close', () => void fs.promises.rm(dir, { recursive: true, force: true }));
      const name = `parley-${site.key}-comments.${format === 'parley' ? 'json' : 'xml'}`;
      return reply
        .header('content-type', format === 'parley' ? 'application/json; charset=utf-8' : 'application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );
}
