import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Article } from '../articles/model.ts';
import type { Comment } from './model.ts';
import { can } from './policy.ts';
import { commentUrl } from './presenter.ts';
import type { CommentViewer } from './views.tsx';
import { respectLabel, respectUnit } from './counts.ts';

// What a reader can do under a comment: the one part of a comment's markup that depends on who looks.
// Everything else about a comment is the same for every reader, so the conversation's HTML is rendered
// once and shared (shared-conversation.ts); this part is written per viewer into marked slots, as
// plain strings (no render), with links rather than forms: without JavaScript each link opens a small
// form page that returns to the comment (`#c-ID`); with it, the island acts in place.

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

/** What the anonymous reader (and anyone who may not react) sees: the count alone. */
export function reactionCountHtml(count: number, hiddenFromAssistiveTechnology = false): string {
  return `<span class="comment__reactions"${hiddenFromAssistiveTechnology ? ' aria-hidden="true"' : ''}><span class="comment__count">${count.toLocaleString('en-GB')}</span> ${respectUnit(count)}</span>`;
}

/** Marks a slot in HTML rendered for sharing; only the server's own renders write these. */
export const slotStart = (id: number) => `<!--s:${id}-->`;
export const SLOT_END = '<!--/s-->';

/** The actions under one comment for this viewer. Everything interpolated is a number or URL-encoded. */
export function actionsHtml(c: ActionFacts, v: CommentViewer): string {
  const actor = v.actor;
  if (!actor) return reactionCountHtml(c.reactionCount);
  const policy = { article: v.article, settings: v.settings, now: v.now, sanction: v.sanction };
  const own = c.author.id === actor.userId;
  let html = '';
  if (can(actor, 'react', c, policy).allowed) {
    const on = v.reacted?.has(c.id) === true;
    // "Respect" on the button, "2 respects" beside it; the button's name says both, so assistive
    // technology hears the count once, with the button.
    html += `<a class="comment__react" role="button" href="/comments/${c.id}/react" aria-pressed="${on}" aria-label="${respectLabel(c.reactionCount)}">Respect</a>`;
    html += reactionCountHtml(c.reactionCount, true);
  } else html += reactionCountHtml(c.reactionCount);
  if (can(actor, 'post', c, policy).allowed) {
    html += `<a class="comment__reply" href="${commentUrl(v.slug, c)}#reply">Reply</a>`;
    // With JavaScript the island quotes the reader's selection (or the whole comment) in place.
    html += `<a class="comment__quote" href="/comments/${c.id}/quote">Quote</a>`;
  }
  if (can(actor, 'edit', c, policy).allowed) html += `<a class="comment__edit" href="/comments/${c.id}/edit">Edit</a>`;
  if (!own && c.status === 'approved') {
    html += v.reported?.has(c.id) ? '<span class="comment__reported">Reported</span>' : `<a class="comment__report" href="/comments/${c.id}/report">Report</a>`;
  }
  if (!own && v.following) {
    const on = v.following.has(c.author.id);
    html += `<a class="comment__follow" role="button" href="/comments/${c.id}/follow" data-handle="${encodeURIComponent(c.author.handle)}" data-follow="${on ? 'on' : 'off'}">${on ? 'Unfollow' : 'Follow'}</a>`;
  }
  if (can(actor, 'delete', c, policy).allowed) html += `<a class="comment__delete" role="button" href="/comments/${c.id}/delete">Delete</a>`;
  if (v.moreActions) html += v.moreActions(c);
  return html;
}
