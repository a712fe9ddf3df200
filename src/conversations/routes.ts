import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { ErrorJson } from '../http/schemas.ts';
import { defaultSite, findSiteByKey } from '../sites/store.ts';
import { activeConversations, mostDiscussed } from './store.ts';
import { ConversationJson, presentConversation } from './presenter.ts';

// The conversations that are alive, per site, as JSON (issue 17 §3). Both lists read kept numbers
// (articles.comment_count, conversation_activity): an index range each, never a count of comments.

const Query = Type.Object({
  site: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: "The site's key; the default site when absent" })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10, description: 'How many, 1 to 50' })),
});
const Answer = { 200: Type.Object({ site: Type.String(), conversations: Type.Array(ConversationJson) }), 400: ErrorJson, 404: ErrorJson };

export async function conversationRoutes(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.db.kysely;

  const siteOf = async (key: string | undefined) => {
    if (key === undefined) return defaultSite(db);
    const site = await findSiteByKey(db, key);
    if (!site) throw HttpError.translated(404, 'not_found', 'errors.api.noSiteWithKey', { key });
    return site;
  };

  api.get(
    '/api/v1/conversations/most-discussed',
    { schema: { summary: "The site's articles with the most comments, most first", tags: ['conversations'], querystring: Query, response: Answer } },
    async (request) => {
      const site = await siteOf(request.query.site);
      const list = await mostDiscussed(db, site.id, { limit: request.query.limit ?? 10 });
      return { site: site.key, conversations: list.map(presentConversation) };
    },
  );

  api.get(
    '/api/v1/conversations/active',
    {
      schema: {
        summary: 'Conversations with comments in the last hour, the most active first (comments weighted for recency)',
        tags: ['conversations'],
        querystring: Query,
        response: Answer,
      },
    },
    async (request) => {
      const site = await siteOf(request.query.site);
      const list = await activeConversations(db, site.id, { limit: request.query.limit ?? 10 });
      return { site: site.key, conversations: list.map(presentConversation) };
    },
  );
}
