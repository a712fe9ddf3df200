import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { RESET_ACCEPTED } from './api-auth.ts';
import { ForgotPasswordPage, RegisterPage, ResetPasswordPage, SignInPage, VerifyEmailPage } from './auth-views.tsx';
import { requestPasswordReset, resetPassword, resetTokenProblem } from './credentials.ts';
import { field, pageProblem, redirectAfterPost, sendPage, type AccountRouteDeps } from './http-helpers.ts';
import { AccountProblem } from './problems.ts';
import { register, verifyEmail } from './registration.ts';
import { emailProblem, normaliseEmail, safeNextPath, safePathAfterSignOut } from './rules.ts';
import { endSession, startSession } from './session-start.ts';
import { throttledSignIn } from './signin-throttle.ts';
import { defaultOidcOffer, OidcSignInButton } from '../sso/signin-offer.tsx';
import type { MessageKey } from '../i18n/index.ts';

// The pages of the way in, for browsers with or without JavaScript: forms that POST and redirect.

/** Page forms accept any fields; the commands judge them and the page shows every problem. */
const FormBody = Type.Record(Type.String(), Type.String({ maxLength: 4000 }));
const NextQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 1000 })), notice: Type.Optional(Type.String({ maxLength: 40 })) });
const TokenQuery = Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })), next: Type.Optional(Type.String({ maxLength: 1000 })) });

const SIGN_IN_NOTICES = {
  'signed-out': 'accounts.notice.signedOut',
  'signed-out-everywhere': 'accounts.notice.signedOutEverywhere',
} as const satisfies Record<string, MessageKey>;
const isSignInNotice = (notice: string | undefined): notice is keyof typeof SIGN_IN_NOTICES => notice !== undefined && Object.hasOwn(SIGN_IN_NOTICES, notice);

