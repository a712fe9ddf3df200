// Issue 19 §3: the signed-in article page reads the viewer's facts (muted and followed readers, the
// followed conversation, a held comment of theirs, their reactions and reports on the page, their
// sanction) in one UNION ALL and the sanction read, instead of one read each. The folded read must
// answer exactly what the separate reads answer, on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/app.ts';
import { conversationViewer } from '../../src/community/store.ts';
import { findSanction } from '../../src/moderation/store.ts';
import { hasOwnHiddenComment, viewerFacts, viewerMarks } from '../../src/comments/viewer-state.ts';
import { postComment, startConversation, type Conversation } from './setup.ts';

describe.each(dialects)('the viewer’s facts in one read, on %s', (dialect) => {
  let c: Conversation;
  let ids: number[];
  let viewer: Awaited<ReturnType<Conversation['reader']>>;
  let plain: Awaited<ReturnType<Conversation['reader']>>;
  let articleId: number;

  /** What the separate reads (as the page made them before) say. */
  const separately = async (userId: number, onPage: number[]) => {
    const db = c.app.ctx.db.kysely;
    const [community, sanction, marks, ownHidden] = await Promise.all([conversationViewer(db, userId, articleId), findSanction(db, userId), viewerMarks(db, userId, onPage), hasOwnHiddenComment(db, userId, articleId)]);
    return { ...community, sanction, ...marks, ownHidden };
  };

  beforeAll(async () => {
    c = await startConversation(dialect);
    articleId = Number(c.article.id);
    viewer = await c.reader({ displayName: 'Vera Viewer' });
    plain = await c.reader({ displayName: 'Paul Plain' });
    const ann = await c.reader({ displayName: 'Ann' });
    const ben = await c.reader({ displayName: 'Ben' });
    ids = [];
    for (const [who, text] of [
      [ann, 'One.'],
      [ben, 'Two.'],
      [ann, 'Three.'],
      [ben, 'Four.'],
    ] as const)
      ids.push((await postComment(who.client, c.article.slug, text)).id);
    const db = c.app.ctx.db.kysely;
    const now = new Date().toISOString();
    await db.insertInto('reader_mutes').values({ muter_id: viewer.user.id, muted_id: ben.user.id, created_at: now }).execute();
    await db.insertInto('reader_follows').values([{ follower_id: viewer.user.id, followee_id: ann.user.id, created_at: now }]).execute();
    await db.insertInto('article_follows').values({ user_id: viewer.user.id, article_id: articleId, created_at: now }).execute();
    await db.insertInto('comment_reactions').values([{ comment_id: ids[0]!, user_id: viewer.user.id, created_at: now }, { comment_id: ids[2]!, user_id: viewer.user.id, created_at: now }]).execute();
    await db.insertInto('comment_reports').values({ comment_id: ids[1]!, reporter_id: viewer.user.id, reason: 'off_topic', text: null, created_at: now }).execute();
    // A held comment of the viewer's under the article (the pipeline holds everything at 0).
    await c.set('spamHoldThreshold', 0);
    await postComment(viewer.client, c.article.slug, 'Held for a moderator.');
    await c.set('spamHoldThreshold', 1);
    // Last: a warned reader may not post until they acknowledge it.
    await db.insertInto('reader_sanctions').values({ user_id: viewer.user.id, kind: 'warn', until: null, reason: 'Be kind.', acknowledged_at: null, created_by: null, created_at: now }).execute();
  });
  afterAll(async () => c.app.close());

  it('answers what the separate reads answer, for a viewer with something of each', async () => {
    const db = c.app.ctx.db.kysely;
    const facts = await viewerFacts(db, viewer.user.id, articleId, ids);
    expect(facts).toEqual(await separately(viewer.user.id, ids));
    // And what those are, so that both agreeing on nothing would not pass.
    expect([...facts.reacted].sort((a, b) => a - b)).toEqual([ids[0], ids[2]]);
    expect([...facts.reported]).toEqual([ids[1]]);
    expect(facts.muted.size).toBe(1);
    expect(facts.following.size).toBe(1);
    expect(facts.followingArticle).toBe(true);
    expect(facts.ownHidden).toBe(true);
    expect(facts.sanction?.kind).toBe('warn');
  });

  it('only looks at the comments asked about, and at this article only', async () => {
    const db = c.app.ctx.db.kysely;
    const some = [ids[1]!, ids[3]!];
    const facts = await viewerFacts(db, viewer.user.id, articleId, some);
    expect(facts).toEqual(await separately(viewer.user.id, some));
    expect(facts.reacted.size).toBe(0);
    const other = await c.importArticle('Another story');
    const elsewhere = await viewerFacts(db, viewer.user.id, Number(other.id), []);
    expect(elsewhere.followingArticle).toBe(false);
    expect(elsewhere.ownHidden).toBe(false);
    expect(elsewhere.reacted.size + elsewhere.reported.size).toBe(0);
    expect(elsewhere.muted.size).toBe(1);
  });

  it('says nothing of a reader with no facts at all', async () => {
    const facts = await viewerFacts(c.app.ctx.db.kysely, plain.user.id, articleId, ids);
    expect(facts).toEqual({ muted: new Set(), following: new Set(), followingArticle: false, sanction: null, ownHidden: false, reacted: new Set(), reported: new Set() });
    expect(facts).toEqual(await separately(plain.user.id, ids));
  });
});
