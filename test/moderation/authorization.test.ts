import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routesOf } from '../../src/http/route-list.ts';
import { sanctionReader } from '../../src/moderation/commands.ts';
import { startConversation, type Conversation } from '../comments/setup.ts';
import { TestClient } from '../helpers/client.ts';
import { createTestUser, signedInClient, type TestUser } from '../helpers/users.ts';
import type { Article } from '../../src/articles/model.ts';
import { createSite, setModeratorSites } from '../../src/sites/store.ts';

// One table for the whole product: every route × every kind of visitor, and the status each gets.
// The routes come from the running app, so a new route that is not in the table fails this test.
// 'ok' means 2xx (or, for a plain form post, its 303 redirect); 303 alone on a GET is a redirect to sign in, 301 a permanent one. Routes owned by other features carry the statuses their code gives today.

// siteModerator: a moderator limited to another site than the fixtures' articles (src/sites, moderator_sites).
const ROLES = ['anonymous', 'reader', 'unverified', 'warned', 'suspended', 'banned', 'staff', 'moderator', 'siteModerator', 'admin'] as const;
type Who = (typeof ROLES)[number];
type Expect = 'ok' | 301 | 303 | 400 | 401 | 403 | 404 | 409 | 422;
type Row = Record<Who, Expect>;

const all = (e: Expect): Row => Object.fromEntries(ROLES.map((r) => [r, e])) as Row;
const signedIn = (e: Expect = 'ok'): Row => ({ ...all(e), anonymous: 401 });
const verified = (e: Expect = 'ok'): Row => ({ ...signedIn(e), unverified: 403 });
/** Posting and editing: the pipeline refuses the unacknowledged warning, suspensions and bans. */
const participants = (e: Expect = 'ok'): Row => ({ ...verified(e), warned: 403, suspended: 403, banned: 403 });
/** Reporting: suspended and banned readers may not. */
const reporters = (e: Expect = 'ok'): Row => ({ ...verified(e), suspended: 403, banned: 403 });
const newsroom = (from: 'staff' | 'moderator' | 'admin'): Row => {
  const rank = ['staff', 'moderator', 'admin'].indexOf(from);
  const roleOf = (r: Who) => (r === 'siteModerator' ? 'moderator' : r);
  return Object.fromEntries(ROLES.map((r) => [r, r === 'anonymous' ? 401 : ['staff', 'moderator', 'admin'].indexOf(roleOf(r)) >= rank && ['staff', 'moderator', 'admin'].includes(roleOf(r)) ? 'ok' : 403])) as Row;
};
/** Moderation of the fixtures' articles and readers: a moderator limited to another site is refused. */
const moderatorsOfThisSite = (): Row => ({ ...newsroom('moderator'), siteModerator: 403 });
/** Pages for signed-in readers send anonymous visitors to sign in. */
const signedIn303 = (e: Expect = 'ok'): Row => ({ ...all(e), anonymous: 303 });
const except = (row: Row, changes: Partial<Row>): Row => ({ ...row, ...changes });

interface Fixtures {
  article: Article;
  other: Article;
  commentId: number;
  author: TestUser;
  target: TestUser;
}
interface Req {
  path: string;
  body?: unknown;
  /** A plain form post (with the page's CSRF field) rather than JSON. */
  form?: Record<string, string>;
}
/** throwaway: the request is made as a new user of that kind, because it changes the user (account deletion). */
type Entry = { req: (f: Fixtures, who: Who) => Req; expect: Row; throwaway?: boolean };

const p = (path: string) => () => ({ path });
let n = 0;
const text = (who: Who) => `Table comment ${++n} from a ${who} reader.`;