export async function authPageRoutes(app: FastifyInstance, { ctx, chrome, limiter }: AccountRouteDeps) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  /** Where a form goes afterwards: a path on this site, resolved against our own origin (rules.ts). */
  const nextPath = (raw: unknown) => safeNextPath(raw, '/', ctx.config.publicUrl);

  api.get('/register', { schema: { hide: true, querystring: NextQuery } }, async (request, reply) => {
    const next = nextPath(request.query.next);
    if (request.actor) return reply.redirect(next === '/' ? '/account' : next, 303);
    return sendPage(reply, 200, <RegisterPage chrome={chrome(request, reply)} next={next} />);
  });

  api.post('/register', { schema: { hide: true, body: FormBody } }, async (request, reply) => {
    const body = request.body;
    const next = nextPath(body.next);
    const values = { email: field(body, 'email'), displayName: field(body, 'displayName') };
    try {
      await limiter.hit('register', request);
      // The verification mail leads back to the page the reader came from.
      // ...and speaks the language of this page until the reader chooses one.
      const account = await register(ctx, { ...values, password: field(body, 'password'), next: next === '/' ? null : next, locale: request.i18n.locale });
      await startSession(ctx, request, reply, account, false);
      return redirectAfterPost(reply, next === '/' ? '/account?notice=welcome' : next);
    } catch (error) {
      const problem = pageProblem(error, reply);
      return sendPage(reply, problem.status, <RegisterPage chrome={chrome(request, reply)} next={next} state={{ values, problem }} />);
    }
  });

  api.get('/signin', { schema: { hide: true, querystring: NextQuery } }, async (request, reply) => {
    const next = nextPath(request.query.next);
    if (request.actor) return reply.redirect(next === '/' ? '/account' : next, 303);
    const notice = isSignInNotice(request.query.notice) ? request.i18n.t(SIGN_IN_NOTICES[request.query.notice]) : null;
    const offer = await defaultOidcOffer(ctx.db.kysely, next);
    return sendPage(reply, 200, <SignInPage chrome={chrome(request, reply)} next={next} notice={notice} alternative={<OidcSignInButton offer={offer} />} />);
  });

  api.post('/signin', { schema: { hide: true, body: FormBody } }, async (request, reply) => {
    const body = request.body;
    const next = nextPath(body.next);
    const values = { email: field(body, 'email'), remember: field(body, 'remember') ? '1' : '' };
    try {
      const account = await throttledSignIn(ctx, limiter, request, { email: values.email, password: field(body, 'password') });
      await startSession(ctx, request, reply, account, values.remember === '1');
      return redirectAfterPost(reply, next);
    } catch (error) {
      const problem = pageProblem(error, reply);
      // The form shows the problem above the fields: it is about the pair, not one of them.
      const shown = problem.code === 'invalid_credentials' ? problem.moved(null) : problem;
      const offer = await defaultOidcOffer(ctx.db.kysely, next);
      return sendPage(reply, shown.status, <SignInPage chrome={chrome(request, reply)} next={next} state={{ values, problem: shown }} alternative={<OidcSignInButton offer={offer} />} />);
    }
  });

  api.post('/signout', { schema: { hide: true, body: Type.Optional(FormBody) } }, async (request, reply) => {
    await endSession(ctx, request, reply);
    return redirectAfterPost(reply, safePathAfterSignOut(request.body?.next, '/', ctx.config.publicUrl));
  });

  api.get('/forgot-password', { schema: { hide: true } }, async (request, reply) => {
    return sendPage(reply, 200, <ForgotPasswordPage chrome={chrome(request, reply)} />);
  });

  api.post('/forgot-password', { schema: { hide: true, body: FormBody } }, async (request, reply) => {
    const values = { email: field(request.body, 'email') };
    try {
      const problem = emailProblem(normaliseEmail(values.email));
      if (problem) throw AccountProblem.one('email', 'invalid_email', problem);
      await limiter.hit('passwordReset', request, values.email);
      await requestPasswordReset(ctx, values.email, request.i18n.locale);
      return sendPage(reply, 200, <ForgotPasswordPage chrome={chrome(request, reply)} sent state={{ values }} />);
    } catch (error) {
      const problem = pageProblem(error, reply);
      return sendPage(reply, problem.status, <ForgotPasswordPage chrome={chrome(request, reply)} state={{ values, problem }} />);
    }
  });

  api.get('/reset-password', { schema: { hide: true, querystring: TokenQuery } }, async (request, reply) => {
    const token = request.query.token ?? '';
    const tokenProblem = await resetTokenProblem(ctx, token, request.i18n);
    // The token stays out of Referer headers sent to any other page.
    reply.header('referrer-policy', 'no-referrer');
    return sendPage(reply, tokenProblem ? 400 : 200, <ResetPasswordPage chrome={chrome(request, reply)} token={token} tokenProblem={tokenProblem} />);
  });

  api.post('/reset-password', { schema: { hide: true, body: FormBody } }, async (request, reply) => {
    const token = field(request.body, 'token');
    try {
      await limiter.hit('passwordReset', request);
      const account = await resetPassword(ctx, { token, password: field(request.body, 'password') });
      await startSession(ctx, request, reply, account, false);
      return redirectAfterPost(reply, '/account?notice=password-reset');
    } catch (error) {
      const problem = pageProblem(error, reply);
      const tokenProblem = problem.forField('token', request.i18n) ?? null;
      return sendPage(reply, problem.status, <ResetPasswordPage chrome={chrome(request, reply)} token={token} tokenProblem={tokenProblem} state={{ problem }} />);
    }
  });

  api.get('/verify-email', { schema: { hide: true, querystring: TokenQuery } }, async (request, reply) => {
    reply.header('referrer-policy', 'no-referrer');
    try {
      const verified = await verifyEmail(ctx, request.query.token ?? '');
      // This page is the first to show the confirmed state: its header tells the reader's other tabs.
      if (request.actor?.userId === verified.id) request.actor = { ...request.actor, emailVerified: true };
      const next = request.query.next ? nextPath(request.query.next) : '/';
      return sendPage(reply, 200, <VerifyEmailPage chrome={chrome(request, reply)} problem={null} next={next === '/' ? null : next} />);
    } catch (error) {
      const problem = pageProblem(error, reply);
      return sendPage(reply, problem.status, <VerifyEmailPage chrome={chrome(request, reply)} problem={problem.messageIn(request.i18n)} />);
    }
  });

  api.get('/account/deleted', { schema: { hide: true } }, async (request, reply) => {
    return sendPage(reply, 200, <SignInPage chrome={chrome(request, reply)} next="/" notice={request.i18n.t('accounts.notice.deleted')} />);
  });
}

export { RESET_ACCEPTED };
