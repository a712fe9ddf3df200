import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { StoredEvent } from '../events/outbox.ts';
import { DEFAULT_SITE_KEY } from '../sites/model.ts';

// What webhooks tell: the domain events they follow, under stable public names (our internal event
// types may change; these may not), and the payload of each. Payloads are built from the database in
// the subscriber's transaction, right after the change, and never carry an e-mail address, a token
// or a secret: a receiver is another system, not the reader.

/** Public name → the internal event type it stands for. */
export const WEBHOOK_EVENTS = {
  'comment.created': 'comment.created',
  'comment.edited': 'comment.edited',
  'comment.deleted': 'comment.deleted',
  'comment.moderated': 'comment.moderated',
  'reader.registered': 'account.registered',
  'reader.sanctioned': 'reader.sanctioned',
  'article.created': 'article.published',
} as const;

export type WebhookEventName = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_NAMES = Object.keys(WEBHOOK_EVENTS) as WebhookEventName[];
/** Sent by "Send a test event"; every endpoint receives it whatever it subscribed to. */
export const TEST_EVENT = 'webhook.test';

export const EVENT_DESCRIPTIONS: Record<WebhookEventName, string> = {
  'comment.created': 'A comment is published (at once, or when a moderator approves it)',
  'comment.edited': 'A comment’s text changes, or it is featured or unfeatured',
  'comment.deleted': 'A comment is deleted by its author, or a published one is taken down by moderation',
  'comment.moderated': 'A moderator approves, rejects, features or unfeatures a comment',
  'reader.registered': 'A reader creates an account',
  'reader.sanctioned': 'A moderator warns, suspends, bans a reader, or lifts a sanction',
  'article.created': 'An article is published or imported (also the first embed of an address)',
};

const BY_INTERNAL = new Map<string, WebhookEventName>(Object.entries(WEBHOOK_EVENTS).map(([name, type]) => [type, name as WebhookEventName]));

export const INTERNAL_TYPES = [...BY_INTERNAL.keys()];

export const publicNameOf = (internalType: string): WebhookEventName | null => BY_INTERNAL.get(internalType) ?? null;

export function isWebhookEventName(name: string): name is WebhookEventName {
  return Object.hasOwn(WEBHOOK_EVENTS, name);
}

/** The body every delivery carries (Standard Webhooks' recommended envelope). */
export interface WebhookMessage {
  type: WebhookEventName | typeof TEST_EVENT;
  /** When the change happened (the event's time), ISO 8601 UTC. */
  timestamp: string;
  data: Record<string, unknown>;
}

/** A message and the sites whose endpoints hear it; null when there is nothing to tell (the row is gone). */
export interface Addressed {
  message: WebhookMessage;
  /** null: every site. */
  siteIds: number[] | null;
}

type Db = Transaction<Database>;

async function articleOf(db: Db, articleId: number, publicUrl: string) {
  const row = await db
    .selectFrom('articles as a')
    .innerJoin('sites as s', 's.id', 'a.site_id')
    .select(['a.id', 'a.slug', 'a.headline', 'a.source_url', 'a.published_at', 'a.site_id', 's.key as site_key'])
    .where('a.id', '=', articleId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    siteId: Number(row.site_id),
    siteKey: row.site_key,
    // A string, as in the articles API.
    json: { id: String(row.id), slug: row.slug, headline: row.headline, url: `${publicUrl}/articles/${encodeURIComponent(row.slug)}`, sourceUrl: row.source_url, publishedAt: row.published_at },
  };
}

async function readerOf(db: Db, userId: number) {
  const row = await db.selectFrom('users').select(['id', 'handle', 'display_name', 'created_at', 'deleted_at']).where('id', '=', userId).executeTakeFirst();
  if (!row) return null;
  return { id: Number(row.id), handle: row.handle, displayName: row.display_name, createdAt: row.created_at, deleted: row.deleted_at !== null };
}

