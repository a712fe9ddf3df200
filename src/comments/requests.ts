import type { Kysely } from 'kysely';
import { conversationViewer } from '../community/store.ts';
import type { Database } from '../db/schema.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../accounts/model.ts';
import type { Article } from '../articles/model.ts';
import { findArticleBySlug } from '../articles/store.ts';
import { prepared } from '../db/prepared.ts';
import type { AppContext } from '../context.ts';
import type { ChromeFactory } from '../ui/chrome.ts';
import { HttpError } from '../http/errors.ts';
import type { Settings } from '../settings/model.ts';
import { getSettings } from '../settings/store.ts';
import { editComment, postComment } from './commands.ts';
import { atLeast } from '../accounts/model.ts';
import { moderateOrRefuse } from '../moderation/gate.ts';
import { findSanction } from '../moderation/store.ts';
import { moderatedSites, siteOfArticle } from '../moderation/scope.ts';
import { bodyProblem, normaliseBody, visibleTo, type Comment } from './model.ts';
import { can, type Decision } from './policy.ts';
import { findComment } from './store.ts';
import type { CommentViewer } from './views.tsx';
import { passageForPost } from '../passages/post.ts';
import type { PassageRequest } from '../passages/model.ts';

// What the API, the pages and the fragments share: finding things, asking the policy, posting.

export interface CommentRouteOptions {
  ctx: AppContext;
  chrome: ChromeFactory;
}

export function refusal(decision: Decision): HttpError | null {
  if (decision.allowed) return null;
  return decision.key ? HttpError.translated(decision.status, decision.code, decision.key, decision.values) : new HttpError(decision.status, decision.code, decision.message);
}


export async function articleOr404(ctx: AppContext, slug: string): Promise<Article> {
  const article = await findArticleBySlug(ctx.db.kysely, slug);
  if (!article) throw HttpError.translated(404, 'not_found', 'comments.refused.noArticle');
  return article;
}

/** What posting a comment needs of its article; the text only when the comment quotes a passage. */
export type PostTarget = Pick<Article, 'id' | 'slug' | 'commentsOpen' | 'publishedAt' | 'createdAt' | 'timeZone'> & { body?: Article['body'] };

// Every comment posted through the API reads its article by slug: only the columns above, not the
// article's text, pictures and authors (a long article's text alone is tens of kilobytes to parse).
const postTargetBySlug = prepared((db, a: { slug: string }) =>
  db.selectFrom('articles').select(['id', 'slug', 'comments_open', 'published_at', 'created_at', 'time_zone']).where('slug', '=', a.slug),
);

export async function postTargetOr404(ctx: AppContext, slug: string): Promise<PostTarget> {
  const row = await postTargetBySlug.first(ctx.db.kysely, { slug });
  if (!row) throw HttpError.translated(404, 'not_found', 'comments.refused.noArticle');
  return {
    id: String(row.id),
    slug: row.slug,
    commentsOpen: row.comments_open === 1,
    publishedAt: row.published_at ? new Date(row.published_at) : null,
    createdAt: new Date(row.created_at),
    timeZone: row.time_zone,
  };
}

/**
 * The comment, if the viewer may see it: a held or rejected comment exists only for its author and
 * moderators (or as a placeholder when it keeps a place for replies).
 */
export async function commentOr404(ctx: AppContext, rawId: number, viewer: Actor | null = null): Promise<Comment> {
  const comment = Number.isSafeInteger(rawId) && rawId > 0 ? await findComment(ctx.db.kysely, rawId) : null;
  const mayShow = comment && (visibleTo(comment, viewer?.userId ?? null) || comment.descendantCount > 0 || (atLeast(viewer, 'moderator') && (await moderatesCommentSite(ctx, viewer!, comment))));
  if (!comment || !mayShow) throw HttpError.translated(404, 'not_found', 'comments.refused.noComment');
  return comment;
}

/** A moderator limited to some sites (src/sites) sees the held and rejected comments of those sites only. */
async function moderatesCommentSite(ctx: AppContext, viewer: Actor, comment: Comment): Promise<boolean> {
  const sites = await moderatedSites(ctx.db.kysely, viewer);
  if (sites.length === 0) return true;
  const site = await siteOfArticle(ctx.db.kysely, comment.articleId);
  return site !== null && sites.includes(site);
}

export function policyArticle(article: PostTarget) {
  return { id: Number(article.id), commentsOpen: article.commentsOpen, publishedAt: article.publishedAt, createdAt: article.createdAt, timeZone: article.timeZone };
}

export function viewerFor(actor: Actor | null, csrf: () => string, article: Article, settings: Settings): CommentViewer {
  return { actor, csrf, slug: article.slug, article: policyArticle(article), articleAuthors: article.authors.map((a) => a.name), settings, now: new Date() };
}

export async function pageViewer(ctx: AppContext, chrome: ChromeFactory, request: FastifyRequest, reply: FastifyReply, article: Article) {
  const settings = await getSettings(ctx.db.kysely);
  const page = chrome(request, reply);
  const v = viewerFor(request.actor, page.csrf, article, settings);
  // The community's part of the view: muted readers fold away, follow buttons know their state.
  if (request.actor) {
    Object.assign(v, await conversationViewer(ctx.db.kysely, request.actor.userId, Number(article.id)));
    v.sanction = await findSanction(ctx.db.kysely, request.actor.userId);
  }
  return { page, settings, v };
}

export function parseParentId(raw: unknown): number | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const id = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw HttpError.translated(400, 'invalid_parent', 'comments.refused.invalidParent');
  return id;
}

/** Everything between "the reader pressed Post" and the stored comment, for the API and the form alike. */
export async function attemptPost(ctx: AppContext, actor: Actor | null, article: PostTarget, settings: Settings, body: string, parentId: number | null, passageRequest: PassageRequest | null = null): Promise<Comment> {
  let parent: Comment | null = null;
  if (parentId !== null) {
    parent = await findComment(ctx.db.kysely, parentId);
    if (!parent || parent.articleId !== Number(article.id) || !visibleTo(parent, actor?.userId ?? null)) {
      throw HttpError.translated(404, 'parent_not_found', 'comments.refused.parentNotFound');
    }
  }
  const denied = refusal(can(actor, 'post', parent, { article: policyArticle(article), settings }));
  if (denied) throw denied;
  const problem = bodyProblem(body, settings);
  if (problem) throw HttpError.translated(400, 'invalid_comment', problem.key, problem.values);
  const passage = passageRequest ? passageForPost(article.body ? { body: article.body } : await articleOr404(ctx, article.slug), parentId, passageRequest) : null;
  const moderate = (db: Kysely<Database>, previousBodies: string[]) =>
    moderateOrRefuse(db, { actor: actor!, article: policyArticle(article), settings, body: normaliseBody(body), editing: null, previousBodies });
  const author = { id: actor!.userId, handle: actor!.handle, displayName: actor!.displayName, role: actor!.role };
  return postComment(ctx, { articleId: Number(article.id), author, body, parentId, moderate, passage }, settings);
}

/** An edit passes the moderation pipeline again before it is written. */
export async function attemptEdit(ctx: AppContext, actor: Actor, comment: Comment, article: Article, settings: Settings, text: string): Promise<Comment> {
  const moderation = await moderateOrRefuse(ctx.db.kysely, { actor, article: policyArticle(article), settings, body: normaliseBody(text), editing: { id: comment.id } });
  return editComment(ctx, comment, text, actor.userId, new Date(), moderation);
}