const TABLE: Record<string, Entry> = {
  // --- Site, articles, assets ---
  'GET /assets/*': { req: p('/assets/missing.css'), expect: all(404) },
  'GET /assets/client/*': { req: p('/assets/client/missing.js'), expect: all(404) },
  'GET /assets/icons/:file': { req: p('/assets/icons/missing.png'), expect: all(404) },
  'GET /favicon.ico': { req: p('/favicon.ico'), expect: all('ok') },
  'GET /manifest.webmanifest': { req: p('/manifest.webmanifest'), expect: all('ok') },
  'GET /api/v1/conversations/most-discussed': { req: p('/api/v1/conversations/most-discussed'), expect: all('ok') },
  'GET /api/v1/conversations/active': { req: p('/api/v1/conversations/active'), expect: all('ok') },
  'GET /healthz': { req: p('/healthz'), expect: all('ok') },
  'GET /livez': { req: p('/livez'), expect: all('ok') },
  'GET /readyz': { req: p('/readyz'), expect: all('ok') },
  'GET /': { req: p('/'), expect: all('ok') },
  'GET /articles/:slug': { req: (f) => ({ path: `/articles/${f.article.slug}` }), expect: all('ok') },
  'GET /feed.xml': { req: p('/feed.xml'), expect: all('ok') },
  'GET /media/:file': { req: p(`/media/${'0'.repeat(64)}.png`), expect: all(404) },
  'GET /api/v1/articles': { req: p('/api/v1/articles'), expect: all('ok') },
  'GET /api/v1/articles/:slug': { req: (f) => ({ path: `/api/v1/articles/${f.article.slug}` }), expect: all('ok') },
  'GET /api/v1/openapi.json': { req: p('/api/v1/openapi.json'), expect: all('ok') },
  // --- Embed and single sign-on (the fixtures' default site lists no origins, so frames are refused) ---
  'GET /embed.js': { req: p('/embed.js'), expect: all('ok') },
  'GET /count.js': { req: p('/count.js'), expect: all('ok') },
  'GET /embed/:site': { req: p(`/embed/default?url=${encodeURIComponent('https://news.example/a')}&origin=${encodeURIComponent('https://news.example')}`), expect: all(403) },
  'GET /embed/:site/section': { req: p(`/embed/default/section?url=${encodeURIComponent('https://news.example/a')}&origin=${encodeURIComponent('https://news.example')}`), expect: all(403) },
  'GET /embed/:site/theme.css': { req: p('/embed/default/theme.css'), expect: all('ok') },
  'GET /embed/signin': { req: p('/embed/signin?state=table-state-0123456789'), expect: all(303) },
  'GET /embed/signed-in': { req: p('/embed/signed-in?state=table-state-0123456789'), expect: signedIn303() },
  'POST /api/v1/embed/token': { req: () => ({ path: '/api/v1/embed/token', body: {} }), expect: all(400) },
  'GET /api/v1/embed/counts': { req: p(`/api/v1/embed/counts?site=default&url=${encodeURIComponent('https://news.example/a')}`), expect: all('ok') },
  'POST /api/v1/embed/sso': { req: () => ({ path: '/api/v1/embed/sso', body: {} }), expect: all(400) },
  'GET /auth/oidc/:site/start': { req: p('/auth/oidc/default/start'), expect: all(404) },
  'GET /auth/oidc/:site/callback': { req: p('/auth/oidc/default/callback'), expect: all(400) },

  // --- Accounts (src/accounts; statuses as its code gives them) ---
  'GET /api/v1/auth/csrf': { req: p('/api/v1/auth/csrf'), expect: all('ok') },
  'POST /api/v1/auth/register': { req: () => ({ path: '/api/v1/auth/register', body: {} }), expect: all(400) },
  'POST /api/v1/auth/login': { req: () => ({ path: '/api/v1/auth/login', body: {} }), expect: all(400) },
  'POST /api/v1/auth/logout': { req: () => ({ path: '/api/v1/auth/logout', body: {} }), expect: all('ok') },
  'POST /api/v1/auth/logout-everywhere': { req: () => ({ path: '/api/v1/auth/logout-everywhere', body: {} }), expect: signedIn() },
  'POST /api/v1/auth/password-reset': { req: () => ({ path: '/api/v1/auth/password-reset', body: {} }), expect: all(400) },
  'POST /api/v1/auth/password-reset/confirm': { req: () => ({ path: '/api/v1/auth/password-reset/confirm', body: {} }), expect: all(400) },
  'POST /api/v1/auth/verify-email': { req: () => ({ path: '/api/v1/auth/verify-email', body: {} }), expect: all(400) },
  'POST /api/v1/auth/verify-email/resend': { req: () => ({ path: '/api/v1/auth/verify-email/resend', body: {} }), expect: signedIn() },
  'GET /api/v1/me': { req: p('/api/v1/me'), expect: signedIn() },
  'PATCH /api/v1/me': { req: () => ({ path: '/api/v1/me', body: {} }), expect: signedIn() },
  'DELETE /api/v1/me': { req: () => ({ path: '/api/v1/me', body: {} }), expect: signedIn(), throwaway: true },
  'POST /api/v1/me/email': { req: () => ({ path: '/api/v1/me/email', body: {} }), expect: all(400) },
  'POST /api/v1/me/password': { req: () => ({ path: '/api/v1/me/password', body: {} }), expect: all(400) },
  'GET /api/v1/me/sessions': { req: p('/api/v1/me/sessions'), expect: signedIn() },
  'DELETE /api/v1/me/sessions/:id': { req: () => ({ path: '/api/v1/me/sessions/999999999' }), expect: signedIn(404) },
  'GET /api/v1/me/export': { req: p('/api/v1/me/export'), expect: signedIn() },
  'GET /register': { req: p('/register'), expect: { ...all(303), anonymous: 'ok' } },
  'POST /register': { req: () => ({ path: '/register', form: {} }), expect: all(400) },
  'GET /signin': { req: p('/signin'), expect: { ...all(303), anonymous: 'ok' } },
  'POST /signin': { req: () => ({ path: '/signin', form: {} }), expect: all(401) },
  'POST /signout': { req: () => ({ path: '/signout', form: {} }), expect: all('ok') },
  'GET /forgot-password': { req: p('/forgot-password'), expect: all('ok') },
  'POST /forgot-password': { req: () => ({ path: '/forgot-password', form: {} }), expect: all(400) },
  'GET /reset-password': { req: p('/reset-password'), expect: all(400) },
  'POST /reset-password': { req: () => ({ path: '/reset-password', form: {} }), expect: all(400) },
  'GET /verify-email': { req: p('/verify-email'), expect: all(400) },
  'GET /account/deleted': { req: p('/account/deleted'), expect: all('ok') },
  'GET /account': { req: p('/account'), expect: signedIn303() },
  'POST /account/profile': { req: () => ({ path: '/account/profile', form: {} }), expect: signedIn303(400) },
  // A language Parley does not speak: refused with the form's problem (issue 16).
  'POST /account/language': { req: () => ({ path: '/account/language', form: { locale: 'xx' } }), expect: signedIn303(400) },
  'POST /account/email': { req: () => ({ path: '/account/email', form: {} }), expect: signedIn303(400) },
  'POST /account/password': { req: () => ({ path: '/account/password', form: {} }), expect: signedIn303(400) },
  'POST /account/verify-email/resend': { req: () => ({ path: '/account/verify-email/resend', form: {} }), expect: signedIn303() },
  'POST /account/delete': { req: () => ({ path: '/account/delete', form: {} }), expect: signedIn303(400) },
  // Not one of the reader's sessions: "no such session" (issue 18).
  'POST /account/sessions/:id/revoke': { req: () => ({ path: '/account/sessions/999999999/revoke', form: {} }), expect: signedIn303(404) },
  'POST /account/signout-everywhere': { req: () => ({ path: '/account/signout-everywhere', form: {} }), expect: signedIn303() },
  'GET /account/export': { req: p('/account/export'), expect: signedIn303() },
  'GET /account/nav': { req: p('/account/nav'), expect: all('ok') },
  'GET /readers/:handle': { req: (f) => ({ path: `/readers/${f.author.handle}` }), expect: all('ok') },
  'GET /readers/:handle/avatar.svg': { req: (f) => ({ path: `/readers/${f.author.handle}/avatar.svg` }), expect: all('ok') },
  'GET /api/v1/readers/:handle': { req: (f) => ({ path: `/api/v1/readers/${f.author.handle}` }), expect: all('ok') },

  // --- Comments ---
  'GET /api/v1/articles/:slug/comments': { req: (f) => ({ path: `/api/v1/articles/${f.article.slug}/comments` }), expect: all('ok') },
  'POST /api/v1/articles/:slug/comments': { req: (f, who) => ({ path: `/api/v1/articles/${f.article.slug}/comments`, body: { body: text(who) } }), expect: participants() },
  'GET /api/v1/comments/:id': { req: (f) => ({ path: `/api/v1/comments/${f.commentId}` }), expect: all('ok') },
  'GET /api/v1/comments/:id/replies': { req: (f) => ({ path: `/api/v1/comments/${f.commentId}/replies` }), expect: all('ok') },
  'PATCH /api/v1/comments/:id': { req: (f) => ({ path: `/api/v1/comments/${f.commentId}`, body: { body: 'Not mine to edit.' } }), expect: except(verified(403), {}) },
  'DELETE /api/v1/comments/:id': { req: (f) => ({ path: `/api/v1/comments/${f.commentId}` }), expect: signedIn(403) },
  'PUT /api/v1/comments/:id/reaction': { req: (f) => ({ path: `/api/v1/comments/${f.commentId}/reaction` }), expect: verified() },
  'DELETE /api/v1/comments/:id/reaction': { req: (f) => ({ path: `/api/v1/comments/${f.commentId}/reaction` }), expect: verified() },
  'PUT /api/v1/articles/:slug/comments-open': { req: (f) => ({ path: `/api/v1/articles/${f.other.slug}/comments-open` }), expect: newsroom('staff') },
  'DELETE /api/v1/articles/:slug/comments-open': { req: (f) => ({ path: `/api/v1/articles/${f.other.slug}/comments-open` }), expect: newsroom('staff') },
  'GET /api/v1/articles/:slug/live': { req: (f) => ({ path: `/api/v1/articles/${f.article.slug}/live` }), expect: all('ok') },
  'GET /articles/:slug/comments/:id': { req: (f) => ({ path: `/articles/${f.article.slug}/comments/${f.commentId}` }), expect: all('ok') },
  // A comment's short address leads everyone to its page under the article.
  'GET /comments/:id': { req: (f) => ({ path: `/comments/${f.commentId}` }), expect: all(301) },
  'POST /articles/:slug/comments': { req: (f, who) => ({ path: `/articles/${f.article.slug}/comments`, form: { body: text(who) } }), expect: participants() },
  // --- Discuss a passage (src/passages): the paragraph's page, and its form quoting words of paragraph 1 ---
  'GET /articles/:slug/passages/:n': { req: (f) => ({ path: `/articles/${f.article.slug}/passages/1` }), expect: all('ok') },
  'POST /articles/:slug/passages/:n': { req: (f, who) => ({ path: `/articles/${f.article.slug}/passages/1`, form: { body: text(who), exact: f.article.body[0]!.text.split(' ').slice(0, 4).join(' ') } }), expect: participants() },
  'GET /comments/:id/edit': { req: (f) => ({ path: `/comments/${f.commentId}/edit` }), expect: verified(403) },
  'POST /comments/:id/edit': { req: (f) => ({ path: `/comments/${f.commentId}/edit`, form: { body: 'Not mine.' } }), expect: verified(403) },
  'POST /comments/:id/delete': { req: (f) => ({ path: `/comments/${f.commentId}/delete`, form: {} }), expect: signedIn(403) },
  'POST /comments/:id/reaction': { req: (f) => ({ path: `/comments/${f.commentId}/reaction`, form: { on: '1' } }), expect: verified() },
  // The one-form pages behind the actions under a comment, for readers without JavaScript (issue 19).
  'GET /comments/:id/react': { req: (f) => ({ path: `/comments/${f.commentId}/react` }), expect: verified() },
  'GET /comments/:id/follow': { req: (f) => ({ path: `/comments/${f.commentId}/follow` }), expect: signedIn() },
  'GET /comments/:id/delete': { req: (f) => ({ path: `/comments/${f.commentId}/delete` }), expect: signedIn(403) },
  'GET /fragments/comments/:id': { req: (f) => ({ path: `/fragments/comments/${f.commentId}` }), expect: all('ok') },
  'GET /fragments/comments/:id/replies': { req: (f) => ({ path: `/fragments/comments/${f.commentId}/replies` }), expect: all('ok') },
  'GET /fragments/articles/:slug/threads': { req: (f) => ({ path: `/fragments/articles/${f.article.slug}/threads` }), expect: all('ok') },
  'GET /fragments/articles/:slug/join': { req: (f) => ({ path: `/fragments/articles/${f.article.slug}/join` }), expect: all('ok') },
  'GET /fragments/articles/:slug/featured': { req: (f) => ({ path: `/fragments/articles/${f.article.slug}/featured` }), expect: all('ok') },
  // Renders the text with the comment renderer and stores nothing: any signed-in reader, sanctioned or not.
  'POST /fragments/comments/preview': { req: () => ({ path: '/fragments/comments/preview', body: { body: 'A *preview*' } }), expect: signedIn() },
  // A redirect to the comment's reply box with the comment quoted.
  'GET /comments/:id/quote': { req: (f) => ({ path: `/comments/${f.commentId}/quote` }), expect: all(303) },

  // --- Community (src/community; statuses as its code gives them) ---
  'GET /api/v1/readers/:handle/community': { req: (f) => ({ path: `/api/v1/readers/${f.author.handle}/community` }), expect: all('ok') },
  'PUT /api/v1/readers/:handle/follow': { req: (f) => ({ path: `/api/v1/readers/${f.author.handle}/follow` }), expect: signedIn() },
  'PUT /api/v1/readers/:handle/mute': { req: (f) => ({ path: `/api/v1/readers/${f.author.handle}/mute` }), expect: signedIn() },
  'PUT /api/v1/articles/:slug/follow': { req: (f) => ({ path: `/api/v1/articles/${f.other.slug}/follow` }), expect: signedIn() },
  'DELETE /api/v1/readers/:handle/follow': { req: (f) => ({ path: `/api/v1/readers/${f.author.handle}/follow` }), expect: signedIn() },
  'DELETE /api/v1/readers/:handle/mute': { req: (f) => ({ path: `/api/v1/readers/${f.author.handle}/mute` }), expect: signedIn() },
  'DELETE /api/v1/articles/:slug/follow': { req: (f) => ({ path: `/api/v1/articles/${f.other.slug}/follow` }), expect: signedIn() },
  'GET /readers/:handle/followers': { req: (f) => ({ path: `/readers/${f.author.handle}/followers` }), expect: all('ok') },
  'GET /readers/:handle/following': { req: (f) => ({ path: `/readers/${f.author.handle}/following` }), expect: all('ok') },
  'GET /api/v1/readers/:handle/followers': { req: (f) => ({ path: `/api/v1/readers/${f.author.handle}/followers` }), expect: all('ok') },
  'GET /api/v1/readers/:handle/following': { req: (f) => ({ path: `/api/v1/readers/${f.author.handle}/following` }), expect: all('ok') },
  'GET /api/v1/me/notification-settings': { req: p('/api/v1/me/notification-settings'), expect: signedIn() },
  'PUT /api/v1/me/notification-settings': { req: () => ({ path: '/api/v1/me/notification-settings', body: {} }), expect: signedIn() },
  'GET /api/v1/me/follow-lists': { req: p('/api/v1/me/follow-lists'), expect: signedIn() },
  'PUT /api/v1/me/follow-lists': { req: () => ({ path: '/api/v1/me/follow-lists', body: {} }), expect: signedIn() },
  'GET /api/v1/me/mutes': { req: p('/api/v1/me/mutes'), expect: signedIn() },
  'GET /api/v1/me/followed-authors': { req: p('/api/v1/me/followed-authors'), expect: signedIn() },
  'PUT /api/v1/me/followed-authors': { req: () => ({ path: '/api/v1/me/followed-authors', body: {} }), expect: all(400) },
  'DELETE /api/v1/me/followed-authors': { req: () => ({ path: '/api/v1/me/followed-authors' }), expect: all(400) },
  'GET /api/v1/notifications': { req: p('/api/v1/notifications'), expect: signedIn() },
  'POST /api/v1/notifications/read': { req: () => ({ path: '/api/v1/notifications/read', body: { all: true } }), expect: signedIn() },
  'GET /api/v1/notifications/unread': { req: p('/api/v1/notifications/unread'), expect: signedIn() },
  'GET /api/v1/notifications/live': { req: p('/api/v1/notifications/live'), expect: signedIn() },
  'GET /api/v1/feed': { req: p('/api/v1/feed'), expect: signedIn() },
  'GET /api/v1/readers/:handle/comments': { req: (f) => ({ path: `/api/v1/readers/${f.author.handle}/comments` }), expect: all('ok') },
  'GET /notifications': { req: p('/notifications'), expect: signedIn303() },
  // Someone else's (or no) notification is not found; opening one's own is tried in test/community/notification-open.test.ts.
  'GET /notifications/:id/open': { req: p('/notifications/999999/open'), expect: except(all(404), { anonymous: 303 }) },
  'GET /following': { req: p('/following'), expect: signedIn303() },
  'GET /api/v1/me/following': { req: p('/api/v1/me/following'), expect: signedIn() },
  'POST /notifications/read': { req: () => ({ path: '/notifications/read', form: {} }), expect: signedIn303(400) },
  'GET /activity': { req: p('/activity'), expect: signedIn303() },
  'GET /unsubscribe/:token': { req: p('/unsubscribe/not-a-token'), expect: all(404) },
  'POST /unsubscribe/:token': { req: () => ({ path: '/unsubscribe/not-a-token', form: {} }), expect: all(404) },
  'POST /readers/:handle/follow': { req: (f) => ({ path: `/readers/${f.author.handle}/follow`, form: {} }), expect: all(303) },
  'POST /readers/:handle/mute': { req: (f) => ({ path: `/readers/${f.author.handle}/mute`, form: {} }), expect: all(303) },
  'POST /articles/:slug/follow': { req: (f) => ({ path: `/articles/${f.other.slug}/follow`, form: {} }), expect: all(303) },
  'GET /settings/notifications': { req: p('/settings/notifications'), expect: signedIn303() },
  'POST /settings/notifications': { req: () => ({ path: '/settings/notifications', form: {} }), expect: signedIn303() },

  // --- Moderation (this feature: src/moderation/policy.ts) ---
  'GET /api/v1/moderation/queue/:queue': { req: p('/api/v1/moderation/queue/held'), expect: newsroom('moderator') },
  'POST /api/v1/moderation/comments/:id/decision': { req: (f) => ({ path: `/api/v1/moderation/comments/${f.commentId}/decision`, body: { decision: 'approve' } }), expect: moderatorsOfThisSite() },
  'POST /api/v1/comments/:id/report': { req: (f) => ({ path: `/api/v1/comments/${f.commentId}/report`, body: { reason: 'spam' } }), expect: reporters() },
  'POST /api/v1/moderation/readers/:handle/sanction': { req: (f) => ({ path: `/api/v1/moderation/readers/${f.target.handle}/sanction`, body: { kind: 'warn', reason: 'Table' } }), expect: moderatorsOfThisSite() },
  'POST /api/v1/moderation/warning/acknowledge': { req: () => ({ path: '/api/v1/moderation/warning/acknowledge', body: {} }), expect: signedIn() },
  'PUT /api/v1/articles/:slug/moderation-mode': { req: (f) => ({ path: `/api/v1/articles/${f.article.slug}/moderation-mode`, body: { mode: 'post' } }), expect: moderatorsOfThisSite() },
  'GET /api/v1/moderation/audit': { req: p('/api/v1/moderation/audit'), expect: newsroom('admin') },
  'GET /api/v1/moderation/live': { req: p('/api/v1/moderation/live'), expect: newsroom('moderator') },
  'GET /moderate': { req: p('/moderate'), expect: newsroom('moderator') },
  'GET /fragments/moderate': { req: p('/fragments/moderate?queue=reported'), expect: newsroom('moderator') },
  'POST /moderate/comments/:id/decision': { req: (f) => ({ path: `/moderate/comments/${f.commentId}/decision`, form: { decision: 'approve' } }), expect: moderatorsOfThisSite() },
  'POST /moderate/readers/:handle/sanction': { req: (f) => ({ path: `/moderate/readers/${f.target.handle}/sanction`, form: { kind: 'warn', reason: 'Table' } }), expect: moderatorsOfThisSite() },
  'GET /comments/:id/report': { req: (f) => ({ path: `/comments/${f.commentId}/report` }), expect: reporters() },
  'POST /comments/:id/report': { req: (f) => ({ path: `/comments/${f.commentId}/report`, form: { reason: 'off_topic' } }), expect: reporters(), throwaway: true },
  'POST /api/v1/moderation/decisions': { req: (f) => ({ path: '/api/v1/moderation/decisions', body: { ids: [f.commentId], decision: 'approve' } }), expect: moderatorsOfThisSite() },
  'POST /moderate/bulk': { req: (f) => ({ path: '/moderate/bulk', form: { ids: String(f.commentId), decision: 'approve' } }), expect: moderatorsOfThisSite() },
  // The moderator's controls on the article page (src/moderation/article-control-routes.ts).
  'POST /articles/:slug/moderation': { req: (f) => ({ path: `/articles/${f.article.slug}/moderation`, form: { mode: 'post' } }), expect: moderatorsOfThisSite() },
  'POST /articles/:slug/comments/:id/decision': { req: (f) => ({ path: `/articles/${f.article.slug}/comments/${f.commentId}/decision`, form: { decision: 'approve' } }), expect: moderatorsOfThisSite() },
  // Notes on a reader are for every moderator, site-limited ones included (they hold no sanction).
  'GET /api/v1/moderation/readers/:handle/notes': { req: (f) => ({ path: `/api/v1/moderation/readers/${f.target.handle}/notes` }), expect: newsroom('moderator') },
  'POST /api/v1/moderation/readers/:handle/notes': { req: (f) => ({ path: `/api/v1/moderation/readers/${f.target.handle}/notes`, body: { body: 'Table note' } }), expect: newsroom('moderator') },
  'GET /moderate/readers': { req: p('/moderate/readers'), expect: newsroom('moderator') },
  'GET /moderate/readers/:handle': { req: (f) => ({ path: `/moderate/readers/${f.target.handle}` }), expect: newsroom('moderator') },
  'POST /moderate/readers/:handle/notes': { req: (f) => ({ path: `/moderate/readers/${f.target.handle}/notes`, form: { body: 'Table note' } }), expect: newsroom('moderator') },
  'GET /moderation/warning': { req: p('/moderation/warning'), expect: signedIn() },
  'POST /moderation/warning': { req: () => ({ path: '/moderation/warning', form: {} }), expect: signedIn() },

  // --- Admin ---
  'GET /api/v1/admin/settings': { req: p('/api/v1/admin/settings'), expect: newsroom('admin') },
  'GET /api/v1/admin/export': { req: p('/api/v1/admin/export?format=parley'), expect: newsroom('admin') },
  'PUT /api/v1/admin/settings': { req: () => ({ path: '/api/v1/admin/settings', body: {} }), expect: newsroom('admin') },
  'PUT /api/v1/admin/readers/:handle/role': { req: (f) => ({ path: `/api/v1/admin/readers/${f.target.handle}/role`, body: { role: 'reader' } }), expect: newsroom('admin') },
  'GET /admin': { req: p('/admin'), expect: newsroom('admin') },
  'POST /admin/settings': { req: () => ({ path: '/admin/settings', form: { newReaderHoldCount: '0', reportHoldThreshold: '0', spamHoldThreshold: '1', editWindowMinutes: '15', commentIntervalSeconds: '0', commentMaxLength: '5000' } }), expect: newsroom('admin') },
  'POST /admin/role': { req: (f) => ({ path: '/admin/role', form: { handle: f.target.handle, role: 'reader' } }), expect: newsroom('admin') },
  'GET /admin/audit': { req: p('/admin/audit'), expect: newsroom('admin') },
  'GET /admin/jobs': { req: p('/admin/jobs'), expect: newsroom('admin') },
  'GET /import': { req: p('/import'), expect: newsroom('staff') },
  // A form without the file: the newsroom is let through to the check, which asks for one.
  'POST /import': { req: () => ({ path: '/import', form: {} }), expect: except(newsroom('staff'), { staff: 400, moderator: 400, siteModerator: 400, admin: 400 }) },
  // An address that is not one: the newsroom is let through to the fetch, which refuses it.
  'POST /import/address': { req: () => ({ path: '/import/address', form: { address: 'not an address' } }), expect: except(newsroom('staff'), { staff: 422, moderator: 422, siteModerator: 422, admin: 422 }) },
  // No job has failed here: an admin is let through to the lookup, which finds none.
  'POST /admin/jobs/:id/retry': { req: () => ({ path: '/admin/jobs/999999/retry', form: {} }), expect: except(newsroom('admin'), { admin: 404 }) },
  'GET /api/v1/admin/jobs/failed': { req: p('/api/v1/admin/jobs/failed'), expect: newsroom('admin') },

  // --- Who's quoted (src/quotes) ---
  'GET /api/v1/articles/:slug/quotes': { req: (f) => ({ path: `/api/v1/articles/${f.article.slug}/quotes` }), expect: all('ok') },
  'GET /people/:slug': { req: p('/people/nobody-quoted'), expect: all(404) },
  'GET /admin/sources': { req: p('/admin/sources'), expect: newsroom('staff') },
  'GET /admin/sources.csv': { req: p('/admin/sources.csv'), expect: newsroom('staff') },
  // No such quote: the newsroom is let through to the lookup, which finds none.
  'POST /admin/sources/quotes/:id': { req: () => ({ path: '/admin/sources/quotes/999999', form: { action: 'not_quote' } }), expect: except(newsroom('staff'), { staff: 404, moderator: 404, siteModerator: 404, admin: 404 }) },

  // --- Sites (src/admin/sites-*.ts) ---
  'GET /api/v1/admin/sites': { req: p('/api/v1/admin/sites'), expect: newsroom('admin') },
  'POST /api/v1/admin/sites': { req: () => ({ path: '/api/v1/admin/sites', body: { name: 'Table site', origins: ['https://table.example'] } }), expect: newsroom('admin') },
  'GET /api/v1/admin/sites/:key': { req: p('/api/v1/admin/sites/default'), expect: newsroom('admin') },
  'PATCH /api/v1/admin/sites/:key': { req: () => ({ path: '/api/v1/admin/sites/default', body: {} }), expect: newsroom('admin') },
  'GET /api/v1/admin/readers/:handle/sites': { req: (f) => ({ path: `/api/v1/admin/readers/${f.target.handle}/sites` }), expect: newsroom('admin') },
  'PUT /api/v1/admin/readers/:handle/sites': { req: (f) => ({ path: `/api/v1/admin/readers/${f.target.handle}/sites`, body: { sites: [] } }), expect: newsroom('admin') },
  'GET /admin/sites': { req: p('/admin/sites'), expect: newsroom('admin') },
  // A form without a name: an admin is let through to the check, which asks for one.
  'POST /admin/sites': { req: () => ({ path: '/admin/sites', form: {} }), expect: except(newsroom('admin'), { admin: 400 }) },
  'GET /admin/sites/:key': { req: p('/admin/sites/default'), expect: newsroom('admin') },
  'POST /admin/sites/:key': { req: () => ({ path: '/admin/sites/default', form: { name: 'Parley', origins: '' } }), expect: newsroom('admin') },
  'POST /admin/sites/:key/secret': { req: () => ({ path: '/admin/sites/default/secret', form: {} }), expect: newsroom('admin') },
  'POST /admin/moderator-sites': { req: (f) => ({ path: '/admin/moderator-sites', form: { handle: f.target.handle } }), expect: newsroom('admin') },
  'POST /api/v1/admin/jobs/:id/retry': { req: () => ({ path: '/api/v1/admin/jobs/999999/retry', body: {} }), expect: except(newsroom('admin'), { admin: 404 }) },

  // --- Webhooks (src/webhooks): no endpoint 999999 exists, so an admin is let through to a 404 ---
  'GET /api/v1/admin/webhooks': { req: p('/api/v1/admin/webhooks'), expect: newsroom('admin') },
  'POST /api/v1/admin/webhooks': { req: () => ({ path: '/api/v1/admin/webhooks', body: { url: 'https://hooks.example/table', events: ['article.created'] } }), expect: newsroom('admin') },
  'GET /api/v1/admin/webhooks/:id': { req: p('/api/v1/admin/webhooks/999999'), expect: except(newsroom('admin'), { admin: 404 }) },
  'PATCH /api/v1/admin/webhooks/:id': { req: () => ({ path: '/api/v1/admin/webhooks/999999', body: { enabled: false } }), expect: except(newsroom('admin'), { admin: 404 }) },
  'DELETE /api/v1/admin/webhooks/:id': { req: p('/api/v1/admin/webhooks/999999'), expect: except(newsroom('admin'), { admin: 404 }) },
  'POST /api/v1/admin/webhooks/:id/test': { req: () => ({ path: '/api/v1/admin/webhooks/999999/test', body: {} }), expect: except(newsroom('admin'), { admin: 404 }) },
  'GET /api/v1/admin/webhooks/:id/deliveries': { req: p('/api/v1/admin/webhooks/999999/deliveries'), expect: except(newsroom('admin'), { admin: 404 }) },
  'GET /admin/webhooks': { req: p('/admin/webhooks'), expect: newsroom('admin') },
  // A form without an address or events: an admin is let through to the checks, which ask for them.
  'POST /admin/webhooks': { req: () => ({ path: '/admin/webhooks', form: {} }), expect: except(newsroom('admin'), { admin: 400 }) },
  'GET /admin/webhooks/:id': { req: p('/admin/webhooks/999999'), expect: except(newsroom('admin'), { admin: 404 }) },
  'POST /admin/webhooks/:id': { req: () => ({ path: '/admin/webhooks/999999', form: {} }), expect: except(newsroom('admin'), { admin: 404 }) },
  'POST /admin/webhooks/:id/test': { req: () => ({ path: '/admin/webhooks/999999/test', form: {} }), expect: except(newsroom('admin'), { admin: 404 }) },
  'POST /admin/webhooks/:id/secret': { req: () => ({ path: '/admin/webhooks/999999/secret', form: {} }), expect: except(newsroom('admin'), { admin: 404 }) },
  'POST /admin/webhooks/:id/delete': { req: () => ({ path: '/admin/webhooks/999999/delete', form: {} }), expect: except(newsroom('admin'), { admin: 404 }) },
};

