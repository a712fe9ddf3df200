import { Type, type Static } from 'typebox';
import { articlePath } from '../articles/paths.ts';
import type { ConversationSummary } from './model.ts';

export const ConversationJson = Type.Object(
  {
    article: Type.Object({ slug: Type.String(), headline: Type.String(), url: Type.String({ description: "The article page's path on this site" }) }),
    commentCount: Type.Integer({ description: 'Comments anyone can read (approved, not deleted)' }),
    activity: Type.Number({ description: 'Comments weighted for recency: each counts 1 when just posted and half as much every 15 minutes after' }),
    lastCommentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type ConversationJson = Static<typeof ConversationJson>;

export function presentConversation(c: ConversationSummary): ConversationJson {
  return {
    article: { slug: c.slug, headline: c.headline, url: articlePath(c) },
    commentCount: c.commentCount,
    // Three decimals say all a ranking needs and keep answers stable between two reads.
    activity: Math.round(c.activity * 1000) / 1000,
    lastCommentAt: c.lastCommentAt ? c.lastCommentAt.toISOString() : null,
  };
}
