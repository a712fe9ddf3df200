import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AccountPage, type AccountForm } from './account-views.tsx';
import { exportFileName } from './api-me.ts';
import { changeEmail, changePassword } from './credentials.ts';
import { field, pageProblem, redirectAfterPost, sendPage, type AccountRouteDeps } from './http-helpers.ts';
import { AccountNav } from './nav.tsx';
import { presentActor } from './presenter.ts';
import { AccountProblem } from './problems.ts';
import { deleteAccount, exportPersonalData, updateProfile } from './profile.ts';
import { resendVerification } from './registration.ts';
import { safeNextPath } from './rules.ts';
import { endSession } from './session-start.ts';
import { deleteSession, deleteUserSessions } from './sessions.ts';
import { findAccountById, listSessions } from './store.ts';
import { csrfToken } from '../http/csrf.ts';
import { renderFragment } from '../ui/render.ts';
import type { MessageKey } from '../i18n/index.ts';
import { localePreferenceFrom, setLocalePreference } from './locale-preference.ts';

// The reader's own account page and the forms on it; each form posts, then comes back to the page.

const FormBody = Type.Record(Type.String(), Type.String({ maxLength: 4000 }));

// i18n-keys: accounts.notice.*
const NOTICES = ['welcome', 'profile', 'email', 'password', 'password-reset', 'verify-sent', 'session-revoked', 'language'] as const;
type NoticeName = (typeof NOTICES)[number];
const isNotice = (name: string | undefined): name is NoticeName => (NOTICES as readonly (string | undefined)[]).includes(name);
const noticeKey = (name: NoticeName) => `accounts.notice.${name}` as MessageKey;