describe('authorization: every route with every role', () => {
  let c: Conversation;
  let f: Fixtures;
  const users = new Map<Who, TestUser>();
  let makeUser: (who: Who) => Promise<TestUser>;
  beforeAll(async () => {
    c = await startConversation('sqlite');
    // Reports must not hold the shared comment halfway through the table.
    await c.set('reportHoldThreshold', 0);
    const author = await createTestUser(c.app.ctx, { displayName: 'Table Author' });
    const target = await createTestUser(c.app.ctx, { displayName: 'Table Target' });
    const authorClient = await signedInClient(c.app.ctx, c.app.baseUrl, author);
    const commentId = (await authorClient.post(`/api/v1/articles/${c.article.slug}/comments`, { body: 'The comment every route is tried on.' })).body.comment.id;
    f = { article: c.article, other: await c.importArticle('The other table article'), commentId, author, target };
    const moderator = await createTestUser(c.app.ctx, { role: 'moderator' });
    const actor = { userId: moderator.id, handle: moderator.handle, displayName: moderator.displayName, role: 'moderator' as const, emailVerified: true, sessionId: 0 };
    const elsewhere = await createSite(c.app.ctx, { key: 'elsewhere', name: 'Elsewhere', origins: ['https://elsewhere.example'] });
    makeUser = async (who) => {
      const role = who === 'staff' || who === 'moderator' || who === 'admin' ? who : who === 'siteModerator' ? 'moderator' : 'reader';
      const user = await createTestUser(c.app.ctx, { role, verified: who !== 'unverified', displayName: `Table ${who}` });
      if (who === 'siteModerator') await setModeratorSites(c.app.ctx, user.id, [elsewhere.id], null);
      if (who === 'warned') await sanctionReader(c.app.ctx, actor, user.id, { kind: 'warn', until: null, reason: 'Table warning' });
      if (who === 'suspended') await sanctionReader(c.app.ctx, actor, user.id, { kind: 'suspend', until: new Date(Date.now() + 86_400_000), reason: 'Table suspension' });
      if (who === 'banned') await sanctionReader(c.app.ctx, actor, user.id, { kind: 'ban', until: null, reason: 'Table ban' });
      return user;
    };
    for (const who of ROLES) if (who !== 'anonymous') users.set(who, await makeUser(who));
  });
  afterAll(async () => {
    // The table opened and dropped live streams by the dozen; hang up on what the client side left open.
    c.app.server.server.closeAllConnections();
    await c.app.close();
  });

  it('has a row for every route the app serves, and no row for a route it does not', () => {
    const served = routesOf(c.app.server).map((r) => `${r.method} ${r.url}`);
    expect(served.filter((r) => !(r in TABLE)), 'routes missing from the table').toEqual([]);
    expect(Object.keys(TABLE).filter((r) => !served.includes(r)), 'rows for routes that no longer exist').toEqual([]);
  });

  it('gives every role the status the table says', async () => {
    const wrong: string[] = [];
    const actual: Record<string, Record<string, number>> = {};
    for (const [key, entry] of Object.entries(TABLE)) {
      const method = key.split(' ')[0]!;
      for (const who of ROLES) {
        // A fresh session per request: sign-out routes must not change the next row's answer.
        const user = who === 'anonymous' ? undefined : entry.throwaway ? await makeUser(who) : users.get(who);
        const client = user ? await signedInClient(c.app.ctx, c.app.baseUrl, user) : new TestClient(c.app.baseUrl);
        const req = entry.req(f, who);
        let status: number;
        if (req.form) {
          const res = await client.form(req.path, req.form);
          status = res.status;
          await res.arrayBuffer();
        } else if (method === 'GET') {
          const controller = new AbortController();
          const res = await client.raw(req.path, { headers: { accept: req.path.includes('/api/') ? 'application/json' : 'text/html' }, signal: controller.signal });
          status = res.status;
          // A live stream is read until it has started, so the server has registered it before we hang up.
          if (res.headers.get('content-type')?.startsWith('text/event-stream')) await res.body?.getReader().read();
          else await res.arrayBuffer();
          controller.abort();
        } else {
          status = (await client.json(method, req.path, req.body)).status;
        }
        const want = entry.expect[who];
        const ok = want === 'ok' ? (status >= 200 && status < 300) || (req.form !== undefined && status === 303) : status === want;
        if (!ok) wrong.push(`${key} as ${who}: got ${status}, table says ${want}`);
        (actual[key] ??= {})[who] = status;
      }
    }
    if (wrong.length && process.env.PRINT_TABLE) {
      const bad = new Set(wrong.map((w) => w.split(' as ')[0]));
      for (const key of bad) console.log(`ACTUAL ${key} ${JSON.stringify(actual[key])}`);
    }
    expect(wrong).toEqual([]);
    // About 1,200 requests, each with a fresh session: give it time on a busy machine.
  }, 180_000);
});
