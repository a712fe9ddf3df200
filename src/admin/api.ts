import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ROLES } from '../accounts/model.ts';
import type { CommentRouteOptions } from '../comments/requests.ts';
import { ErrorJson } from '../http/schemas.ts';
import { readerOr404 } from '../moderation/api.ts';
import { canAdminister } from '../moderation/policy.ts';
import { check } from '../moderation/requests.ts';
import { getSettings } from '../settings/store.ts';
import { listFailedJobs } from '../events/failed-jobs.ts';
import { decodeCursor, encodeCursor } from '../http/cursor.ts';
import { isBeforeCursor } from '../moderation/requests.ts';
import { changeRole, retryFailedJob, updateSettings } from './commands.ts';
import { describeJob } from './views.tsx';

const FailedJobJson = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  description: Type.String({ description: 'What the job was for, without personal data' }),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  failedAt: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
});

const Errors = { 400: ErrorJson, 401: ErrorJson, 403: ErrorJson, 404: ErrorJson };
const tags = ['admin'];


export async function adminApiRoutes(app: FastifyInstance, { ctx }: CommentRouteOptions) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get('/api/v1/admin/settings', { schema: { summary: 'Every site setting (admins)', tags, response: { 200: Type.Object({ settings: Type.Any() }), ...Errors } } }, async (request) => {
    check(canAdminister(request.actor));
    return { settings: await getSettings(ctx.db.kysely) };
  });

  api.put(
    '/api/v1/admin/settings',
    {
      schema: {
        summary: 'Change some settings (admins); every change is audited',
        tags,
        body: Type.Object({}, { additionalProperties: true, maxProperties: 40 }),
        response: { 200: Type.Object({ settings: Type.Any() }), ...Errors },
      },
    },
    async (request) => {
      check(canAdminister(request.actor));
      return { settings: await updateSettings(ctx, request.actor!, request.body as Record<string, unknown>) };
    },
  );

  api.put(
    '/api/v1/admin/readers/:handle/role',
    {
      schema: {
        summary: "Change a reader's role (admins)",
        tags,
        params: Type.Object({ handle: Type.String({ minLength: 1, maxLength: 60 }) }),
        body: Type.Object({ role: Type.Union(ROLES.map((r) => Type.Literal(r))), reason: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ handle: Type.String(), role: Type.String() }), ...Errors },
      },
    },
    async (request) => {
      check(canAdminister(request.actor));
      const target = await readerOr404(ctx.db.kysely, request.params.handle);
      await changeRole(ctx, request.actor!, target, request.body.role, request.body.reason ?? null);
      return { handle: target.handle, role: request.body.role };
    },
  );

  api.get(
    '/api/v1/admin/jobs/failed',
    {
      schema: {
        summary: 'Background jobs that gave up, newest first (admins)',
        tags,
        querystring: Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 200: Type.Object({ jobs: Type.Array(FailedJobJson), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...Errors },
      },
    },
    async (request) => {
      check(canAdminister(request.actor));
      const before = decodeCursor(request.query.cursor, isBeforeCursor)?.b ?? null;
      const { jobs, next } = await listFailedJobs(ctx.db.kysely, { before, limit: 50 });
      return {
        jobs: jobs.map((j) => ({ id: j.id, kind: j.kind, description: describeJob(j), attempts: j.attempts, lastError: j.lastError, failedAt: j.failedAt, createdAt: j.createdAt })),
        nextCursor: next ? encodeCursor({ b: next }) : null,
      };
    },
  );

  api.post(
    '/api/v1/admin/jobs/:id/retry',
    {
      schema: {
        summary: 'Run a failed job again from its first attempt (admins); audited',
        tags,
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }),
        response: { 200: Type.Object({ id: Type.Integer(), kind: Type.String() }), ...Errors },
      },
    },
    async (request) => {
      check(canAdminister(request.actor));
      const { kind } = await retryFailedJob(ctx, request.actor!, request.params.id);
      return { id: request.params.id, kind };
    },
  );
}