export async function accountPageRoutes(app: FastifyInstance, { ctx, chrome, limiter }: AccountRouteDeps) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;

  /** The signed-in reader, or a redirect to the sign-in page that comes back here. */
  const signedIn = (request: FastifyRequest, reply: FastifyReply) => {
    if (request.actor) return request.actor;
    void reply.redirect(`/signin?next=${encodeURIComponent('/account')}`, 303);
    return null;
  };

  async function showAccount(request: FastifyRequest, reply: FastifyReply, status: number, extra: { notice?: NoticeName | null; form?: AccountForm; problem?: AccountProblem; values?: Record<string, string> }) {
    const actor = request.actor!;
    const account = await findAccountById(db, actor.userId);
    if (!account) return reply.redirect('/signin', 303);
    const sessions = await listSessions(db, actor.userId);
    const state = extra.form ? { values: extra.values, problem: extra.problem } : undefined;
    // After registering, the reader learns where the confirmation went, so a mistyped address shows at once.
    const notice = extra.notice ? request.i18n.t(noticeKey(extra.notice), extra.notice === 'welcome' ? { site: chrome(request, reply).site.name, address: account.email ?? '', known: account.email ? 'yes' : 'no' } : undefined) : null;
    return sendPage(reply, status, <AccountPage chrome={chrome(request, reply)} account={account} sessions={sessions} notice={notice} form={extra.form} state={state} />);
  }

  api.get('/account', { schema: { hide: true, querystring: Type.Object({ notice: Type.Optional(Type.String({ maxLength: 40 })) }) } }, async (request, reply) => {
    if (!signedIn(request, reply)) return reply;
    return showAccount(request, reply, 200, { notice: isNotice(request.query.notice) ? request.query.notice : null });
  });

  /** Runs one account form; its problems come back into that form with what was typed. */
  const formRoute = (path: string, form: AccountForm, keep: string[], run: (request: FastifyRequest<{ Body: Record<string, string> }>, reply: FastifyReply) => Promise<string>) =>
    api.post(path, { schema: { hide: true, body: FormBody } }, async (request, reply) => {
      if (!signedIn(request, reply)) return reply;
      try {
        return redirectAfterPost(reply, await run(request, reply));
      } catch (error) {
        const problem = pageProblem(error, reply);
        const values = Object.fromEntries(keep.map((name) => [name, field(request.body, name)]));
        return showAccount(request, reply, problem.status, { form, problem, values });
      }
    });

  formRoute('/account/profile', 'profile', ['displayName', 'bio'], async (request) => {
    await updateProfile(ctx, request.actor!.userId, { displayName: field(request.body, 'displayName'), bio: field(request.body, 'bio') });
    return '/account?notice=profile';
  });

  // The reader's language (users.locale): effective from the page this redirects to.
  formRoute('/account/language', 'language', [], async (request) => {
    const locale = localePreferenceFrom(field(request.body, 'locale'));
    await setLocalePreference(db, request.actor!.userId, locale);
    request.actor = { ...request.actor!, locale };
    return '/account?notice=language';
  });

  formRoute('/account/email', 'email', ['email'], async (request) => {
    await limiter.hit('passwordCheck', request, request.actor!.userId);
    await limiter.hit('accountMail', request, request.actor!.userId);
    await changeEmail(ctx, request.actor!.userId, { email: field(request.body, 'email'), currentPassword: field(request.body, 'currentPassword'), locale: request.i18n.locale });
    return '/account?notice=email';
  });

  formRoute('/account/password', 'password', [], async (request) => {
    const actor = request.actor!;
    await limiter.hit('passwordCheck', request, actor.userId);
    await changePassword(ctx, actor.userId, { currentPassword: field(request.body, 'currentPassword'), newPassword: field(request.body, 'newPassword'), keepSessionId: actor.sessionId, locale: request.i18n.locale });
    return '/account?notice=password';
  });

  formRoute('/account/verify-email/resend', 'email', [], async (request) => {
    await limiter.hit('accountMail', request, request.actor!.userId);
    await resendVerification(ctx, request.actor!.userId, request.i18n.locale);
    return '/account?notice=verify-sent';
  });

  formRoute('/account/delete', 'delete', [], async (request, reply) => {
    const actor = request.actor!;
    if (field(request.body, 'confirm') !== '1') {
      throw AccountProblem.keyed('confirm', 'confirmation_required', 'accounts.problem.confirmDelete');
    }
    await limiter.hit('passwordCheck', request, actor.userId);
    await deleteAccount(ctx, actor.userId, { password: field(request.body, 'password') });
    await endSession(ctx, request, reply);
    return '/account/deleted';
  });

  api.post('/account/sessions/:id/revoke', { schema: { hide: true, params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), body: Type.Optional(FormBody) } }, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    if (request.params.id === actor.sessionId) {
      await endSession(ctx, request, reply);
      return redirectAfterPost(reply, '/signin?notice=signed-out');
    }
    const mine = (await listSessions(db, actor.userId)).some((s) => s.id === request.params.id);
    // Not one of this reader's sessions (someone else's, or one that has ended since the page was shown):
    // nothing was signed out, and the page says so rather than claiming success.
    if (!mine) return showAccount(request, reply, 404, { form: 'sessions', problem: AccountProblem.keyed(null, 'session_not_found', 'accounts.problem.sessionNotFound', undefined, 404) });
    await deleteSession(db, request.params.id);
    return redirectAfterPost(reply, '/account?notice=session-revoked');
  });

  api.post('/account/signout-everywhere', { schema: { hide: true, body: Type.Optional(FormBody) } }, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    await deleteUserSessions(db, actor.userId);
    await endSession(ctx, request, reply);
    return redirectAfterPost(reply, '/signin?notice=signed-out-everywhere');
  });

  api.get('/account/export', { schema: { hide: true } }, async (request, reply) => {
    const actor = signedIn(request, reply);
    if (!actor) return reply;
    const data = await exportPersonalData(ctx, actor.userId);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${exportFileName(actor.handle)}"`)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });

  // The header's account area as the site island swaps it in when another tab signs in or out.
  api.get(
    '/account/nav',
    { schema: { hide: true, querystring: Type.Object({ path: Type.Optional(Type.String({ maxLength: 1000 })) }) } },
    async (request, reply) => {
      let token: string | null = null;
      const csrf = () => (token ??= csrfToken(reply));
      const html = renderFragment(<AccountNav actor={request.actor} csrf={csrf} path={safeNextPath(request.query.path, '/', ctx.config.publicUrl)} held={request.heldCount} />, request.i18n);
      return reply.header('cache-control', 'no-store').send({ user: request.actor ? presentActor(request.actor) : null, html });
    },
  );
}
