import type { AppContext } from '../context.ts';
import type { ConversationSummary } from './model.ts';
import { activeConversations, mostDiscussed } from './store.ts';

// The lists the pages show ("Most discussed", "Active now", "Also being discussed") are the same for
// every reader of a site, so they are read once and kept beside the cached pages (src/http/page-cache.ts)
// under the `articles` tag, which every comment and article event drops, on every node. A signed-in
// reader's page, rendered each time, then costs no query for them. (The API reads them fresh.)

/** Entries in each box. */
export const BOX_SIZE = 5;

export interface SiteConversations {
  /** One more than a box shows, so that leaving out the article being read still fills it. */
  mostDiscussed: ConversationSummary[];
  active: ConversationSummary[];
}

export async function siteConversations(ctx: Pick<AppContext, 'db' | 'pageCache'>, siteId: number): Promise<SiteConversations> {
  const key = `conversations:${siteId}`;
  const hit = ctx.pageCache.getShared<SiteConversations>(key);
  if (hit) return hit;
  const begunAt = ctx.pageCache.begin();
  const db = ctx.db.kysely;
  // Twice the box: "Also being discussed" tops the active ones up from the most discussed, without repeats.
  const [discussed, active] = await Promise.all([mostDiscussed(db, siteId, { limit: 2 * BOX_SIZE + 1 }), activeConversations(db, siteId, { limit: BOX_SIZE + 1 })]);
  const lists = { mostDiscussed: discussed, active };
  const bytes = 400 * (discussed.length + active.length) + 200;
  ctx.pageCache.setShared(key, lists, bytes, ['articles'], begunAt);
  return lists;
}

/** The front page's two boxes. */
export const frontPageBoxes = (lists: SiteConversations) => ({ mostDiscussed: lists.mostDiscussed.slice(0, BOX_SIZE), active: lists.active.slice(0, BOX_SIZE) });

/**
 * Under an article: the active conversations, topped up with the most discussed, never the article
 * itself and never one twice.
 */
export function alsoBeingDiscussed(lists: SiteConversations, articleId: number, limit = BOX_SIZE): ConversationSummary[] {
  const seen = new Set([articleId]);
  const out: ConversationSummary[] = [];
  for (const c of [...lists.active, ...lists.mostDiscussed]) {
    if (out.length === limit) break;
    if (seen.has(c.articleId)) continue;
    seen.add(c.articleId);
    out.push(c);
  }
  return out;
}
