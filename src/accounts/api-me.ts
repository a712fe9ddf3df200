import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../http/auth.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { ErrorJson } from '../http/schemas.ts';
import { changeEmail, changePassword } from './credentials.ts';
import type { AccountRouteDeps } from './http-helpers.ts';
import { AccountJson, presentAccount, presentSession, SessionJson } from './presenter.ts';
import { deleteAccount, exportPersonalData, updateProfile } from './profile.ts';
import { EMAIL_MAX } from './rules.ts';
import { endSession } from './session-start.ts';
import { deleteSession } from './sessions.ts';
import { findAccountById, listSessions } from './store.ts';

// The signed-in reader's own account, as JSON.

const Password = Type.String({ maxLength: 1024 });
const errors = { 400: ErrorJson, 401: ErrorJson, 403: ErrorJson, 409: ErrorJson, 429: ErrorJson };

export const exportFileName = (handle: string) => `parley-data-${handle}.json`;

export async function apiMeRoutes(app: FastifyInstance, { ctx, limiter }: AccountRouteDeps) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;

  api.get('/api/v1/me', { schema: { summary: 'The signed-in reader', tags: ['me'], response: { 200: Type.Object({ user: AccountJson }), 401: ErrorJson } } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const account = await findAccountById(db, requireActor(request).userId);
    if (!account) throw notFound();
    return { user: presentAccount(account) };
  });

  api.patch(
    '/api/v1/me',
    {
      schema: {
        summary: 'Change display name or bio',
        tags: ['me'],
        body: Type.Object({ displayName: Type.Optional(Type.String({ maxLength: 200 })), bio: Type.Optional(Type.String({ maxLength: 4000 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ user: AccountJson }), ...errors },
      },
    },
    async (request) => {
      const account = await updateProfile(ctx, requireActor(request).userId, request.body);
      return { user: presentAccount(account) };
    },
  );

  api.delete(
    '/api/v1/me',
    {
      schema: {
        summary: 'Delete my account',
        description: 'Removes personal data at once and ends every session. `password` is required when the account has one.',
        tags: ['me'],
        body: Type.Object({ password: Type.Optional(Password) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      await limiter.hit('passwordCheck', request, actor.userId);
      await deleteAccount(ctx, actor.userId, { password: request.body?.password ?? '' });
      await endSession(ctx, request, reply);
      return reply.code(204).send(null);
    },
  );

  api.post(
    '/api/v1/me/email',
    {
      schema: {
        summary: 'Move the account to a new address (after it is confirmed)',
        tags: ['me'],
        body: Type.Object({ email: Type.String({ maxLength: EMAIL_MAX + 66 }), currentPassword: Password }, { additionalProperties: false }),
        response: { 202: Type.Object({ pendingEmail: Type.String() }), ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      await limiter.hit('passwordCheck', request, actor.userId);
      await limiter.hit('accountMail', request, actor.userId);
      return reply.code(202).send(await changeEmail(ctx, actor.userId, { ...request.body, locale: request.i18n.locale }));
    },
  );

  api.post(
    '/api/v1/me/password',
    {
      schema: {
        summary: 'Change the password (signs out every other session)',
        tags: ['me'],
        body: Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      await limiter.hit('passwordCheck', request, actor.userId);
      await changePassword(ctx, actor.userId, { ...request.body, keepSessionId: actor.sessionId, locale: request.i18n.locale });
      return reply.code(204).send(null);
    },
  );

  api.get(
    '/api/v1/me/sessions',
    { schema: { summary: 'Where I am signed in', tags: ['me'], response: { 200: Type.Object({ sessions: Type.Array(SessionJson) }), 401: ErrorJson } } },
    async (request, reply) => {
      const actor = requireActor(request);
      reply.header('cache-control', 'no-store');
      return { sessions: (await listSessions(db, actor.userId)).map((s) => presentSession(s, actor.sessionId)) };
    },
  );

  api.delete(
    '/api/v1/me/sessions/:id',
    {
      schema: {
        summary: 'Sign out one session',
        tags: ['me'],
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 204: Type.Null(), 401: ErrorJson, 403: ErrorJson, 404: ErrorJson },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const mine = (await listSessions(db, actor.userId)).some((s) => s.id === request.params.id);
      if (!mine) throw HttpError.translated(404, 'not_found', 'errors.accounts.noSuchSession');
      if (request.params.id === actor.sessionId) await endSession(ctx, request, reply);
      else await deleteSession(db, request.params.id);
      return reply.code(204).send(null);
    },
  );

  api.get(
    '/api/v1/me/export',
    {
      schema: {
        summary: 'Download my data: everything Parley holds about me',
        description: 'A JSON file: `account`, `sessions`, and one key per feature that holds data about the reader.',
        tags: ['me'],
        response: { 200: Type.Object({}, { additionalProperties: true }), 401: ErrorJson },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const data = await exportPersonalData(ctx, actor.userId);
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${exportFileName(actor.handle)}"`)
        .send(data);
    },
  );
}
