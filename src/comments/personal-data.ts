import type { PersonalDataHandler } from '../context.ts';
import { eraseAuthorComments } from './commands.ts';

/**
 * A reader's comments in "Download my data", and what "Delete my account" does to them: the same as
 * deleting each one (the text and its earlier versions go, the place in the thread stays), plus their
 * reactions go and the counts drop with them.
 */
export const commentsPersonalData: PersonalDataHandler = {
  name: 'comments',
  async export(db, userId) {
    const comments = await db
      .selectFrom('comments as c')
      .innerJoin('articles as a', 'a.id', 'c.article_id')
      .select(['c.id', 'c.parent_id', 'c.body', 'c.created_at', 'c.edited_at', 'c.deleted_at', 'a.slug', 'a.headline'])
      .where('c.author_id', '=', userId)
      .orderBy('c.id')
      .execute();
    const reactions = await db
      .selectFrom('comment_reactions')
      .select(['comment_id', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
    return {
      comments: comments.map((c) => ({
        id: Number(c.id),
        article: { slug: c.slug, headline: c.headline },
        parentId: c.parent_id === null ? null : Number(c.parent_id),
        body: c.body,
        createdAt: c.created_at,
        editedAt: c.edited_at,
        deletedAt: c.deleted_at,
      })),
      reactions: reactions.map((r) => ({ commentId: Number(r.comment_id), createdAt: r.created_at })),
    };
  },
  erase: (tx, userId) => eraseAuthorComments(tx, userId),
};
