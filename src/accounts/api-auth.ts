import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireActor } from '../http/auth.ts';
import { ErrorJson } from '../http/schemas.ts';
import { createTranslator, SOURCE_LOCALE, type Translator } from '../i18n/index.ts';
import { requestPasswordReset, resetPassword } from './credentials.ts';
import type { AccountRouteDeps } from './http-helpers.ts';
import { AccountJson, presentAccount } from './presenter.ts';
import { register, resendVerification, verifyEmail } from './registration.ts';
import { EMAIL_MAX } from './rules.ts';
import { endSession, startSession } from './session-start.ts';
import { deleteUserSessions } from './sessions.ts';
import { throttledSignIn } from './signin-throttle.ts';
import { TOKEN_LIFETIME_MS } from './tokens.ts';

// The JSON API of the way in. Every unsafe call here needs X-CSRF-Token (see http/csrf.ts), register
// and sign-in included, so another site cannot sign a visitor in to an account of its choosing.

const Email = Type.String({ maxLength: EMAIL_MAX + 66, description: 'Trimmed and lower-cased before use.' });
const Password = Type.String({ maxLength: 1024 });
const Token = Type.String({ minLength: 1, maxLength: 200 });
const UserReply = Type.Object({ user: AccountJson });
const Accepted = Type.Object({ message: Type.String() });
const errors = { 400: ErrorJson, 401: ErrorJson, 403: ErrorJson, 409: ErrorJson, 429: ErrorJson };

/** The 202 answer to a reset request, the same for any address, in the reader's language. */
export const resetAccepted = (i18n: Translator) => i18n.t('accounts.api.resetAccepted', { minutes: Math.round(TOKEN_LIFETIME_MS.password_reset / 60_000) });
/** The English answer, as the API has always given it. */
export const RESET_ACCEPTED = resetAccepted(createTranslator(SOURCE_LOCALE));

export async function apiAuthRoutes(app: FastifyInstance, { ctx, limiter }: AccountRouteDeps) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.post(
    '/api/v1/auth/register',
    {
      schema: {
        summary: 'Create an account and sign in',
        description:
          'Answers 201 and signs in whether or not the address already has an account (its owner is told by mail instead), so registering reveals nothing about who reads here.',
        tags: ['auth'],
        body: Type.Object({ email: Email, password: Password, displayName: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
        response: { 201: UserReply, ...errors },
      },
    },
    async (request, reply) => {
      await limiter.hit('register', request);
      // The confirmation mail speaks the language of the request until the reader chooses one.
      const account = await register(ctx, { ...request.body, locale: request.i18n.locale });
      await startSession(ctx, request, reply, account, false);
      return reply.code(201).header('cache-control', 'no-store').send({ user: presentAccount(account) });
    },
  );

  api.post(
    '/api/v1/auth/login',
    {
      schema: {
        summary: 'Sign in',
        description:
          'A wrong address and a wrong password get the same 401. `remember` keeps the session for 90 days. Repeated failures from one address (or browser) get growing waits (429 with Retry-After); a browser that signed in to the account before is never made to wait for strangers.',
        tags: ['auth'],
        body: Type.Object({ email: Email, password: Password, remember: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: UserReply, ...errors },
      },
    },
    async (request, reply) => {
      const account = await throttledSignIn(ctx, limiter, request, request.body);
      await startSession(ctx, request, reply, account, request.body.remember === true);
      return reply.header('cache-control', 'no-store').send({ user: presentAccount(account) });
    },
  );

  api.post('/api/v1/auth/logout', { schema: { summary: 'Sign out this browser', tags: ['auth'], response: { 204: Type.Null(), 403: ErrorJson } } }, async (request, reply) => {
    await endSession(ctx, request, reply);
    return reply.code(204).send(null);
  });

  api.post(
    '/api/v1/auth/logout-everywhere',
    { schema: { summary: 'End every session of the signed-in reader, this one included', tags: ['auth'], response: { 204: Type.Null(), 401: ErrorJson, 403: ErrorJson } } },
    async (request, reply) => {
      const actor = requireActor(request);
      await deleteUserSessions(ctx.db.kysely, actor.userId);
      await endSession(ctx, request, reply);
      return reply.code(204).send(null);
    },
  );

  api.post(
    '/api/v1/auth/password-reset',
    {
      schema: {
        summary: 'Mail a password-reset link',
        description: 'Always 202 with the same body, whether or not the address has an account.',
        tags: ['auth'],
        body: Type.Object({ email: Email }, { additionalProperties: false }),
        response: { 202: Accepted, 400: ErrorJson, 403: ErrorJson, 429: ErrorJson },
      },
    },
    async (request, reply) => {
      await limiter.hit('passwordReset', request, request.body.email);
      await requestPasswordReset(ctx, request.body.email, request.i18n.locale);
      return reply.code(202).send({ message: resetAccepted(request.i18n) });
    },
  );

  api.post(
    '/api/v1/auth/password-reset/confirm',
    {
      schema: {
        summary: 'Set a new password with the token from the reset mail, and sign in',
        description: 'The token works once, for 30 minutes. Every other session of the account ends.',
        tags: ['auth'],
        body: Type.Object({ token: Token, password: Password }, { additionalProperties: false }),
        response: { 200: UserReply, ...errors },
      },
    },
    async (request, reply) => {
      await limiter.hit('passwordReset', request);
      const account = await resetPassword(ctx, request.body);
      await startSession(ctx, request, reply, account, false);
      return reply.header('cache-control', 'no-store').send({ user: presentAccount(account) });
    },
  );

  api.post(
    '/api/v1/auth/verify-email',
    {
      schema: {
        summary: 'Confirm an e-mail address with the token from the mail',
        tags: ['auth'],
        body: Type.Object({ token: Token }, { additionalProperties: false }),
        response: { 204: Type.Null(), 400: ErrorJson, 403: ErrorJson, 409: ErrorJson },
      },
    },
    async (request, reply) => {
      await verifyEmail(ctx, request.body.token);
      return reply.code(204).send(null);
    },
  );

  api.post(
    '/api/v1/auth/verify-email/resend',
    { schema: { summary: 'Send the confirmation link again', tags: ['auth'], response: { 202: Accepted, 401: ErrorJson, 403: ErrorJson, 429: ErrorJson } } },
    async (request, reply) => {
      const actor = requireActor(request);
      await limiter.hit('accountMail', request, actor.userId);
      await resendVerification(ctx, actor.userId, request.i18n.locale);
      return reply.code(202).send({ message: request.i18n.t('accounts.notice.verify-sent') });
    },
  );
}
