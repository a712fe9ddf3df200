import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Article } from '../articles/model.ts';
import type { Comment } from './model.ts';
import { linkPermissions } from './policy.ts';
import { commentShortUrl } from './presenter.ts';
import type { CommentViewer } from './views.tsx';
import { actionLinksHtml, reactionCountHtml, type ActionFlags } from './action-links.ts';
import type { StreamWords } from './words.ts';

// What a reader can do under a comment: the one part of a comment's markup that depends on who looks.
// Everything else about a comment is the same for every reader, so the conversation's HTML is rendered
// once and shared (shared-conversation.ts); this part is written per viewer into marked slots, as
// plain strings (no render), with links rather than forms: without JavaScript each link opens a small
// form page that returns to the comment (`#c-ID`); with it, the island acts in place. The policy
// decides a few letters per comment (actionFlags); action-links.ts writes the links from them, on the
// server, and in the island from the page's compact viewer state (viewer-json.ts).

/** The facts about a comment its actions depend on: kept beside the shared HTML for each slot. */
export interface ActionFacts {
  id: number;
  author: { id: number; handle: string };
  reactionCount: number;
  createdAt: Date;
  status: Comment['status'];
  deletedAt: Date | null;
}

export const actionFacts = (c: Comment): ActionFacts => ({ id: c.id, author: { id: c.author.id, handle: c.author.handle }, reactionCount: c.reactionCount, createdAt: c.createdAt, status: c.status, deletedAt: c.deletedAt });

/**
 * What another feature adds for some viewers of an article page (server.ts gives moderation's: the
 * moderator's panel and buttons): a panel rendered beside the section, and more actions in each slot.
 * Both are per viewer, so they never enter the shared HTML.
 */
export interface ConversationExtras {
  panel: VNode | null;
  actions: ((facts: ActionFacts) => string) | null;
}
/** `panel: false` when only the buttons are wanted (the fragments the island fetches): the panel's reads are skipped. */
export type ConversationExtrasFor = (request: FastifyRequest, reply: FastifyReply, article: Article, want?: { panel: boolean }) => Promise<ConversationExtras | null>;

export { reactionCountHtml };

/** Marks a slot in HTML rendered for sharing; only the server's own renders write these. */
export const slotStart = (id: number) => `<!--s:${id}-->`;
export const SLOT_END = '<!--/s-->';

// One permission check per viewer (policy.ts linkPermissions), made on the first comment: the viewer's
// facts (actor, sanction, time) are all in place before a page draws its links.
const permissions = new WeakMap<CommentViewer, ReturnType<typeof linkPermissions>>();

function permissionsOf(v: CommentViewer): ReturnType<typeof linkPermissions> {
  let may = permissions.get(v);
  if (!may) {
    may = linkPermissions(v.actor, { article: v.article, settings: v.settings, now: v.now, sanction: v.sanction });
    permissions.set(v, may);
  }
  return may;
}

/** The letters (action-links.ts) for what this viewer may do under this comment, and in what state. */
export function actionFlags(c: ActionFacts, v: CommentViewer): ActionFlags {
  const actor = v.actor;
  if (!actor) return '';
  const may = permissionsOf(v);
  const own = c.author.id === actor.userId;
  let flags = '';
  if (may('react', c)) flags += v.reacted?.has(c.id) === true ? 'R' : 'r';
  if (may('post', c)) flags += 'p';
  if (may('edit', c)) flags += 'e';
  if (!own && c.status === 'approved') flags += v.reported?.has(c.id) ? 'T' : 't';
  if (!own && v.following) flags += v.following.has(c.author.id) ? 'F' : 'f';
  if (may('delete', c)) flags += 'd';
  return flags;
}

/** The actions under one comment for this viewer, in the page's words (stream-words.ts). */
export function actionsHtml(c: ActionFacts, v: CommentViewer, w: StreamWords): string {
  const html = actionLinksHtml({ id: c.id, reactionCount: c.reactionCount, handle: c.author.handle, permalink: commentShortUrl(c.id) }, actionFlags(c, v), w);
  return v.moreActions ? html + v.moreActions(c) : html;
}
