import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { requireActor } from '../http/auth.ts';
import { ErrorJson } from '../http/schemas.ts';
import { followAuthor, setListPrivacy, setNotificationSettings, unfollowAuthor } from './commands.ts';
import { HttpError } from '../http/errors.ts';
import { MAX_AUTHOR_NAME, NOTIFICATION_KINDS, type NotificationKind } from './model.ts';
import { ListedReaderJson, presentListedReader } from './presenter.ts';
import { listFollowedAuthors, listMutes, notificationSettings, readerStats } from './store.ts';

// The signed-in reader's own community settings: who they muted, list privacy, notification choices.

const tags = ['community'];
const Errors = { 400: ErrorJson, 401: ErrorJson, 403: ErrorJson };
const DeliveryJson = Type.Union([Type.Literal('immediate'), Type.Literal('digest'), Type.Literal('off')]);
const settingsShape = <T extends typeof DeliveryJson | ReturnType<typeof Type.Optional<typeof DeliveryJson>>>(t: T) => ({
  reply: t,
  mention: t,
  followed_reader_comment: t,
  reaction: t,
  new_follower: t,
  followed_article_comment: t,
  followed_author_article: t,
  comment_approved: t,
  comment_rejected: t,
  comment_featured: t,
});
const SettingsJson = Type.Object(settingsShape(DeliveryJson));
const SettingsChange = Type.Object(settingsShape(Type.Optional(DeliveryJson)), { additionalProperties: false });
const PrivacyJson = Type.Object({ followersPrivate: Type.Boolean(), followingPrivate: Type.Boolean() });
const PrivacyChange = Type.Object({ followersPrivate: Type.Optional(Type.Boolean()), followingPrivate: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

// The schema lists the kinds by hand (for OpenAPI); this fails to compile if model.ts gains one.
const _allKinds: Record<NotificationKind, unknown> = settingsShape(DeliveryJson);
void _allKinds;

/**
 * Fastify's validator drops unknown fields silently (removeAdditional); a misspelt kind would then
 * look saved. This runs before validation and names the field instead.
 */
function onlyFields(allowed: readonly string[], what: 'kind' | 'list' | 'field') {
  return async (request: FastifyRequest) => {
    const body = request.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return;
    const unknown = Object.keys(body).find((key) => !allowed.includes(key));
    if (unknown !== undefined) throw HttpError.translated(400, 'invalid_request', 'errors.community.unknownField', { field: unknown, what, allowed: allowed.map((k) => `"${k}"`).join(', ') });
  };
}

export async function meRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;

  api.get(
    '/api/v1/me/notification-settings',
    { schema: { summary: 'How you hear of each kind of notification by e-mail: at once, in a daily digest, or not', tags, response: { 200: Type.Object({ settings: SettingsJson }), ...Errors } } },
    async (request) => ({ settings: await notificationSettings(db, requireActor(request).userId) }),
  );

  api.put(
    '/api/v1/me/notification-settings',
    {
      schema: {
        summary: 'Change some of your notification settings; the kinds left out keep theirs',
        tags,
        body: SettingsChange,
        response: { 200: Type.Object({ settings: SettingsJson }), ...Errors },
      },
      preValidation: onlyFields(NOTIFICATION_KINDS, 'kind'),
    },
    async (request) => ({ settings: await setNotificationSettings(ctx, requireActor(request).userId, request.body) }),
  );

  api.get(
    '/api/v1/me/follow-lists',
    { schema: { summary: 'Whether your follower and following lists are private', tags, response: { 200: PrivacyJson, ...Errors } } },
    async (request) => {
      const stats = await readerStats(db, requireActor(request).userId);
      return { followersPrivate: stats.followersPrivate, followingPrivate: stats.followingPrivate };
    },
  );

  api.put(
    '/api/v1/me/follow-lists',
    {
      schema: { summary: 'Make your follower or following list private (or public again)', tags, body: PrivacyChange, response: { 200: PrivacyJson, ...Errors } },
      preValidation: onlyFields(['followersPrivate', 'followingPrivate'], 'list'),
    },
    async (request) => setListPrivacy(ctx, requireActor(request).userId, request.body),
  );

  api.get(
    '/api/v1/me/mutes',
    { schema: { summary: 'The readers you muted, newest first', tags, response: { 200: Type.Object({ readers: Type.Array(ListedReaderJson) }), ...Errors } } },
    async (request) => ({ readers: (await listMutes(db, requireActor(request).userId)).map(presentListedReader) }),
  );

  const AuthorJson = Type.Object({ name: Type.String(), since: Type.String({ format: 'date-time' }) });
  // Authors are names, not handles: in the body or the query, since a path segment is short and a
  // name may hold any character.
  const AuthorName = Type.String({ minLength: 1, maxLength: MAX_AUTHOR_NAME * 2 });

  api.get(
    '/api/v1/me/followed-authors',
    { schema: { summary: 'The authors of articles you follow', tags, response: { 200: Type.Object({ authors: Type.Array(AuthorJson) }), ...Errors } } },
    async (request) => ({ authors: (await listFollowedAuthors(db, requireActor(request).userId)).map((a) => ({ name: a.name, since: a.since })) }),
  );

  api.put(
    '/api/v1/me/followed-authors',
    {
      schema: {
        summary: 'Follow an author of articles by the name in their bylines (case, accents and spacing do not matter)',
        tags,
        body: Type.Object({ name: AuthorName }),
        response: { 200: Type.Object({ following: Type.Boolean(), author: Type.String() }), ...Errors },
      },
      preValidation: onlyFields(['name'], 'field'),
    },
    async (request) => {
      await followAuthor(ctx, requireActor(request).userId, request.body.name);
      return { following: true, author: request.body.name.trim() };
    },
  );

  api.delete(
    '/api/v1/me/followed-authors',
    {
      schema: {
        summary: 'Stop following an author',
        tags,
        querystring: Type.Object({ name: AuthorName }),
        response: { 200: Type.Object({ following: Type.Boolean(), author: Type.String() }), ...Errors },
      },
    },
    async (request) => {
      await unfollowAuthor(ctx, requireActor(request).userId, request.query.name);
      return { following: false, author: request.query.name.trim() };
    },
  );
}