async function commentMessage(db: Db, event: StoredEvent, name: WebhookEventName, publicUrl: string): Promise<Addressed | null> {
  const commentId = Number(event.payload.commentId);
  const row = await db
    .selectFrom('comments as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .select(['c.id', 'c.article_id', 'c.parent_id', 'c.body', 'c.status', 'c.featured', 'c.created_at', 'c.edited_at', 'c.deleted_at', 'c.deleted_reason', 'u.id as author_id', 'u.handle', 'u.display_name'])
    .where('c.id', '=', commentId)
    .executeTakeFirst();
  if (!row) return null;
  const article = await articleOf(db, Number(row.article_id), publicUrl);
  if (!article) return null;
  const comment = {
    id: Number(row.id),
    parentId: row.parent_id === null ? null : Number(row.parent_id),
    author: { id: Number(row.author_id), handle: row.handle, displayName: row.display_name },
    // Markdown as the reader wrote it (our subset); empty once deleted.
    body: row.deleted_at ? '' : row.body,
    status: row.status,
    featured: Boolean(Number(row.featured)),
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
  };
  const data: Record<string, unknown> = { site: article.siteKey, article: article.json, comment };
  if (name === 'comment.deleted') data.reason = row.deleted_at ? (row.deleted_reason ?? 'author') : 'moderation';
  if (name === 'comment.moderated') {
    data.decision = event.payload.decision;
    data.from = event.payload.from;
    data.reason = event.payload.reason ?? null;
  }
  return { message: { type: name, timestamp: event.createdAt, data }, siteIds: [article.siteId] };
}

/**
 * The message for one event, or null when the event is not one webhooks tell of or what it is about
 * is gone. Which sites hear it: a comment's or article's own site; a registration the site whose
 * single sign-on made it, else the default site (Parley's own pages); a sanction every site, since
 * sanctions hold on every site.
 */
export async function messageFor(db: Db, event: StoredEvent, publicUrl: string): Promise<Addressed | null> {
  const name = BY_INTERNAL.get(event.type);
  if (!name) return null;
  switch (name) {
    case 'comment.created':
    case 'comment.edited':
    case 'comment.deleted':
    case 'comment.moderated':
      return commentMessage(db, event, name, publicUrl);
    case 'article.created': {
      const article = await articleOf(db, Number(event.payload.articleId), publicUrl);
      if (!article) return null;
      return { message: { type: name, timestamp: event.createdAt, data: { site: article.siteKey, article: article.json } }, siteIds: [article.siteId] };
    }
    case 'reader.registered': {
      const reader = await readerOf(db, Number(event.payload.userId));
      if (!reader) return null;
      const via = typeof event.payload.via === 'string' ? event.payload.via : 'password';
      const site = Number.isInteger(event.payload.siteId)
        ? await db.selectFrom('sites').select(['id', 'key']).where('id', '=', Number(event.payload.siteId)).executeTakeFirst()
        : await db.selectFrom('sites').select(['id', 'key']).where('key', '=', DEFAULT_SITE_KEY).executeTakeFirst();
      if (!site) return null;
      const { deleted: _deleted, ...json } = reader;
      return { message: { type: name, timestamp: event.createdAt, data: { site: site.key, reader: json, via } }, siteIds: [Number(site.id)] };
    }
    case 'reader.sanctioned': {
      const reader = await readerOf(db, Number(event.payload.userId));
      if (!reader) return null;
      const { deleted: _deleted, createdAt: _created, ...json } = reader;
      const sanction = { kind: event.payload.kind, until: event.payload.until ?? null, reason: event.payload.reason ?? null, rejectedComments: Number(event.payload.rejected ?? 0) };
      return { message: { type: name, timestamp: event.createdAt, data: { reader: json, sanction } }, siteIds: null };
    }
  }
}

/** What "Send a test event" sends. */
export function testMessage(endpoint: { id: number; siteKey: string }, now = new Date()): WebhookMessage {
  return { type: TEST_EVENT, timestamp: now.toISOString(), data: { site: endpoint.siteKey, endpointId: endpoint.id, message: 'A test event sent from Parley’s admin.' } };
}
